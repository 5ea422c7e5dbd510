package dev.mailsec.dkim;

import dev.mailsec.dkim.internal.Canonicalization;
import dev.mailsec.dkim.internal.HeaderHashInput;
import dev.mailsec.dkim.sign.SigningKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Writes one DKIM-Signature field for {@link DkimSigner}: the tags in a fixed order, folded at 78
 * columns between tags and between h= names (RFC 6376 section 3.2 FWS), then signs the header hash
 * input with the field's own text (b= empty) and appends b=, folded too. ARC's sealer writes its
 * ARC-Message-Signature and ARC-Seal through {@link #signed}. Stateless.
 */
public final class SignatureFieldWriter {
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
        List<String> tags = new ArrayList<>();
        tags.add("v=1");
        tags.add("a=" + key.algorithm().tag());
        tags.add("c=relaxed/relaxed");
        tags.add("d=" + key.domain());
        tags.add("s=" + key.selector());
        tags.add("t=" + now);
        if (lifetime != null) {
            tags.add("x=" + (now + lifetime.getSeconds()));
        }
        return signed(
                "DKIM-Signature",
                tags,
                h,
                bh,
                key,
                unsigned ->
                        input.data(h, unsigned, unsigned.indexOf(':'), Canonicalization.RELAXED));
    }

    /**
     * A signature field of this kind (DKIM-Signature, ARC-Message-Signature, ARC-Seal): {@code
     * name:} then {@code tags} in order, then {@code h=} (when {@code h} is not null) and {@code
     * bh=} (when not null), folded at 78 columns, then {@code b=}: the key's signature of what
     * {@code data} makes of the field's own text with b= still empty (ending in CRLF).
     */
    public static String signed(
            String name,
            List<String> tags,
            List<String> h,
            String bh,
            SigningKey key,
            Function<String, byte[]> data) {
        Folder f = new Folder(name);
        for (String t : tags) {
            f.tag(t);
        }
        if (h != null) {
            f.list("h=", h);
        }
        if (bh != null) {
            f.tag("bh=" + bh);
        }
        f.sb.append(f.col + 3 > LINE ? "\r\n\tb=" : " b=");
        String unsigned = f.sb + "\r\n";
        String b = Base64.getEncoder().encodeToString(key.sign(data.apply(unsigned)));
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
        final StringBuilder sb;
        int col;
        boolean first = true;

        Folder(String name) {
            sb = new StringBuilder(name).append(':');
            col = sb.length();
        }

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
