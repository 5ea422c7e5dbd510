package dev.mailsec.dmarc;

import dev.mailsec.mail.DomainName;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The RFC5322.From domains DMARC evaluates (RFC 7489 section 6.6.1): every address of every From
 * field, distinct, lower-case ASCII (an internationalized domain in its punycode form). A message
 * with several addresses or fields gets every distinct domain evaluated and the strictest verdict
 * applied, as section 6.6.1 allows; one with none gets a permerror. Bounded: at most {@value
 * #MAX_FIELD_LENGTH} characters per field and {@value #MAX_ADDRESSES} addresses are read.
 */
final class FromDomains {

    static final int MAX_FIELD_LENGTH = 16_384;
    static final int MAX_ADDRESSES = 100;

    /** The distinct domains found, and why there are none when the list is empty. */
    static final class Found {
        final List<String> domains;
        final String problem;

        Found(List<String> domains, String problem) {
            this.domains = domains;
            this.problem = problem;
        }
    }

    private FromDomains() {}

    static Found of(List<String> fromFields) {
        if (fromFields == null || fromFields.isEmpty()) {
            return new Found(List.of(), "no From field");
        }
        Set<String> domains = new LinkedHashSet<>();
        int addresses = 0;
        for (String field : fromFields) {
            if (field == null || field.length() > MAX_FIELD_LENGTH) {
                return new Found(List.of(), "From field too long");
            }
            for (String address : addresses(field)) {
                if (++addresses > MAX_ADDRESSES) {
                    return new Found(List.of(), "more than " + MAX_ADDRESSES + " From addresses");
                }
                String domain = domainOf(address);
                if (domain == null) {
                    return new Found(List.of(), "a From address without a valid domain");
                }
                domains.add(domain);
            }
        }
        if (domains.isEmpty()) {
            return new Found(List.of(), "no address in From");
        }
        return new Found(new ArrayList<>(domains), "");
    }

    /**
     * The mailboxes of a field value: split on commas outside quotes, comments and angle brackets;
     * comments and quoted display names dropped; group names ("team:") and ';' dropped.
     */
    static List<String> addresses(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        boolean quoted = false;
        boolean angle = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && (quoted || depth > 0)) {
                i++;
                continue;
            }
            if (quoted) {
                quoted = c != '"';
                continue;
            }
            if (depth > 0) {
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
                continue;
            }
            if (c == '"') {
                quoted = true;
            } else if (c == '(') {
                depth = 1;
            } else if (c == '<') {
                angle = true;
                current.setLength(0);
            } else if (c == '>') {
                angle = false;
                add(out, current);
            } else if (!angle && (c == ',' || c == ';')) {
                add(out, current);
            } else if (!angle && c == ':') {
                current.setLength(0); // a group's display name
            } else {
                current.append(c);
            }
        }
        add(out, current);
        return out;
    }

    private static void add(List<String> out, StringBuilder current) {
        String s = current.toString().trim();
        current.setLength(0);
        if (s.contains("@")) {
            out.add(s); // words without '@' are display names an MUA failed to quote
        }
    }

    /** The domain of an addr-spec, or null when it has none or it is not a domain name. */
    static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        if (at <= 0) {
            return null;
        }
        return DomainName.normalize(
                        address.substring(at + 1),
                        DomainName.Option.TRIM,
                        DomainName.Option.TRAILING_DOT,
                        DomainName.Option.IDN,
                        DomainName.Option.MULTI_LABEL)
                .orElse(null);
    }
}
