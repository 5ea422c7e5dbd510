package dev.mailsec.dkim;

import dev.mailsec.dkim.internal.Canonicalization;
import dev.mailsec.dkim.internal.HeaderHashInput;
import dev.mailsec.dkim.sign.SigningKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * Writes one DKIM-Signature field for {@link DkimSigner}: the tags in a fixed order, folded at 78
 * columns between tags and between h= names (RFC 6376 section 3.2 FWS), then signs the header hash
 * input with the field's own text (b= empty) and appends b=, folded too. Stateless.
 */
final class SignatureFieldWriter {
    private static final int LINE = 78;

    private SignatureFieldWriter() {}

    /**
     * The DKIM-Signature field (ending in CRLF) of {@code key} over the header hash input, with
     * {@code h=} names {@code h}, body hash {@code bh}, {@code t=now} and, when {@code lifetime} is
     * given, {@code x=}.
     */
    static String field(
            SigningKey key,
            HeaderHashInput input,
            List<String> h,
            String bh,
            long now,
            Duration lifetime) {
        Folder f = new Folder();
        f.tag("v=1")
                .tag("a=" + key.algorithm().tag())
                .tag("c=relaxed/relaxed")
                .tag("d=" + key.domain())
                .tag("s=" + key.selector())
                .tag("t=" + now);
        if (lifetime != null) {
            f.tag("x=" + (now + lifetime.getSeconds()));
        }
        f.list("h=", h).tag("bh=" + bh);
        f.sb.append(f.col + 3 > LINE ? "\r\n\tb=" : " b=");
        String unsigned = f.sb + "\r\n";
        int colon = unsigned.indexOf(':');
        byte[] data = input.data(h, unsigned, colon, Canonicalization.RELAXED);
        String b = Base64.getEncoder().encodeToString(key.sign(data));
        StringBuilder field = new StringBuilder(f.sb);
        int col = f.sb.length() - f.sb.lastIndexOf("\n");
        for (int i = 0; i < b.length(); ) {
            int room = Math.max(LINE - col, 8);
            int k = Math.min(room, b.length() - i);
            field.append(b, i, i + k);
            i += k;
            if (i < b.length()) {
                field.append("\r\n\t ");
                col = 9;
            }
        }
        return field.append("\r\n").toString();
    }

    /**
     * Builds the field text, folding between tags and between h= names (RFC 6376 section 3.2 FWS).
     */
    private static final class Folder {
        final StringBuilder sb = new StringBuilder("DKIM-Signature:");
        int col = sb.length();
        boolean first = true;

        Folder tag(String t) {
            sep(t.length());
            sb.append(t).append(';');
            col += t.length() + 1;
            return this;
        }

        Folder list(String tag, List<String> names) {
            sep(tag.length() + (names.isEmpty() ? 0 : names.get(0).length()));
            sb.append(tag);
            col += tag.length();
            for (int i = 0; i < names.size(); i++) {
                String n = names.get(i);
                if (i > 0) {
                    if (col + n.length() + 1 > LINE) {
                        sb.append("\r\n\t :");
                        col = 10;
                    } else {
                        sb.append(':');
                        col++;
                    }
                }
                sb.append(n);
                col += n.length();
            }
            sb.append(';');
            col++;
            return this;
        }

        private void sep(int next) {
            if (!first && col + next + 1 > LINE) {
                sb.append("\r\n\t");
                col = 8;
            } else {
                sb.append(' ');
                col++;
            }
            first = false;
        }
    }
}
