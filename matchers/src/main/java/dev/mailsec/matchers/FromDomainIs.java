package dev.mailsec.matchers;

import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.mail.DomainName;
import dev.mailsec.mail.DomainName.Option;
import java.net.IDN;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

/**
 * Matches mail whose {@code From:} field (RFC5322.From, the domain DMARC aligns to, not the
 * envelope sender) claims one of the listed domains. Every {@code From:} field and every address in
 * it counts, and so does an address shown in a display name or comment ({@code "ceo@bank.test"
 * <x@evil.test>}), after MIME encoded words are decoded and Unicode compatibility forms folded
 * ({@code ceo＠bank.test}): what a reader could take for the domain claims it. Mail without a {@code
 * From:} claims nothing. All recipients, or none.
 *
 * <pre>{@code
 * <matcher name="claims-bank" match="dev.mailsec.matchers.FromDomainIs=bank.test,*.bank.test"/>
 * }</pre>
 *
 * The condition is a comma-separated list: {@code bank.test} matches that domain exactly, {@code
 * *.bank.test} every subdomain of it (list both for both). Case and a trailing dot do not matter;
 * internationalised names are compared in their ASCII (punycode) form. An empty condition or a
 * value that is not a domain name under the pack's one rule ({@code DomainName}) fails the start;
 * the condition is read through {@link Conditions}.
 */
public class FromDomainIs extends GenericMatcher {

    /**
     * The longest From: field read; a longer one counts as claiming every configured domain (fails
     * closed).
     */
    private static final int MAX_FIELD = 64 * 1024;

    private Set<String> exact;
    private List<String> suffixes;

    @Override
    public void init() throws MessagingException {
        Set<String> domains = new LinkedHashSet<>();
        List<String> wildcards = new ArrayList<>();
        Conditions.read(
                "FromDomainIs",
                getCondition(),
                c -> {
                    c.required("list domains", "bank.test,*.bank.test");
                    for (String value : c.items()) {
                        boolean wildcard = value.startsWith("*.");
                        String domain =
                                DomainName.normalize(
                                                wildcard ? value.substring(2) : value,
                                                Option.TRAILING_DOT,
                                                Option.IDN)
                                        .orElseThrow(() -> c.bad("domain name", value));
                        if (wildcard) {
                            wildcards.add("." + domain);
                        } else {
                            domains.add(domain);
                        }
                    }
                    return null;
                });
        exact = Set.copyOf(domains);
        suffixes = List.copyOf(wildcards);
    }

    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        return PerMailGuard.call(getClass().getSimpleName(), () -> matchRecipients(mail));
    }

    private Collection<MailAddress> matchRecipients(Mail mail) throws MessagingException {
        String[] fields = mail.getMessage().getHeader("From");
        if (fields == null) {
            return Collections.emptyList();
        }
        for (String field : fields) {
            if (field.length() > MAX_FIELD) {
                // what lies past the part we read could claim any domain: such a field claims them
                // all
                return mail.getRecipients();
            }
            for (String domain : FromDomains.claimed(field)) {
                if (matches(domain)) {
                    return mail.getRecipients();
                }
            }
        }
        return Collections.emptyList();
    }

    private boolean matches(String domain) {
        if (exact.contains(domain)) {
            return true;
        }
        for (String suffix : suffixes) {
            if (domain.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String getMatcherInfo() {
        return "FromDomainIs: matches mail whose From: field claims one of the listed domains";
    }

    /** The domains a From: value shows to a reader. */
    static final class FromDomains {

        private FromDomains() {}

        /**
         * Every domain after an {@code @} in the value, read twice: as written (so an address
         * inside a quoted display name or a comment counts) and with comments removed (so {@code
         * ceo@(x)bank.test} reads as {@code ceo@bank.test}).
         */
        static Set<String> claimed(String rawField) {
            String value =
                    Normalizer.normalize(
                            HeaderText.decode(rawField, MAX_FIELD), Normalizer.Form.NFKC);
            Set<String> domains = new LinkedHashSet<>();
            collect(value, domains);
            collect(withoutComments(value), domains);
            return domains;
        }

        private static void collect(String value, Set<String> into) {
            for (int at = value.indexOf('@'); at >= 0; at = value.indexOf('@', at + 1)) {
                int start = at + 1;
                while (start < value.length()
                        && (value.charAt(start) == ' ' || value.charAt(start) == '\t')) {
                    start++;
                }
                int end = start;
                while (end < value.length() && isDomainChar(value.charAt(end))) {
                    end++;
                }
                String domain = normalise(value.substring(start, end));
                if (domain != null) {
                    into.add(domain);
                }
            }
        }

        private static boolean isDomainChar(char c) {
            return c == '.' || c == '-' || c == '_' || Character.isLetterOrDigit(c);
        }

        /**
         * RFC 5322 comments (nested, with quoted-pairs) removed; quoted strings kept as they are.
         */
        static String withoutComments(String value) {
            StringBuilder sb = new StringBuilder(value.length());
            int depth = 0;
            boolean quoted = false;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\\' && (quoted || depth > 0) && i + 1 < value.length()) {
                    if (depth == 0) {
                        sb.append(c).append(value.charAt(i + 1));
                    }
                    i++;
                } else if (depth > 0) {
                    depth += c == '(' ? 1 : c == ')' ? -1 : 0;
                } else if (quoted) {
                    quoted = c != '"';
                    sb.append(c);
                } else if (c == '(') {
                    depth = 1;
                } else {
                    quoted = c == '"';
                    sb.append(c);
                }
            }
            return sb.toString();
        }

        /** Lower case, no trailing dot, ASCII (punycode) form; null if it is not a domain name. */
        static String normalise(String domain) {
            String d = domain.trim();
            while (d.endsWith(".")) {
                d = d.substring(0, d.length() - 1);
            }
            while (d.startsWith(".")) {
                d = d.substring(1);
            }
            if (d.isEmpty() || d.length() > 1024) {
                return null;
            }
            try {
                d = IDN.toASCII(d, IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                // not a valid IDN: compare it as written (it cannot equal a configured ASCII
                // domain)
            }
            d = d.toLowerCase(Locale.ROOT);
            for (int i = 0; i < d.length(); i++) {
                char c = d.charAt(i);
                if (!(c == '.' || c == '-' || c == '_' || Character.isLetterOrDigit(c))) {
                    return null;
                }
            }
            return d;
        }
    }
}
