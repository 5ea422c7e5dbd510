package dev.mailsec.dmarc.report;

import java.util.List;
import java.util.Map;

/** Attribute maps as the verify mailets write them (issue 17's contract). */
final class ReportFixtures {

    static final String RECORD =
            "v=DMARC1; p=reject; sp=quarantine; adkim=s; pct=50; fo=1;"
                    + " rua=mailto:dmarc@example.com,mailto:agg@reports.test!10k";

    private ReportFixtures() {}

    static Map<String, String> dmarc(String ip, String disposition, boolean dkimAligned) {
        return Map.ofEntries(
                Map.entry("result", dkimAligned ? "pass" : "fail"),
                Map.entry("fromDomain", "example.com"),
                Map.entry("orgDomain", "example.com"),
                Map.entry("policy", "reject"),
                Map.entry("disposition", disposition),
                Map.entry("override", ""),
                Map.entry("dkimAligned", Boolean.toString(dkimAligned)),
                Map.entry("spfAligned", "false"),
                Map.entry("record", RECORD),
                Map.entry("rua", "mailto:dmarc@example.com,mailto:agg@reports.test!10k"),
                Map.entry("sourceIp", ip));
    }

    static List<Map<String, String>> dkim(String result) {
        return List.of(Map.of("d", "example.com", "s", "sel1", "result", result));
    }

    static Map<String, String> spf(String result) {
        return Map.of("result", result, "domain", "bounce.example.com", "scope", "mailfrom");
    }

    static ReportRow row(String ip, String disposition, boolean dkimAligned) {
        return ReportRows.from(
                        dmarc(ip, disposition, dkimAligned),
                        dkim(dkimAligned ? "pass" : "fail"),
                        spf("softfail"),
                        "bounce.example.com")
                .orElseThrow();
    }
}
