package dev.mailsec.dkim.internal;

import dev.mailsec.mail.DomainName;
import java.util.List;

/**
 * The RFC5322.From domain DMARC aligns against (RFC 7489 section 6.6.1): only when there is exactly
 * one From field holding exactly one mailbox; otherwise there is nothing to align with.
 */
public final class FromDomain {

    private FromDomain() {}

    public static String of(List<HeaderField> fields) {
        HeaderField from = null;
        for (HeaderField f : fields) {
            if (f.lowerName().equals("from")) {
                if (from != null) {
                    return null;
                }
                from = f;
            }
        }
        return from == null ? null : domainOf(from.unfoldedValue());
    }

    /** Domain of the single address in a From value, lower case, or null. */
    static String domainOf(String value) {
        if (value.length() > 4096) {
            return null;
        }
        // drop comments and quoted strings; refuse several mailboxes
        StringBuilder sb = new StringBuilder();
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && (quoted || depth > 0)) {
                i++;
                continue;
            }
            if (quoted) {
                if (c == '"') {
                    quoted = false;
                }
                continue;
            }
            if (depth > 0) {
                if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                }
                continue;
            }
            if (c == '"') {
                quoted = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ',') {
                return null;
            } else {
                sb.append(c);
            }
        }
        String s = sb.toString().trim();
        int lt = s.indexOf('<');
        if (lt >= 0) {
            int gt = s.indexOf('>', lt);
            if (gt < 0 || s.indexOf('<', lt + 1) >= 0) {
                return null;
            }
            s = s.substring(lt + 1, gt).trim();
        }
        int at = s.lastIndexOf('@');
        if (at <= 0) {
            return null;
        }
        return DomainName.normalize(
                        s.substring(at + 1), DomainName.Option.TRIM, DomainName.Option.TRAILING_DOT)
                .orElse(null);
    }
}
