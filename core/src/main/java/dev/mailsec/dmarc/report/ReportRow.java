package dev.mailsec.dmarc.report;

import dev.mailsec.report.CountedRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What an aggregate report counts: one evaluated result tuple of RFC 7489 appendix C ({@code row},
 * {@code identifiers}, {@code auth_results}) with the policy domain and the DMARC record it was
 * evaluated against. Two mails with equal rows are one report record with count 2. The stores keep
 * a row as its {@link #encode() one-line encoding}; every value is bounded and free of control
 * characters, so hostile header values cannot grow a row or break its encoding.
 */
public final class ReportRow implements CountedRow {

    /** Most DKIM results kept per row (VerifyDkim already bounds signatures). */
    public static final int MAX_DKIM = 10;

    static final int MAX_VALUE = 255;
    static final int MAX_RECORD = 1024;
    private static final String VERSION = "r1";

    /** One DKIM signature's result, uninterpreted with respect to DMARC. */
    public static final class Dkim {
        public final String domain;
        public final String selector;
        public final String result;

        public Dkim(String domain, String selector, String result) {
            this.domain = clean(domain, MAX_VALUE);
            this.selector = clean(selector, MAX_VALUE);
            this.result = clean(result, MAX_VALUE);
        }
    }

    final String policyDomain;
    final String record;
    final String headerFrom;
    final String envelopeFrom;
    final String sourceIp;
    final String disposition;
    final boolean dkimAligned;
    final boolean spfAligned;
    final String override;
    final String spfDomain;
    final String spfScope;
    final String spfResult;
    final List<Dkim> dkim;

    /** Values as the attributes carry them; see {@link ReportRows#from}. */
    ReportRow(
            String policyDomain,
            String record,
            String headerFrom,
            String envelopeFrom,
            String sourceIp,
            String disposition,
            boolean dkimAligned,
            boolean spfAligned,
            String override,
            String spfDomain,
            String spfScope,
            String spfResult,
            List<Dkim> dkim) {
        this.policyDomain = clean(policyDomain, MAX_VALUE);
        this.record = clean(record, MAX_RECORD);
        this.headerFrom = clean(headerFrom, MAX_VALUE);
        this.envelopeFrom = clean(envelopeFrom, MAX_VALUE);
        this.sourceIp = clean(sourceIp, MAX_VALUE);
        this.disposition = clean(disposition, MAX_VALUE);
        this.dkimAligned = dkimAligned;
        this.spfAligned = spfAligned;
        this.override = clean(override, MAX_VALUE);
        this.spfDomain = clean(spfDomain, MAX_VALUE);
        this.spfScope = clean(spfScope, MAX_VALUE);
        this.spfResult = clean(spfResult, MAX_VALUE);
        this.dkim = List.copyOf(dkim.subList(0, Math.min(dkim.size(), MAX_DKIM)));
    }

    @Override
    public String policyDomain() {
        return policyDomain;
    }

    public String record() {
        return record;
    }

    public String sourceIp() {
        return sourceIp;
    }

    public String headerFrom() {
        return headerFrom;
    }

    public String disposition() {
        return disposition;
    }

    public List<Dkim> dkim() {
        return dkim;
    }

    /** Tabs separate the values, which hold none. */
    @Override
    public String encode() {
        List<String> f = new ArrayList<>();
        f.add(VERSION);
        f.add(policyDomain);
        f.add(headerFrom);
        f.add(envelopeFrom);
        f.add(sourceIp);
        f.add(disposition);
        f.add(Boolean.toString(dkimAligned));
        f.add(Boolean.toString(spfAligned));
        f.add(override);
        f.add(spfDomain);
        f.add(spfScope);
        f.add(spfResult);
        f.add(record);
        f.add(Integer.toString(dkim.size()));
        for (Dkim d : dkim) {
            f.add(d.domain);
            f.add(d.selector);
            f.add(d.result);
        }
        return String.join("\t", f);
    }

    /** Reads {@link #encode()}'s text back; {@code IllegalArgumentException} if it is not one. */
    public static ReportRow decode(String line) {
        String[] f = line.split("\t", -1);
        if (f.length < 14 || !f[0].equals(VERSION)) {
            throw new IllegalArgumentException("not a DMARC report row");
        }
        int n;
        try {
            n = Integer.parseInt(f[13]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a DMARC report row", e);
        }
        if (n < 0 || n > MAX_DKIM || f.length != 14 + 3 * n) {
            throw new IllegalArgumentException("not a DMARC report row");
        }
        List<Dkim> dkim = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            dkim.add(new Dkim(f[14 + 3 * i], f[15 + 3 * i], f[16 + 3 * i]));
        }
        return new ReportRow(
                f[1],
                f[12],
                f[2],
                f[3],
                f[4],
                f[5],
                Boolean.parseBoolean(f[6]),
                Boolean.parseBoolean(f[7]),
                f[8],
                f[9],
                f[10],
                f[11],
                dkim);
    }

    static String clean(String value, int max) {
        if (value == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(value.length(), max));
        for (int i = 0; i < value.length() && b.length() < max; i++) {
            char c = value.charAt(i);
            // no control characters (the encoding's separators) and nothing XML 1.0 refuses
            b.append(
                    c < 0x20 || c == 0x7f
                            ? ' '
                            : Character.isSurrogate(c) || c >= 0xfffe ? '?' : c);
        }
        return b.toString().trim();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReportRow && ((ReportRow) o).encode().equals(encode());
    }

    @Override
    public int hashCode() {
        return Objects.hash(encode());
    }

    @Override
    public String toString() {
        return "ReportRow[" + policyDomain + ", " + sourceIp + ", " + disposition + "]";
    }
}
