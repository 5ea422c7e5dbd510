package dev.mailsec.dmarc;

import dev.mailsec.dkim.KeyLookup;
import dev.mailsec.dkim.KeyRecordSource;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The TXT lookups of one evaluation: each name asked once, and at most {@value #MAX_QUERIES} names
 * in all (a tree walk is 8 queries per domain); past that a lookup answers a temporary failure, so
 * a hostile message costs a bounded number of queries.
 */
final class DnsBudget {

    static final int MAX_QUERIES = 40;

    private final KeyRecordSource source;
    private final Map<String, KeyLookup> asked = new HashMap<>();

    DnsBudget(KeyRecordSource source) {
        this.source = source;
    }

    KeyLookup txt(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        KeyLookup known = asked.get(key);
        if (known != null) {
            return known;
        }
        KeyLookup answer =
                asked.size() >= MAX_QUERIES
                        ? KeyLookup.temporaryFailure("DNS query limit of the evaluation reached")
                        : source.lookup(key);
        asked.put(key, answer);
        return answer;
    }

    /** NXDOMAIN for the name itself (RFC 8020): the name and everything under it do not exist. */
    boolean nonExistent(String domain) {
        KeyLookup l = txt(domain);
        return l.status() == KeyLookup.Status.NOT_FOUND && l.detail().startsWith("NXDOMAIN");
    }

    int queries() {
        return asked.size();
    }
}
