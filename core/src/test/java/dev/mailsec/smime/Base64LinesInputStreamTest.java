package dev.mailsec.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.smime.internal.Base64LinesInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Base64LinesInputStreamTest {

    @ParameterizedTest
    @CsvSource({"0,76", "1,76", "2,76", "3,64", "100000,76", "200001,64", "65535,4", "70000,1000"})
    void decodesLikeTheJdkWhateverTheLineLengthAndBlockBoundaries(int size, int lineLength)
            throws IOException {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        byte[] encoded = Base64.getMimeEncoder(lineLength, new byte[] {'\r', '\n'}).encode(data);
        InputStream trickle =
                new ByteArrayInputStream(encoded) {
                    @Override
                    public synchronized int read(byte[] b, int off, int len) {
                        return super.read(b, off, Math.min(len, 7777));
                    }
                };
        assertThat(new Base64LinesInputStream(trickle).readAllBytes()).isEqualTo(data);
    }

    @ParameterizedTest
    @CsvSource({
        "1,76,CRLF",
        "2,64,LF",
        "3,0,CRLF",
        "4,0,LF",
        "5,0,MIXED",
        "6,76,MIXED",
        "7,1,CRLF"
    })
    void decodesLikeTheJdkMimeDecoderWhateverTheLinesAndReadSizes(
            int seed, int fixedLength, String lineEnds) throws IOException {
        Random random = new Random(seed);
        byte[] data = new byte[150_000 + random.nextInt(100_000)];
        random.nextBytes(data);
        byte[] encoded = Base64.getEncoder().encode(data);
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        int i = 0;
        while (i < encoded.length) {
            // fixed-length lines (0: a new random length every few lines, the block decoder's worst
            // case)
            int length =
                    fixedLength > 0
                            ? fixedLength
                            : 1 + random.nextInt(random.nextBoolean() ? 8 : 120);
            int repeat = fixedLength > 0 ? Integer.MAX_VALUE : 1 + random.nextInt(5);
            for (int r = 0; r < repeat && i < encoded.length; r++) {
                int n = Math.min(length, encoded.length - i);
                lines.write(encoded, i, n);
                i += n;
                boolean crlf =
                        lineEnds.equals("CRLF")
                                || (lineEnds.equals("MIXED") && random.nextBoolean());
                lines.write(
                        crlf
                                ? "\r\n".getBytes(StandardCharsets.US_ASCII)
                                : "\n".getBytes(StandardCharsets.US_ASCII));
            }
        }
        byte[] input = lines.toByteArray();
        int maxRead = 1 + random.nextInt(70_000);
        InputStream uneven =
                new ByteArrayInputStream(input) {
                    @Override
                    public synchronized int read(byte[] b, int off, int len) {
                        return super.read(b, off, Math.min(len, 1 + random.nextInt(maxRead)));
                    }
                };
        assertThat(new Base64LinesInputStream(uneven).readAllBytes())
                .isEqualTo(Base64.getMimeDecoder().decode(input))
                .isEqualTo(data);
    }

    @ParameterizedTest
    @CsvSource({"65536", "131072", "65532", "65540"})
    void findsPaddingOrJunkAtABlockBoundary(int characters) throws IOException {
        // the block decoder takes 64 Ki characters at a time: padding, junk or data after padding
        // right at its edge
        byte[] data = new byte[characters / 4 * 3 - 1];
        new Random(characters).nextBytes(data);
        byte[] encoded = Base64.getEncoder().encode(data);
        assertThat(encoded[encoded.length - 1]).isEqualTo((byte) '=');
        assertThat(
                        new Base64LinesInputStream(
                                        new ByteArrayInputStream(
                                                concat(
                                                        encoded,
                                                        "\r\n\r\n"
                                                                .getBytes(
                                                                        StandardCharsets
                                                                                .US_ASCII))))
                                .readAllBytes())
                .isEqualTo(data);
        int edge = Math.min(65535, encoded.length - 4);
        byte[] junk =
                concat(
                        concat(
                                Arrays.copyOf(encoded, edge),
                                "!".getBytes(StandardCharsets.US_ASCII)),
                        Arrays.copyOfRange(encoded, edge, encoded.length));
        assertThat(new Base64LinesInputStream(new ByteArrayInputStream(junk)).readAllBytes())
                .isEqualTo(Base64.getMimeDecoder().decode(junk))
                .isEqualTo(data);
        byte[] afterPadding = concat(encoded, "QUJD".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(
                        () ->
                                new Base64LinesInputStream(new ByteArrayInputStream(afterPadding))
                                        .readAllBytes())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("after the padding");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @ParameterizedTest
    @CsvSource({"1", "2", "3", "50000"})
    void ignoresLineBreaksAndJunkInsideQuantaLikeTheJdkMimeDecoder(int seed) throws IOException {
        byte[] data = new byte[3000 + seed % 3];
        Random random = new Random(seed);
        random.nextBytes(data);
        byte[] encoded = Base64.getEncoder().encode(data);
        ByteArrayOutputStream noisy = new ByteArrayOutputStream();
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
    @CsvSource({
        "QUJDRA==, ABCD",
        "QUJDRA=, ABCD",
        "QUJDREU=, ABCDE",
        "QUJDREU, ABCDE",
        "QUJD\\r\\nRA=\\r\\n=\\r\\n, ABCD"
    })
    void endsAtPaddingOrAtAShortFinalQuantum(String text, String expected) throws IOException {
        byte[] bytes =
                text.replace("\\r", "\r").replace("\\n", "\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(
                        new String(
                                new Base64LinesInputStream(new ByteArrayInputStream(bytes))
                                        .readAllBytes(),
                                StandardCharsets.US_ASCII))
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"QUJDR", "=QUJD", "QUJDRA==QQ=="})
    void rejectsASingleSextetLeadingPaddingOrDataAfterPadding(String text) {
        assertThatThrownBy(
                        () ->
                                new Base64LinesInputStream(
                                                new ByteArrayInputStream(
                                                        text.getBytes(StandardCharsets.US_ASCII)))
                                        .readAllBytes())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("base64");
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
        assertThatThrownBy(
                        () ->
                                new Base64LinesInputStream(
                                                new ByteArrayInputStream(
                                                        "QQ==QUJD"
                                                                .getBytes(
                                                                        StandardCharsets.US_ASCII)))
                                        .readAllBytes())
                .isInstanceOf(IOException.class);
    }
}
