package dev.mailsec.smime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.smime.internal.Base64LinesOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Base64LinesOutputStreamTest {

    @ParameterizedTest
    @CsvSource({"0,1", "1,1", "57,57", "58,3", "14592,1000", "14593,14593", "29184,4096", "100000,1", "100001,7777"})
    void encodesExactlyLikeTheJdkMimeEncoderWhateverTheWriteSizes(int size, int writeSize) throws Exception {
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
        assertThat(out.toByteArray()).isEqualTo(Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encode(data));
    }
}
