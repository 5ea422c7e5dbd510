package dev.mailsec.dmarc.report;

import dev.mailsec.dkim.KeyLookup;
import dev.mailsec.dkim.KeyRecordSource;
import dev.mailsec.mail.DomainName;
import java.util.Locale;

/**
 * External destination verification (RFC 7489 section 7.1): a report for {@code example.com} goes
 * to a mailbox in another domain only if that domain publishes {@code
 * example.com._report._dmarc.<its domain>} TXT starting with {@code v=DMARC1}. Without a Public
 * Suffix List here, "the same organisation" is read conservatively: the destination is in the
 * policy domain or below it; anything else is checked in DNS.
 */
public final class ReportDestinations {

    /** What the check says of one destination. */
    public enum Verdict {
        ALLOWED,
        REFUSED,
        /** DNS failed for now: try again at the next run. */
        TEMPORARY
    }

    private final KeyRecordSource txt;

    /** {@code txt} answers TXT queries (DNS, or a zone file in tests and dry runs). */
    public ReportDestinations(KeyRecordSource txt) {
        this.txt = txt;
    }

    /** Whether reports for {@code policyDomain} may go to {@code destination}. */
    public Verdict check(String policyDomain, RuaUri destination) {
        String target = destination.domain();
        if (DomainName.isSameOrSubdomain(target, policyDomain)) {
            return Verdict.ALLOWED;
        }
        if (!DomainName.isValid(target)) {
            return Verdict.REFUSED;
        }
        String name = policyDomain + "._report._dmarc." + target;
        if (name.length() > DomainName.MAX_LENGTH) {
            return Verdict.REFUSED;
        }
        KeyLookup lookup = txt.lookup(name);
        switch (lookup.status()) {
            case FOUND:
                for (String record : lookup.records()) {
                    String r = record.trim().toLowerCase(Locale.ROOT);
                    if (r.startsWith("v=dmarc1")
                            && (r.length() == 8
                                    || r.substring(8).trim().isEmpty()
                                    || r.substring(8).trim().startsWith(";"))) {
                        return Verdict.ALLOWED;
                    }
                }
                return Verdict.REFUSED;
            case TEMPORARY_FAILURE:
                return Verdict.TEMPORARY;
            default:
                return Verdict.REFUSED;
        }
    }
}
