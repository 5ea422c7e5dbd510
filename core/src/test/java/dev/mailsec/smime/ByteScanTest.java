package dev.mailsec.smime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.smime.internal.ByteScan;
import dev.mailsec.smime.internal.CrlfOutputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteScanTest {

    @Test
    void findsTheFirstMatchAtEveryOffsetAndAlignment() {
        Random random = new Random(7);
        for (int length = 0; length < 40; length++) {
            for (int trial = 0; trial < 50; trial++) {
                byte[] b = new byte[length];
                for (int i = 0; i < length; i++) {
                    // many values next to the target, to catch borrow false positives of the SWAR
                    // test
                    b[i] = (byte) (random.nextInt(4) == 0 ? 0x0a : 0x0a + 1 + random.nextInt(250));
                }
                int from = length == 0 ? 0 : random.nextInt(length);
                int to = from + (length == from ? 0 : random.nextInt(length - from + 1));
                int expected = -1;
                for (int i = from; i < to; i++) {
                    if (b[i] == 0x0a) {
                        expected = i;
                        break;
                    }
                }
                assertThat(ByteScan.indexOf(b, from, to, (byte) 0x0a))
                        .as("length %d from %d to %d", length, from, to)
                        .isEqualTo(expected);
            }
        }
        byte[] high = {
            (byte) 0x8a, (byte) 0x8b, 0x0b, 0x09, 0, 0, (byte) 0xff, (byte) 0x0b, (byte) 0x8a, 0x0a
        };
        assertThat(ByteScan.indexOf(high, 0, high.length, (byte) 0x8a)).isZero();
        assertThat(ByteScan.indexOf(high, 1, high.length, (byte) 0x8a)).isEqualTo(8);
        assertThat(ByteScan.indexOf(high, 0, high.length, (byte) 0x0a)).isEqualTo(9);
        assertThat(ByteScan.indexOf(high, 0, high.length, (byte) 0x0c)).isEqualTo(-1);
    }

    @Test
    void crlfStreamAddsCrOnlyBeforeBareLineFeedsAcrossWrites() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CrlfOutputStream crlf = new CrlfOutputStream(out)) {
            crlf.write("a\nbb\r\nccccccccccccccc\n\nd\r".getBytes(StandardCharsets.US_ASCII));
            crlf.write("\nx\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(out.toString(StandardCharsets.US_ASCII))
                .isEqualTo("a\r\nbb\r\nccccccccccccccc\r\n\r\nd\r\nx\r\n");
    }

    @Test
    void findsBareLineFeedsAtEveryOffsetAndAlignment() {
        Random random = new Random(11);
        byte[] alphabet = {
            '\n', '\r', '\n', '\r', 0, 0x0b, 0x0c, (byte) 0x8a, (byte) 0x8d, (byte) 0xff, 'a'
        };
        for (int length = 1; length < 48; length++) {
            for (int trial = 0; trial < 200; trial++) {
                byte[] b = new byte[length];
                for (int i = 0; i < length; i++) {
                    b[i] = alphabet[random.nextInt(alphabet.length)];
                }
                int from = 1 + (length == 1 ? 0 : random.nextInt(length - 1));
                int to = from + random.nextInt(length - from + 1);
                int expected = -1;
                for (int i = from; i < to; i++) {
                    if (b[i] == '\n' && b[i - 1] != '\r') {
                        expected = i;
                        break;
                    }
                }
                assertThat(ByteScan.nextBareLineFeed(b, from, to))
                        .as("%s from %d to %d", Arrays.toString(b), from, to)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void crlfStreamMatchesAByteAtATimeCanonicaliserWhateverTheWriteSizes() throws Exception {
        Random random = new Random(5);
        byte[] alphabet = {'\n', '\r', 'x', 'y', 'z', ' ', (byte) 0xe9};
        for (int trial = 0; trial < 300; trial++) {
            byte[] b = new byte[random.nextInt(300)];
            for (int i = 0; i < b.length; i++) {
                b[i] = alphabet[random.nextInt(alphabet.length)];
            }
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            for (int i = 0; i < b.length; i++) {
                if (b[i] == '\n' && (i == 0 || b[i - 1] != '\r')) {
                    expected.write('\r');
                }
                expected.write(b[i]);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (CrlfOutputStream crlf = new CrlfOutputStream(out)) {
                int i = 0;
                while (i < b.length) {
                    int n = Math.min(b.length - i, random.nextInt(40));
                    if (n == 1 && random.nextBoolean()) {
                        crlf.write(b[i]);
                    } else {
                        crlf.write(b, i, n);
                    }
                    i += n;
                }
            }
            assertThat(out.toByteArray()).isEqualTo(expected.toByteArray());
        }
    }

    @Test
    void findsATargetAtALineStartAtEveryOffsetAndAlignment() {
        Random random = new Random(13);
        byte[] alphabet = {
            '\n', '-', '\n', '-', 0, ',', '.', 0x0b, (byte) 0xad, (byte) 0x8a, (byte) 0xff, 'a'
        };
        for (int length = 1; length < 48; length++) {
            for (int trial = 0; trial < 200; trial++) {
                byte[] b = new byte[length];
                for (int i = 0; i < length; i++) {
                    b[i] = alphabet[random.nextInt(alphabet.length)];
                }
                int from = 1 + (length == 1 ? 0 : random.nextInt(length - 1));
                int to = from + random.nextInt(length - from + 1);
                int expected = -1;
                for (int i = from; i < to; i++) {
                    if (b[i] == '-' && b[i - 1] == '\n') {
                        expected = i;
                        break;
                    }
                }
                assertThat(ByteScan.nextAtLineStart(b, from, to, (byte) '-'))
                        .as("%s from %d to %d", Arrays.toString(b), from, to)
                        .isEqualTo(expected);
            }
        }
    }
}
