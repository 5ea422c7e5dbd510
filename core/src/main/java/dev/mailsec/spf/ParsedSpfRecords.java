package dev.mailsec.spf;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last parsed SPF records by their text (or the syntax error their parsing gave), so a record
 * seen again is not parsed again. Keyed by the record's text, so how long a record stays valid is
 * still the DNS cache's business: a changed record is a new key. Bounded (least recently used out);
 * thread-safe. Records and syntax errors are immutable, so sharing them across checks changes no
 * result.
 */
final class ParsedSpfRecords {
    static final int SIZE = 512;

    /** A SpfRecord, or the message of the SpfSyntaxException its parsing gave. */
    private static final Map<String, Object> PARSED =
            new LinkedHashMap<String, Object>(64, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
                    return size() > SIZE;
                }
            };

    private ParsedSpfRecords() {}

    /** {@link SpfRecord#parse}, from the cache when this text was parsed lately. */
    static SpfRecord parse(String txt) throws SpfSyntaxException {
        Object parsed;
        synchronized (PARSED) {
            parsed = PARSED.get(txt);
        }
        if (parsed == null) {
            try {
                parsed = SpfRecord.parse(txt);
            } catch (SpfSyntaxException e) {
                parsed = e.getMessage();
            }
            synchronized (PARSED) {
                PARSED.put(txt, parsed);
            }
        }
        if (parsed instanceof String) {
            throw new SpfSyntaxException((String) parsed);
        }
        return (SpfRecord) parsed;
    }

    /** How many records are kept (for tests). */
    static int size() {
        synchronized (PARSED) {
            return PARSED.size();
        }
    }
}
