package dev.mailsec.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.smime.internal.Base64LinesInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Base64LinesInputStreamTest {

    @ParameterizedTest
    @CsvSource({"0,76", "1,76", "2,76", "3,64", "100000,76", "200001,64", "65535,4", "70000,1000"})
    void decodesLikeTheJdkWhateverTheLineLengthAndBlockBoundaries(int size, int lineLength) throws IOException {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        byte[] encoded = Base64.getMimeEncoder(lineLength, new byte[] {'\r', '\n'}).encode(data);
        InputStream trickle = new ByteArrayInputStream(encoded) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7777));
            }
        };
        assertThat(new Base64LinesInputStream(trickle).readAllBytes()).isEqualTo(data);
    }

    @ParameterizedTest
    @CsvSource({"1", "2", "3", "50000"})
    void ignoresLineBreaksAndJunkInsideQuantaLikeTheJdkMimeDecoder(int seed) throws IOException {
        byte[] data = new byte[3000 + seed % 3];
        Random random = new Random(seed);
        random.nextBytes(data);
        byte[] encoded = Base64.getEncoder().encode(data);
        java.io.ByteArrayOutputStream noisy = new java.io.ByteArrayOutputStream();
        for (byte b : encoded) {
            if (random.nextInt(5) == 0) {
                noisy.write(" \t\r\n!*\u00e9".charAt(random.nextInt(7)));
            }
            noisy.write(b);
        }
        byte[] input = noisy.toByteArray();
        assertThat(new Base64LinesInputStream(new ByteArrayInputStream(input)).readAllBytes())
            .isEqualTo(Base64.getMimeDecoder().decode(input))
            .isEqualTo(data);
    }

    @ParameterizedTest
    @CsvSource({"QUJDRA==, ABCD", "QUJDRA=, ABCD", "QUJDREU=, ABCDE", "QUJDREU, ABCDE", "QUJD\\r\\nRA=\\r\\n=\\r\\n, ABCD"})
    void endsAtPaddingOrAtAShortFinalQuantum(String text, String expected) throws IOException {
        byte[] bytes = text.replace("\\r", "\r").replace("\\n", "\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(new String(new Base64LinesInputStream(new ByteArrayInputStream(bytes)).readAllBytes(), StandardCharsets.US_ASCII))
            .isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"QUJDR", "=QUJD", "QUJDRA==QQ=="})
    void rejectsASingleSextetLeadingPaddingOrDataAfterPadding(String text) {
        assertThatThrownBy(() -> new Base64LinesInputStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)))
            .readAllBytes()).isInstanceOf(IOException.class).hasMessageContaining("base64");
    }

    @ParameterizedTest
    @CsvSource({"QUJD!!!RA==", "QUJ"})
    void rejectsOrToleratesBrokenInputWithoutHanging(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        try {
            byte[] out = new Base64LinesInputStream(new ByteArrayInputStream(bytes)).readAllBytes();
            assertThat(out.length).isLessThanOrEqualTo(4);
        } catch (IOException e) {
            assertThat(e).hasMessageContaining("base64");
        }
        assertThatThrownBy(() -> new Base64LinesInputStream(new ByteArrayInputStream("QQ==QUJD".getBytes(StandardCharsets.US_ASCII)))
            .readAllBytes()).isInstanceOf(IOException.class);
    }
}
