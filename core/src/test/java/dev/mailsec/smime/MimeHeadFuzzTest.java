package dev.mailsec.smime;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mailsec.smime.internal.ByteScan;
import dev.mailsec.smime.internal.MessageHead;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target for the S/MIME engine's header and MIME-head scanners: {@link MessageHead} (read in
 * blocks from a mark/reset stream and byte by byte from a plain one, which must agree), its content
 * type and transfer encoding, {@link MultipartSplitter} on the body with the head's boundary, and
 * {@link ByteScan} against plain loops over the same bytes.
 *
 * <p>{@code MessageHead.read} throws only {@link IOException} (block too large, a line that is
 * neither a field nor a continuation); everything else returns. Seeds (the tests' messages, signed
 * and encrypted ones included) are in {@code
 * src/test/resources/dev/mailsec/smime/MimeHeadFuzzTestInputs/headAndParts/}.
 */
class MimeHeadFuzzTest {

    @FuzzTest(maxDuration = "5m")
    @Timeout(10)
    void headAndParts(byte[] input) throws IOException {
        scanners(input);
        ByteArrayInputStream marked = new ByteArrayInputStream(input);
        MessageHead head;
        try {
            head = MessageHead.read(marked);
        } catch (IOException refused) {
            expectRefused(input);
            return;
        }
        int bodyStart = input.length - marked.available();
        InputStream plain =
                new FilterInputStream(new ByteArrayInputStream(input)) {
                    @Override
                    public boolean markSupported() {
                        return false;
                    }
                };
        MessageHead byByte = MessageHead.read(plain);
        if (byByte.fields().size() != head.fields().size()
                || plain.available() != marked.available()) {
            throw new IllegalStateException("block and byte-by-byte reads disagree");
        }
        head.transferEncoding();
        head.writeAll(new ByteArrayOutputStream());
        Optional<String> boundary = head.contentType().parameter("boundary");
        if (boundary.isPresent()) {
            for (byte[] part : MultipartSplitter.split(input, bodyStart, boundary.get())) {
                try {
                    MessageHead.read(new ByteArrayInputStream(part)).contentType();
                } catch (IOException refused) {
                    // a part whose head is not one: documented
                }
            }
        }
    }

    /** The byte-by-byte read must refuse what the block read refused. */
    private static void expectRefused(byte[] input) {
        InputStream plain =
                new FilterInputStream(new ByteArrayInputStream(input)) {
                    @Override
                    public boolean markSupported() {
                        return false;
                    }
                };
        try {
            MessageHead.read(plain);
        } catch (IOException expected) {
            return;
        }
        throw new IllegalStateException(
                "the block read refused a head the byte-by-byte read accepts");
    }

    private static void scanners(byte[] b) {
        if (b.length == 0) {
            return;
        }
        // nextBareLineFeed and nextAtLineStart read b[from - 1]: their callers start at 1 or later
        int from = 1 + (b[0] & 0xff) % b.length;
        int to = b.length;
        boolean high = false;
        int lf = -1;
        int bare = -1;
        int dash = -1;
        for (int i = from; i < to; i++) {
            high |= b[i] <= 0;
            if (lf < 0 && b[i] == '\n') {
                lf = i;
            }
            if (bare < 0 && b[i] == '\n' && b[i - 1] != '\r') {
                bare = i;
            }
            if (dash < 0 && b[i] == '-' && b[i - 1] == '\n') {
                dash = i;
            }
        }
        check("hasHighOrNul", ByteScan.hasHighOrNul(b, from, to) == high, b, from);
        check("indexOf", ByteScan.indexOf(b, from, to, (byte) '\n') == lf, b, from);
        check("nextBareLineFeed", ByteScan.nextBareLineFeed(b, from, to) == bare, b, from);
        check(
                "nextAtLineStart",
                ByteScan.nextAtLineStart(b, from, to, (byte) '-') == dash,
                b,
                from);
    }

    private static void check(String what, boolean ok, byte[] b, int from) {
        if (!ok) {
            throw new IllegalStateException(
                    "ByteScan."
                            + what
                            + " disagrees with a plain loop from "
                            + from
                            + " over "
                            + Arrays.toString(Arrays.copyOf(b, Math.min(b.length, 64))));
        }
    }
}
