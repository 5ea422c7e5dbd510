package dev.mailsec.dkim;

import dev.mailsec.dkim.internal.HeaderSection;
import java.util.Arrays;

/**
 * Collects the header section of a message streamed in pieces, line by line, up to the empty line
 * that ends it (CRLF or bare LF), in a buffer bounded by {@code maxBytes}. Shared by the signer and
 * the verifier (and ARC's verifier and sealer), so all see the same header section. Not
 * thread-safe: one per message.
 */
public final class HeaderCollector {
    private final int maxBytes;
    private byte[] header = new byte[4096];
    private int length;
    private int lineStart;
    private int sectionLength = -1;
    private boolean overflowed;

    public HeaderCollector(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Takes bytes from {@code b} up to and including the empty line that ends the header section.
     *
     * @return how many bytes were taken (the rest is body), or -1 when the header section would
     *     grow beyond {@code maxBytes}
     */
    public int take(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end && sectionLength < 0) {
            int j = i;
            while (j < end && b[j] != '\n') {
                j++;
            }
            int n = (j < end ? j + 1 : end) - i;
            if (length + n > header.length) {
                if (length + n > maxBytes) {
                    overflowed = true;
                    return -1;
                }
                header =
                        Arrays.copyOf(header, Math.min(maxBytes, Math.max(length + n, length * 2)));
            }
            System.arraycopy(b, i, header, length, n);
            length += n;
            i += n;
            if (j < end) {
                int lineLen = length - lineStart;
                if (lineLen == 1 || (lineLen == 2 && header[lineStart] == '\r')) {
                    sectionLength = lineStart; // the empty line that ends the header section
                } else {
                    lineStart = length;
                }
            }
        }
        return i - off;
    }

    /** Whether the empty line that ends the header section has been seen. */
    public boolean complete() {
        return sectionLength >= 0;
    }

    /**
     * Parses what was collected (all of it when the message ended inside its header section) and
     * lets the buffer go; null when there are more than {@code maxFields} fields.
     */
    public HeaderSection parse(int maxFields) {
        HeaderSection section =
                HeaderSection.parse(header, complete() ? sectionLength : length, maxFields);
        header = null;
        return section;
    }

    /**
     * Ends collecting (the empty line was seen, the message ended inside its header section, or the
     * buffer overflowed), parses once and lets the buffer go: what every verifier of the message
     * then reads, each under its own limits.
     */
    public CollectedHeader collected(int maxFields) {
        if (overflowed) {
            header = null;
            return new CollectedHeader(null, (long) maxBytes + 1);
        }
        long size = length;
        return new CollectedHeader(parse(maxFields), size);
    }

    /** Lets the buffer go without parsing it. */
    public void discard() {
        header = null;
    }
}
