package dev.mailsec.dkim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class BodyHasherTest {

    /** RFC 6376 section 3.4.5 examples, plus the edge cases of the end-of-body rules. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "RELAXED| C \\r\\nD \\t E\\r\\n\\r\\n\\r\\n| C\\r\\nD E\\r\\n",
                "SIMPLE| C \\r\\nD \\t E\\r\\n\\r\\n\\r\\n| C \\r\\nD \\t E\\r\\n",
                "RELAXED||",
                "SIMPLE||\\r\\n",
                "RELAXED|\\r\\n\\r\\n|",
                "SIMPLE|\\r\\n\\r\\n|\\r\\n",
                "RELAXED|abc|abc\\r\\n",
                "SIMPLE|abc|abc\\r\\n",
                "RELAXED|a\\n\\nb  \\n|a\\r\\n\\r\\nb\\r\\n",
                "SIMPLE|a\\n\\nb  \\n|a\\r\\n\\r\\nb  \\r\\n",
                "RELAXED|a\\rb\\r|a\\rb\\r\\r\\n",
                "SIMPLE|a\\rb\\r|a\\rb\\r\\r\\n",
                "RELAXED|  \\r\\n\\t\\r\\nx|\\r\\n\\r\\nx\\r\\n",
                "RELAXED|a \\t b\\t\\r\\n  \\r\\n|a b\\r\\n",
            })
    void canonicalFormMatchesTheRfc(Canonicalization c, String in, String expected)
            throws Exception {
        byte[] input = unescape(in);
        byte[] canon = unescape(expected);
        assertThat(hash(c, input, -1, input.length)).isEqualTo(sha256(canon));
    }

    @ParameterizedTest
    @EnumSource(Canonicalization.class)
    void emptyBodyHashesAreTheWellKnownOnes(Canonicalization c) throws Exception {
        String expected =
                c == Canonicalization.SIMPLE
                        ? "frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY="
                        : "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
        assertThat(Base64.getEncoder().encodeToString(hash(c, new byte[0], -1, 1)))
                .isEqualTo(expected);
    }

    /**
     * Splitting into 1-byte pieces disables the eight-byte fast path: this compares it with the
     * byte path.
     */
    @ParameterizedTest
    @CsvSource({
        "RELAXED, 'ab \t\r\n\n\r\n  x'",
        "SIMPLE, 'ab \t\r\n\n\r\n  x'",
        "RELAXED, 'abcdefgh ijklmnop qrstuvw xyz\r\n'",
        "SIMPLE, 'abcdefgh ijklmnop qrstuvw xyz\r\n'",
        "RELAXED, 'ab c\u00e9\u0000\u007f\u0001 \r'",
        "SIMPLE, 'ab c\u00e9\u0000\u007f\u0001 \r'",
    })
    void theHashDoesNotDependOnHowTheBodyIsSplit(Canonicalization c, String alphabetEscaped)
            throws Exception {
        Random r = new Random(7);
        byte[] body = new byte[200_000];
        String alphabet =
                alphabetEscaped.replace("\\t", "\t").replace("\\r", "\r").replace("\\n", "\n");
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) alphabet.charAt(r.nextInt(alphabet.length()));
        }
        byte[] whole = hash(c, body, -1, body.length);
        assertThat(hash(c, body, -1, 1)).isEqualTo(whole);
        assertThat(hash(c, body, -1, 7)).isEqualTo(whole);
        assertThat(hash(c, body, -1, 40_000)).isEqualTo(whole);
    }

    @ParameterizedTest
    @EnumSource(Canonicalization.class)
    void bodyLengthLimitHashesOnlyThePrefixAndReportsTheRest(Canonicalization c) throws Exception {
        byte[] body = "abc\r\ndef\r\n".getBytes(StandardCharsets.US_ASCII);
        BodyHasher h = BodyHasher.create(c, MessageDigest.getInstance("SHA-256"), 5);
        h.update(body, 0, body.length);
        assertThat(h.finish()).isEqualTo(sha256("abc\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(h.hasUnsignedContent()).isTrue();
        assertThat(h.limitExceedsBody()).isFalse();
        BodyHasher exact = BodyHasher.create(c, MessageDigest.getInstance("SHA-256"), 10);
        exact.update(body, 0, body.length);
        exact.finish();
        assertThat(exact.hasUnsignedContent()).isFalse();
        BodyHasher over = BodyHasher.create(c, MessageDigest.getInstance("SHA-256"), 11);
        over.update(body, 0, body.length);
        over.finish();
        assertThat(over.limitExceedsBody()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Canonicalization.class)
    void millionsOfEmptyLinesDoNotOverflowTheBuffer(Canonicalization c) throws Exception {
        byte[] body = new byte[3_000_001];
        Arrays.fill(body, (byte) '\n');
        body[body.length - 1] = 'x';
        BodyHasher h = BodyHasher.create(c, MessageDigest.getInstance("SHA-256"), -1);
        h.update(body, 0, body.length);
        h.finish();
        assertThat(h.canonicalLength()).isEqualTo(2L * 3_000_000 + 3);
    }

    private static byte[] hash(Canonicalization c, byte[] body, long limit, int chunk)
            throws Exception {
        BodyHasher h = BodyHasher.create(c, MessageDigest.getInstance("SHA-256"), limit);
        for (int off = 0; off < body.length; off += chunk) {
            h.update(body, off, Math.min(chunk, body.length - off));
        }
        return h.finish();
    }

    private static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    private static byte[] unescape(String s) {
        if (s == null) {
            return new byte[0];
        }
        return s.replace("\\r", "\r")
                .replace("\\n", "\n")
                .replace("\\t", "\t")
                .getBytes(StandardCharsets.US_ASCII);
    }
}
