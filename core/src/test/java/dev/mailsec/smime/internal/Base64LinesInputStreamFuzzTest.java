package dev.mailsec.smime.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target for base64 line decoding ({@link Base64LinesInputStream}): it throws only {@link
 * IOException} for input it refuses, and whatever both it and the JDK's MIME decoder (whose input
 * rules it follows) accept decodes to the same bytes. The stream is read in chunks whose size the
 * input's length picks, so the single-byte and block paths both run. Seeds (base64 bodies of the
 * S/MIME tests' messages, with CRLF, LF, long and ragged lines) are in {@code
 * src/test/resources/dev/mailsec/smime/internal/Base64LinesInputStreamFuzzTestInputs/decode/}.
 */
class Base64LinesInputStreamFuzzTest {

    @FuzzTest(maxDuration = "5m")
    @Timeout(10)
    void decode(byte[] input) {
        byte[] ours;
        try {
            ours = readAll(input, 1 + input.length % 97);
        } catch (IOException refused) {
            return;
        }
        byte[] jdk;
        try {
            jdk = Base64.getMimeDecoder().decode(input);
        } catch (IllegalArgumentException refused) {
            return;
        }
        if (!Arrays.equals(ours, jdk)) {
            throw new IllegalStateException(
                    "decodes differently from the JDK's MIME decoder: "
                            + ours.length
                            + " bytes against "
                            + jdk.length);
        }
    }

    private static byte[] readAll(byte[] input, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Base64LinesInputStream in =
                new Base64LinesInputStream(new ByteArrayInputStream(input))) {
            byte[] buffer = new byte[chunk];
            while (true) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                out.write(b);
                int n = in.read(buffer, 0, chunk);
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
            }
        }
        return out.toByteArray();
    }
}
