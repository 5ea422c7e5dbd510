package dev.mailsec.smime;

import dev.mailsec.smime.internal.ByteScan;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a multipart body into the exact bytes of its parts (RFC 2046 section 5.1.1): a part ends
 * before the line break that precedes the next delimiter, so what was signed is what we hash.
 */
final class MultipartSplitter {

    private MultipartSplitter() {}

    static List<byte[]> split(byte[] message, int bodyStart, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<byte[]> parts = new ArrayList<>();
        int partStart = -1;
        int pos = bodyStart;
        while (pos <= message.length - delimiter.length) {
            int hit = find(message, delimiter, pos);
            if (hit < 0) {
                break;
            }
            boolean atLineStart = hit == bodyStart || message[hit - 1] == '\n';
            if (!atLineStart) {
                pos = hit + 1;
                continue;
            }
            int after = hit + delimiter.length;
            boolean close =
                    after + 1 < message.length
                            && message[after] == '-'
                            && message[after + 1] == '-';
            if (partStart >= 0) {
                int end = hit;
                if (end > partStart && message[end - 1] == '\n') {
                    end--;
                    if (end > partStart && message[end - 1] == '\r') {
                        end--;
                    }
                }
                parts.add(Arrays.copyOfRange(message, partStart, Math.max(partStart, end)));
            }
            if (close) {
                return parts;
            }
            int eol = after;
            while (eol < message.length && message[eol] != '\n') {
                eol++;
            }
            partStart = Math.min(eol + 1, message.length);
            pos = partStart;
        }
        return parts;
    }

    /**
     * The next occurrence of {@code needle} at the start of a line (at {@code from} or after a LF).
     */
    private static int find(byte[] haystack, byte[] needle, int from) {
        int last = haystack.length - needle.length;
        if (from > last) {
            return -1;
        }
        if (haystack[from] == needle[0] && matchesAt(haystack, needle, from)) {
            return from;
        }
        // delimiters only count at line starts (RFC 2046 section 5.1.1): one pass for "LF then the
        // first byte"
        int i = from + 1;
        while (i <= last) {
            int hit = ByteScan.nextAtLineStart(haystack, i, last + 1, needle[0]);
            if (hit < 0) {
                return -1;
            }
            if (matchesAt(haystack, needle, hit)) {
                return hit;
            }
            i = hit + 1;
        }
        return -1;
    }

    private static boolean matchesAt(byte[] haystack, byte[] needle, int at) {
        for (int j = 1; j < needle.length; j++) {
            if (haystack[at + j] != needle[j]) {
                return false;
            }
        }
        return true;
    }
}
