package dev.mailsec.dmarc.report;

import dev.mailsec.mail.DomainName;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds a {@link ReportRow} from the results the verify mailets leave on a mail (the attribute
 * contract of issue 17: {@code dev.mailsec.dmarc.result}, {@code dev.mailsec.dkim.results}, {@code
 * dev.mailsec.spf.result}), handed over as plain maps so this engine knows no James type. Values
 * outside the report schema's vocabularies are mapped into it (an unknown DKIM or SPF result is
 * reported as {@code none}... never as a value the schema refuses).
 */
public final class ReportRows {

    private static final Set<String> DKIM_RESULTS =
            Set.of("none", "pass", "fail", "policy", "neutral", "temperror", "permerror");
    private static final Set<String> SPF_RESULTS =
            Set.of("none", "neutral", "pass", "fail", "softfail", "temperror", "permerror");
    private static final Set<String> DISPOSITIONS = Set.of("none", "quarantine", "reject");

    private ReportRows() {}

    /**
     * The row for one mail, or empty when there is nobody to report to: no DMARC result, no record
     * evaluated, or a record without {@code rua}.
     *
     * @param dmarc the DMARC result map (null when VerifyDmarc did not run)
     * @param dkim the DKIM result maps (may be empty)
     * @param spf the SPF result map (null: SPF not evaluated)
     * @param envelopeFromDomain the MAIL FROM domain, "" for the null sender
     */
    public static Optional<ReportRow> from(
            Map<String, String> dmarc,
            List<Map<String, String>> dkim,
            Map<String, String> spf,
            String envelopeFromDomain) {
        if (dmarc == null) {
            return Optional.empty();
        }
        String record = value(dmarc, "record");
        String fromDomain = lower(value(dmarc, "fromDomain"));
        if (record.isEmpty() || fromDomain.isEmpty()) {
            return Optional.empty();
        }
        String policyDomain = lower(value(dmarc, "policyDomain"));
        if (policyDomain.isEmpty()) {
            String org = lower(value(dmarc, "orgDomain"));
            policyDomain = org.isEmpty() ? fromDomain : org;
        }
        if (!DomainName.isValid(policyDomain)
                || PublishedPolicy.parse(policyDomain, record).rua().isEmpty()) {
            return Optional.empty();
        }
        String disposition = lower(value(dmarc, "disposition"));
        List<ReportRow.Dkim> dkimRows = new ArrayList<>();
        for (Map<String, String> d : dkim) {
            String domain = lower(value(d, "d"));
            if (!domain.isEmpty()) {
                String result = lower(value(d, "result"));
                dkimRows.add(
                        new ReportRow.Dkim(
                                domain,
                                value(d, "s"),
                                DKIM_RESULTS.contains(result) ? result : "none"));
            }
        }
        String envelopeFrom = lower(envelopeFromDomain == null ? "" : envelopeFromDomain);
        String spfDomain;
        String spfScope;
        String spfResult;
        if (spf == null) {
            spfDomain = envelopeFrom.isEmpty() ? fromDomain : envelopeFrom;
            spfScope = "mfrom";
            spfResult = "none";
        } else {
            spfDomain = lower(value(spf, "domain"));
            spfScope = "helo".equals(value(spf, "scope")) ? "helo" : "mfrom";
            String r = lower(value(spf, "result"));
            spfResult = SPF_RESULTS.contains(r) ? r : "none";
        }
        return Optional.of(
                new ReportRow(
                        policyDomain,
                        record,
                        fromDomain,
                        envelopeFrom,
                        value(dmarc, "sourceIp"),
                        DISPOSITIONS.contains(disposition) ? disposition : "none",
                        "true".equals(value(dmarc, "dkimAligned")),
                        "true".equals(value(dmarc, "spfAligned")),
                        lower(value(dmarc, "override")),
                        spfDomain,
                        spfScope,
                        spfResult,
                        dkimRows));
    }

    private static String value(Map<String, String> map, String key) {
        String v = map.get(key);
        return v == null ? "" : v.trim();
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
