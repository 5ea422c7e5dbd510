package dev.mailsec.dmarc.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tags of a published DMARC record that an aggregate report repeats in {@code policy_published}
 * (RFC 7489 appendix C), with the record's defaults (RFC 7489 section 6.3) for what it leaves out,
 * and its {@code rua} URIs. Reading is lenient: the record was already evaluated by VerifyDmarc; a
 * tag we cannot read falls back to its default.
 */
public final class PublishedPolicy {

    /** {@code ri}'s default: one day (RFC 7489 section 6.3). */
    public static final long DEFAULT_RI = 86_400;

    private final String domain;
    private final String adkim;
    private final String aspf;
    private final String p;
    private final String sp;
    private final int pct;
    private final String fo;
    private final long ri;
    private final List<String> rua;

    private PublishedPolicy(
            String domain,
            String adkim,
            String aspf,
            String p,
            String sp,
            int pct,
            String fo,
            long ri,
            List<String> rua) {
        this.domain = domain;
        this.adkim = adkim;
        this.aspf = aspf;
        this.p = p;
        this.sp = sp;
        this.pct = pct;
        this.fo = fo;
        this.ri = ri;
        this.rua = List.copyOf(rua);
    }

    /** Reads {@code record} (the TXT text of {@code _dmarc.<domain>}). */
    public static PublishedPolicy parse(String domain, String record) {
        String adkim = "r";
        String aspf = "r";
        String p = "none";
        String sp = null;
        int pct = 100;
        String fo = "0";
        long ri = DEFAULT_RI;
        List<String> rua = new ArrayList<>();
        for (String tag : record.split(";")) {
            int eq = tag.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = tag.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = tag.substring(eq + 1).trim();
            String lower = value.toLowerCase(Locale.ROOT);
            switch (name) {
                case "adkim":
                    adkim = lower.equals("s") ? "s" : "r";
                    break;
                case "aspf":
                    aspf = lower.equals("s") ? "s" : "r";
                    break;
                case "p":
                    p = disposition(lower, p);
                    break;
                case "sp":
                    sp = disposition(lower, null);
                    break;
                case "pct":
                    pct = percent(value);
                    break;
                case "fo":
                    fo = value.isEmpty() ? "0" : value;
                    break;
                case "ri":
                    ri = interval(value);
                    break;
                case "rua":
                    for (String uri : value.split(",")) {
                        if (!uri.isBlank()) {
                            rua.add(uri.trim());
                        }
                    }
                    break;
                default:
                    break;
            }
        }
        return new PublishedPolicy(domain, adkim, aspf, p, sp == null ? p : sp, pct, fo, ri, rua);
    }

    private static String disposition(String value, String fallback) {
        switch (value) {
            case "none":
            case "quarantine":
            case "reject":
                return value;
            default:
                return fallback;
        }
    }

    /** ri: a 32-bit unsigned number of seconds (RFC 7489 section 6.3); else the default. */
    private static long interval(String value) {
        if (!value.matches("[0-9]{1,10}")) {
            return DEFAULT_RI;
        }
        long v = Long.parseLong(value);
        return v > 0xFFFF_FFFFL ? DEFAULT_RI : v;
    }

    private static int percent(String value) {
        try {
            int v = Integer.parseInt(value);
            return v < 0 || v > 100 ? 100 : v;
        } catch (NumberFormatException e) {
            return 100;
        }
    }

    public String domain() {
        return domain;
    }

    public String adkim() {
        return adkim;
    }

    public String aspf() {
        return aspf;
    }

    public String p() {
        return p;
    }

    public String sp() {
        return sp;
    }

    public int pct() {
        return pct;
    }

    public String fo() {
        return fo;
    }

    /** The requested aggregate report interval in seconds ({@code ri}, default one day). */
    public long ri() {
        return ri;
    }

    /** The {@code rua} URIs as published (with any {@code !size} suffix), in order. */
    public List<String> rua() {
        return rua;
    }
}
