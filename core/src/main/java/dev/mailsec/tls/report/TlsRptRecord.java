package dev.mailsec.tls.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A domain's TLS reporting record (RFC 8460 section 3), the TXT record at {@code
 * _smtp._tls.<domain>}: {@code v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://...}. Reading is
 * strict where the RFC is ({@code v=TLSRPTv1} first and case-sensitive, at least one {@code rua}
 * URI, each {@code mailto:} or {@code https:}) and bounded (at most {@link #MAX_URIS} URIs, a
 * record of at most {@link #MAX_LENGTH} characters); unknown extension fields are ignored.
 */
public final class TlsRptRecord {

    /** Longest record read; longer ones are refused. */
    public static final int MAX_LENGTH = 4096;

    /** Most rua URIs kept. */
    public static final int MAX_URIS = 16;

    private static final String VERSION = "v=TLSRPTv1";

    private final List<String> rua;

    private TlsRptRecord(List<String> rua) {
        this.rua = List.copyOf(rua);
    }

    /**
     * The record among the TXT records at {@code _smtp._tls.<domain>} (each already joined from its
     * strings): those not starting with {@code v=TLSRPTv1;} are discarded; unless exactly one is
     * left and it parses, the domain has no TLS reporting (RFC 8460 section 3).
     */
    public static Optional<TlsRptRecord> select(List<String> txtRecords) {
        List<String> candidates = new ArrayList<>();
        for (String r : txtRecords) {
            if (r != null && r.startsWith(VERSION)) {
                String rest = r.substring(VERSION.length()).stripLeading();
                if (rest.startsWith(";")) {
                    candidates.add(r);
                }
            }
        }
        return candidates.size() == 1 ? parse(candidates.get(0)) : Optional.empty();
    }

    /** Reads one record; empty if it is not a valid one. */
    public static Optional<TlsRptRecord> parse(String record) {
        if (record == null || record.length() > MAX_LENGTH || !record.startsWith(VERSION)) {
            return Optional.empty();
        }
        String[] fields = record.substring(VERSION.length()).split(";", -1);
        if (!fields[0].isBlank()) {
            return Optional.empty();
        }
        List<String> rua = null;
        for (int i = 1; i < fields.length; i++) {
            String field = fields[i].strip();
            if (field.isEmpty()) {
                if (i == fields.length - 1) {
                    break; // a trailing ';' is allowed
                }
                return Optional.empty();
            }
            int eq = field.indexOf('=');
            if (eq <= 0) {
                return Optional.empty();
            }
            String name = field.substring(0, eq);
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,31}")) {
                return Optional.empty();
            }
            if (name.equals("rua")) {
                if (rua != null) {
                    return Optional.empty();
                }
                rua = uris(field.substring(eq + 1));
                if (rua.isEmpty()) {
                    return Optional.empty();
                }
            }
        }
        return rua == null ? Optional.empty() : Optional.of(new TlsRptRecord(rua));
    }

    private static List<String> uris(String value) {
        List<String> out = new ArrayList<>();
        for (String u : value.split(",", -1)) {
            String uri = u.strip();
            String lower = uri.toLowerCase(Locale.ROOT);
            boolean known =
                    (lower.startsWith("mailto:") && uri.length() > 7)
                            || (lower.startsWith("https://") && uri.length() > 8);
            if (!known || !uri.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                return List.of();
            }
            if (out.size() < MAX_URIS) {
                out.add(uri);
            }
        }
        return out;
    }

    /** The report URIs, in the record's order ({@code mailto:} and {@code https:}). */
    public List<String> rua() {
        return rua;
    }

    @Override
    public String toString() {
        return VERSION + "; rua=" + String.join(",", rua);
    }
}
