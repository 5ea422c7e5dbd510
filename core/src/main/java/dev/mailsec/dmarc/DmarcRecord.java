package dev.mailsec.dmarc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A parsed DMARC policy record (RFC 7489 section 6.3, with DMARCbis's {@code np}, {@code t} and
 * {@code psd}). Unknown tags are ignored; a known tag with a bad value falls back to its default
 * (section 6.3: "syntax errors in the remainder of the record SHOULD be discarded in favor of
 * default values"), except a bad {@code p} or {@code sp}, which follows section 6.6.3 step 6: the
 * record counts as {@code p=none} when it has a valid {@code rua} URI, and is unusable otherwise.
 * Parsing is bounded: records over {@value #MAX_LENGTH} characters are unusable and at most {@value
 * #MAX_URIS} URIs are kept per list.
 */
public final class DmarcRecord {

    /** Longest record text evaluated (a TXT record can hold far more; nobody needs it). */
    public static final int MAX_LENGTH = 16_384;

    /** URIs kept per rua/ruf list (RFC 7489 section 6.2 lets receivers limit them, at least 2). */
    public static final int MAX_URIS = 20;

    private static final Pattern URI = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:[^\\s,!;]+");
    private static final Pattern SIZE = Pattern.compile("[0-9]{1,15}[kmgtKMGT]?");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,10}");

    /** Outcome of parsing one TXT string. */
    public enum Kind {
        /** Usable record. */
        VALID,
        /** Does not start with {@code v=DMARC1}: not a DMARC record, discarded (section 6.6.3). */
        NOT_DMARC,
        /** A DMARC record that cannot be used (no valid p/sp and no valid rua, or too long). */
        INVALID
    }

    private final Kind kind;
    private final String text;
    private final String problem;
    private final DmarcPolicy p;
    private final DmarcPolicy sp;
    private final DmarcPolicy np;
    private final int pct;
    private final boolean strictDkim;
    private final boolean strictSpf;
    private final String fo;
    private final List<String> rua;
    private final List<String> ruf;
    private final long ri;
    private final boolean testing;
    private final String psd;

    private DmarcRecord(Builder b) {
        this.kind = b.kind;
        this.text = b.text;
        this.problem = b.problem;
        this.p = b.p;
        this.sp = b.sp;
        this.np = b.np;
        this.pct = b.pct;
        this.strictDkim = b.strictDkim;
        this.strictSpf = b.strictSpf;
        this.fo = b.fo;
        this.rua = Collections.unmodifiableList(b.rua);
        this.ruf = Collections.unmodifiableList(b.ruf);
        this.ri = b.ri;
        this.testing = b.testing;
        this.psd = b.psd;
    }

    /** Parses one TXT record (its strings already joined). Never throws; null reads as "". */
    public static DmarcRecord parse(String txt) {
        Builder b = new Builder(txt == null ? "" : txt);
        if (b.text.length() > MAX_LENGTH) {
            b.text = b.text.substring(0, 64) + "...";
            return b.invalid("record longer than " + MAX_LENGTH + " characters");
        }
        String[] parts = b.text.split(";", 64);
        if (!isVersion(parts[0])) {
            b.kind = Kind.NOT_DMARC;
            return new DmarcRecord(b);
        }
        String pText = null;
        String spText = null;
        List<String> seen = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq < 0) {
                continue;
            }
            String tag = parts[i].substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = parts[i].substring(eq + 1).trim();
            if (seen.contains(tag)) {
                continue; // the first occurrence counts
            }
            seen.add(tag);
            switch (tag) {
                case "p":
                    pText = value;
                    break;
                case "sp":
                    spText = value;
                    break;
                case "np":
                    b.np = policy(value);
                    break;
                case "pct":
                    b.pct =
                            DIGITS.matcher(value).matches()
                                    ? (int) Math.min(100, Long.parseLong(value))
                                    : 100;
                    break;
                case "adkim":
                    b.strictDkim = value.equalsIgnoreCase("s");
                    break;
                case "aspf":
                    b.strictSpf = value.equalsIgnoreCase("s");
                    break;
                case "fo":
                    b.fo = value.matches("[01dsDS](\\s*:\\s*[01dsDS])*") ? value : "0";
                    break;
                case "rua":
                    b.rua = uris(value);
                    break;
                case "ruf":
                    b.ruf = uris(value);
                    break;
                case "ri":
                    b.ri =
                            DIGITS.matcher(value).matches()
                                    ? Math.min(Long.parseLong(value), 4294967295L)
                                    : 86400;
                    break;
                case "t":
                    b.testing = value.equalsIgnoreCase("y");
                    break;
                case "psd":
                    b.psd = value.matches("[ynuYNU]") ? value.toLowerCase(Locale.ROOT) : "u";
                    break;
                default:
                    // unknown tags (and rf, whose only value is afrf) are ignored: section 6.3
            }
        }
        b.p = policy(pText);
        b.sp = spText == null ? null : policy(spText);
        if (b.p == null || (spText != null && b.sp == null)) {
            if (b.rua.isEmpty()) {
                return b.invalid(b.p == null ? "no valid p= tag" : "invalid sp= tag");
            }
            // section 6.6.3 step 6.1: act as if p=none was published
            b.p = DmarcPolicy.NONE;
            b.sp = null;
        }
        return new DmarcRecord(b);
    }

    private static boolean isVersion(String first) {
        int eq = first.indexOf('=');
        return eq > 0
                && first.substring(0, eq).trim().equalsIgnoreCase("v")
                && first.substring(eq + 1).trim().equals("DMARC1");
    }

    private static DmarcPolicy policy(String value) {
        if (value == null) {
            return null;
        }
        try {
            return DmarcPolicy.fromKeyword(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static List<String> uris(String value) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start <= value.length() && out.size() < MAX_URIS) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            String item = value.substring(start, end).trim();
            int bang = item.lastIndexOf('!');
            String uri = bang < 0 ? item : item.substring(0, bang);
            boolean sizeOk = bang < 0 || SIZE.matcher(item.substring(bang + 1)).matches();
            if (sizeOk && URI.matcher(uri).matches()) {
                out.add(item);
            }
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
        return out;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isValid() {
        return kind == Kind.VALID;
    }

    /** The record text as published ("" for null), shortened when over {@link #MAX_LENGTH}. */
    public String text() {
        return text;
    }

    /** Why an {@link Kind#INVALID} record cannot be used; "" otherwise. */
    public String problem() {
        return problem;
    }

    public DmarcPolicy p() {
        return p;
    }

    /** The subdomain policy, or p when sp= is absent. */
    public DmarcPolicy sp() {
        return sp != null ? sp : p;
    }

    /** The non-existent subdomain policy (DMARCbis), or {@link #sp()} when np= is absent. */
    public DmarcPolicy np() {
        return np != null ? np : sp();
    }

    public Optional<DmarcPolicy> npTag() {
        return Optional.ofNullable(np);
    }

    /** 0 to 100; 100 when absent or invalid. */
    public int pct() {
        return pct;
    }

    public boolean strictDkim() {
        return strictDkim;
    }

    public boolean strictSpf() {
        return strictSpf;
    }

    public String fo() {
        return fo;
    }

    public List<String> rua() {
        return rua;
    }

    public List<String> ruf() {
        return ruf;
    }

    public long ri() {
        return ri;
    }

    /** DMARCbis t=y: testing, apply the next milder policy. */
    public boolean testing() {
        return testing;
    }

    /** DMARCbis psd: y, n or u (the default). */
    public String psd() {
        return psd;
    }

    @Override
    public String toString() {
        if (kind != Kind.VALID) {
            return "DmarcRecord{" + kind + (problem.isEmpty() ? "" : ", " + problem) + "}";
        }
        return "v=DMARC1; p="
                + p.keyword()
                + "; sp="
                + sp().keyword()
                + "; np="
                + np().keyword()
                + "; pct="
                + pct
                + "; adkim="
                + (strictDkim ? "s" : "r")
                + "; aspf="
                + (strictSpf ? "s" : "r")
                + "; fo="
                + fo
                + "; rua="
                + String.join(",", rua)
                + "; ruf="
                + String.join(",", ruf)
                + "; ri="
                + ri
                + "; t="
                + (testing ? "y" : "n")
                + "; psd="
                + psd;
    }

    private static final class Builder {
        private Kind kind = Kind.VALID;
        private String text;
        private String problem = "";
        private DmarcPolicy p;
        private DmarcPolicy sp;
        private DmarcPolicy np;
        private int pct = 100;
        private boolean strictDkim;
        private boolean strictSpf;
        private String fo = "0";
        private List<String> rua = new ArrayList<>();
        private List<String> ruf = new ArrayList<>();
        private long ri = 86400;
        private boolean testing;
        private String psd = "u";

        Builder(String text) {
            this.text = text;
        }

        DmarcRecord invalid(String why) {
            kind = Kind.INVALID;
            problem = why;
            return new DmarcRecord(this);
        }
    }
}
