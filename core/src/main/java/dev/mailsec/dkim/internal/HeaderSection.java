package dev.mailsec.dkim.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Splits a header section (without the empty line that ends it) into fields. Never throws. */
public final class HeaderSection {

    private final List<HeaderField> fields;

    private HeaderSection(List<HeaderField> fields) {
        this.fields = Collections.unmodifiableList(fields);
    }

    public List<HeaderField> fields() {
        return fields;
    }

    /**
     * Parses {@code len} bytes. Lines that are neither a field nor a continuation (no colon, a name
     * with spaces, an mbox "From " line) are skipped: a signer cannot have signed them either.
     * Returns null if there are more than {@code maxFields} fields.
     */
    public static HeaderSection parse(byte[] b, int len, int maxFields) {
        String all = new String(b, 0, len, StandardCharsets.ISO_8859_1);
        List<HeaderField> fields = new ArrayList<>();
        StringBuilder current = null;
        int pos = 0;
        while (pos < len) {
            int lf = all.indexOf('\n', pos);
            int lineEnd = lf < 0 ? len : lf;
            int contentEnd =
                    lineEnd > pos && all.charAt(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
            String line = all.substring(pos, contentEnd);
            pos = lf < 0 ? len : lf + 1;
            if (!line.isEmpty() && HeaderField.isWsp(line.charAt(0))) {
                if (current != null) {
                    current.append(line).append("\r\n");
                }
                continue;
            }
            if (current != null) {
                HeaderField f = toField(current.toString());
                if (f != null) {
                    if (fields.size() >= maxFields) {
                        return null;
                    }
                    fields.add(f);
                }
            }
            current = new StringBuilder(line.length() + 2).append(line).append("\r\n");
        }
        if (current != null) {
            HeaderField f = toField(current.toString());
            if (f != null) {
                if (fields.size() >= maxFields) {
                    return null;
                }
                fields.add(f);
            }
        }
        return new HeaderSection(fields);
    }

    private static HeaderField toField(String raw) {
        int colon = raw.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        int nameEnd = colon;
        while (nameEnd > 0 && HeaderField.isWsp(raw.charAt(nameEnd - 1))) {
            nameEnd--;
        }
        if (nameEnd == 0) {
            return null;
        }
        for (int i = 0; i < nameEnd; i++) {
            char c = raw.charAt(i);
            // RFC 5322 ftext: printable US-ASCII except colon
            if (c < 33 || c > 126) {
                return null;
            }
        }
        return new HeaderField(raw.substring(0, nameEnd), raw, colon);
    }
}
