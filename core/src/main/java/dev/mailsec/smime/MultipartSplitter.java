package dev.mailsec.smime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.nio.charset.StandardCharsets;

/**
 * Splits a multipart body into the exact bytes of its parts (RFC 2046 section 5.1.1): a part ends
 * before the line break that precedes the next delimiter, so what was signed is what we hash.
 */
final class MultipartSplitter {

    private MultipartSplitter() {
    }

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
            boolean close = after + 1 < message.length && message[after] == '-' && message[after + 1] == '-';
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

    /** The next occurrence of {@code needle} at the start of a line (at {@code from} or after a LF). */
    private static int find(byte[] haystack, byte[] needle, int from) {
        int last = haystack.length - needle.length;
        int i = from;
        while (i <= last) {
            if (haystack[i] == needle[0] && matchesAt(haystack, needle, i)) {
                return i;
            }
            // skip to the next line start: delimiters only count there (RFC 2046 section 5.1.1)
            int lineEnd = dev.mailsec.smime.internal.ByteScan.indexOf(haystack, i, haystack.length, (byte) '\n');
            if (lineEnd < 0) {
                return -1;
            }
            i = lineEnd + 1;
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
