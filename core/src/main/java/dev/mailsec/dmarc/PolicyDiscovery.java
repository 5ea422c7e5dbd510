package dev.mailsec.dmarc;

import dev.mailsec.dkim.Alignment;
import dev.mailsec.dkim.KeyLookup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the DMARC record that applies to a From domain and its organizational domain: RFC 7489
 * section 6.6.3 ({@code _dmarc.<from>}, then {@code _dmarc.<org>} with the org domain from the
 * Public Suffix List) or the DMARCbis tree walk (section 4.10: at most 8 queries).
 */
final class PolicyDiscovery {

    /** How discovery ended. */
    enum Status {
        FOUND,
        NO_RECORD,
        MULTIPLE,
        INVALID,
        TEMPERROR
    }

    /** What was found. */
    static final class Found {
        final Status status;
        final DmarcRecord record;
        final String recordDomain;
        final String detail;

        Found(Status status, DmarcRecord record, String recordDomain, String detail) {
            this.status = status;
            this.record = record;
            this.recordDomain = recordDomain;
            this.detail = detail;
        }
    }

    /** Org domains by the PSL, remembered: Guava's lookup costs more than the rest of DMARC. */
    private static final Map<String, Optional<String>> PSL = new ConcurrentHashMap<>();

    static final int PSL_CACHE_SIZE = 10_000;

    /** Labels left before the tree walk goes one label at a time (DMARCbis section 4.10.1). */
    static final int WALK_START_LABELS = 7;

    private final DnsBudget dns;
    private final OrgDomainMode mode;
    private final Map<String, Found> parsed = new HashMap<>();

    PolicyDiscovery(DnsBudget dns, OrgDomainMode mode) {
        this.dns = dns;
        this.mode = mode;
    }

    /** The record for this From domain (lower-case ASCII, valid). */
    Found discover(String fromDomain) {
        Found first = at(fromDomain);
        if (first.status != Status.NO_RECORD) {
            return first;
        }
        for (String candidate : ancestors(fromDomain)) {
            Found f = at(candidate);
            if (f.status != Status.NO_RECORD) {
                return f;
            }
        }
        return first;
    }

    /** The organizational domain of a domain; null when it is not a valid name. */
    String orgDomain(String domain) {
        if (mode == OrgDomainMode.PSL) {
            return psl(domain);
        }
        // DMARCbis 4.10.2: psd=n marks the org domain, psd=y the level above it; otherwise the
        // shortest name with a record; without any record the domain itself
        List<String> walk = new ArrayList<>();
        walk.add(domain);
        walk.addAll(ancestors(domain));
        String shortestWithRecord = null;
        String previous = domain;
        for (String name : walk) {
            Found f = at(name);
            if (f.status == Status.FOUND) {
                if (f.record.psd().equals("n")) {
                    return name;
                }
                if (f.record.psd().equals("y")) {
                    return previous;
                }
                shortestWithRecord = name;
            }
            previous = name;
        }
        return shortestWithRecord != null ? shortestWithRecord : domain;
    }

    /** The names queried after the From domain itself. */
    List<String> ancestors(String domain) {
        List<String> out = new ArrayList<>();
        if (mode == OrgDomainMode.PSL) {
            String org = psl(domain);
            if (org != null && !org.equals(domain)) {
                out.add(org);
            }
            return out;
        }
        List<String> labels = Arrays.asList(domain.split("\\."));
        int n = Math.min(labels.size() - 1, WALK_START_LABELS);
        for (int k = n; k >= 1; k--) {
            out.add(String.join(".", labels.subList(labels.size() - k, labels.size())));
        }
        return out;
    }

    /** {@link Alignment#organizationalDomain}, from a bounded cache (emptied when full). */
    static String psl(String domain) {
        Optional<String> known = PSL.get(domain);
        if (known == null) {
            if (PSL.size() >= PSL_CACHE_SIZE) {
                PSL.clear();
            }
            known = Optional.ofNullable(Alignment.organizationalDomain(domain));
            PSL.put(domain, known);
        }
        return known.orElse(null);
    }

    /** The DMARC record at {@code _dmarc.<domain>}, looked up once per evaluation. */
    Found at(String domain) {
        return parsed.computeIfAbsent(domain, this::lookUp);
    }

    private Found lookUp(String domain) {
        KeyLookup lookup = dns.txt("_dmarc." + domain);
        if (lookup.status() == KeyLookup.Status.TEMPORARY_FAILURE) {
            return new Found(Status.TEMPERROR, null, domain, lookup.detail());
        }
        DmarcRecord only = null;
        int dmarc = 0;
        for (String txt : lookup.records()) {
            DmarcRecord r = ParsedDmarcRecords.parse(txt);
            if (r.kind() != DmarcRecord.Kind.NOT_DMARC) {
                dmarc++;
                only = r;
            }
        }
        if (dmarc == 0) {
            return new Found(Status.NO_RECORD, null, domain, "no DMARC record");
        }
        if (dmarc > 1) {
            // RFC 7489 section 6.6.3 step 5: no DMARC processing
            return new Found(Status.MULTIPLE, null, domain, dmarc + " DMARC records");
        }
        if (!only.isValid()) {
            return new Found(Status.INVALID, only, domain, only.problem());
        }
        return new Found(Status.FOUND, only, domain, "");
    }
}
