package dev.mailsec.dmarc;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last parsed {@code _dmarc} records by their text, so a record seen again is not parsed again.
 * Keyed by the record's text, so how long a record stays valid is still the DNS cache's business: a
 * changed record is a new key. Bounded (least recently used out); thread-safe. {@link DmarcRecord}
 * is immutable, so sharing it across evaluations changes no result.
 */
final class ParsedDmarcRecords {
    static final int SIZE = 512;

    private static final Map<String, DmarcRecord> PARSED =
            new LinkedHashMap<String, DmarcRecord>(64, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, DmarcRecord> eldest) {
                    return size() > SIZE;
                }
            };

    private ParsedDmarcRecords() {}

    /** {@link DmarcRecord#parse}, from the cache when this text was parsed lately. */
    static DmarcRecord parse(String txt) {
        DmarcRecord parsed;
        synchronized (PARSED) {
            parsed = PARSED.get(txt);
        }
        if (parsed == null) {
            parsed = DmarcRecord.parse(txt);
            synchronized (PARSED) {
                PARSED.put(txt, parsed);
            }
        }
        return parsed;
    }

    /** How many records are kept (for tests). */
    static int size() {
        synchronized (PARSED) {
            return PARSED.size();
        }
    }
}
