package dev.mailsec.smime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.smime.internal.Base64LinesOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Base64LinesOutputStreamTest {

    @ParameterizedTest
    @CsvSource({
        "0,1",
        "1,1",
        "57,57",
        "58,3",
        "14592,1000",
        "14593,14593",
        "29184,4096",
        "100000,1",
        "100001,7777"
    })
    void encodesExactlyLikeTheJdkMimeEncoderWhateverTheWriteSizes(int size, int writeSize)
            throws Exception {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream b64 = new Base64LinesOutputStream(out)) {
            for (int i = 0; i < size; i += writeSize) {
                if (writeSize == 1) {
                    b64.write(data[i]);
                } else {
                    b64.write(data, i, Math.min(writeSize, size - i));
                }
            }
        }
        assertThat(out.toByteArray())
                .isEqualTo(Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encode(data));
    }

    @ParameterizedTest
    @CsvSource({"0,1,16", "57,57,1", "14593,14593,100", "100001,7777,10", "300000,65536,500000"})
    void writesTheSameLinesStraightIntoASmimeBufferAfterWhatItHolds(
            int size, int writeSize, int initialCapacity) throws Exception {
        byte[] data = new byte[size];
        new Random(size + 1).nextBytes(data);
        SmimeBuffer out = new SmimeBuffer(initialCapacity);
        out.write("Content-Transfer-Encoding: base64\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        int before = out.size();
        try (OutputStream b64 = new Base64LinesOutputStream(out)) {
            for (int i = 0; i < size; i += writeSize) {
                b64.write(data, i, Math.min(writeSize, size - i));
            }
        }
        out.write('.');
        byte[] expected = Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encode(data);
        byte[] written = out.toByteArray();
        assertThat(Arrays.copyOfRange(written, before, written.length - 1)).isEqualTo(expected);
        assertThat(written[written.length - 1]).isEqualTo((byte) '.');
        assertThat(new String(out.in().readNBytes(before), StandardCharsets.US_ASCII))
                .isEqualTo("Content-Transfer-Encoding: base64\r\n\r\n");
    }
}
