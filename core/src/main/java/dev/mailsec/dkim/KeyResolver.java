package dev.mailsec.dkim;

import dev.mailsec.dkim.internal.KeyRecord;
import dev.mailsec.dkim.internal.SignatureTags;
import dev.mailsec.dkim.internal.Verdict;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the key of a signature ({@code <s>._domainkey.<d>}) through the {@link KeyRecordSource},
 * once per name and message, and parses its record, keeping the last parsed records (or the verdict
 * their parsing gave) across messages. A broken source gives a temporary error, never an exception.
 * Thread-safe. Public for ARC ({@code dev.mailsec.arc}), which finds its keys the same way.
 */
public final class KeyResolver {
    private static final Logger LOG = LoggerFactory.getLogger(DkimVerifier.class);
    private static final int KEY_CACHE_SIZE = 512;

    private final KeyRecordSource keys;

    /** Parsed key records by their text: a KeyRecord or the Verdict its parsing gave. */
    private final Map<String, Object> parsedKeys =
            new LinkedHashMap<String, Object>(64, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
                    return size() > KEY_CACHE_SIZE;
                }
            };

    public KeyResolver(KeyRecordSource keys) {
        this.keys = keys;
    }

    /**
     * The key of the signature, looked up at most once per name in {@code lookups} (one message's
     * answers).
     *
     * @throws Verdict no key, several, a lookup failure or an unusable record
     */
    KeyRecord key(SignatureTags tags, Map<String, KeyLookup> lookups) throws Verdict {
        return key(tags.selector, tags.domain, lookups);
    }

    /**
     * The key published at {@code <selector>._domainkey.<domain>} (DKIM's, and ARC's AMS and AS),
     * looked up at most once per name in {@code lookups} (one message's answers).
     *
     * @throws Verdict no key, several, a lookup failure or an unusable record
     */
    public KeyRecord key(String selector, String domain, Map<String, KeyLookup> lookups)
            throws Verdict {
        String name = selector + "._domainkey." + domain;
        if (name.length() > 253) {
            throw Verdict.permerror("key name too long");
        }
        KeyLookup lookup = lookups.get(name);
        if (lookup == null) {
            try {
                lookup = keys.lookup(name);
            } catch (RuntimeException e) {
                // a broken source must not lose the mail: report a temporary error and say why
                // in the log
                LOG.warn("key lookup for {} failed", name, e);
                lookup = KeyLookup.temporaryFailure("key lookup failed");
            }
            lookups.put(name, lookup);
        }
        switch (lookup.status()) {
            case NOT_FOUND:
                throw Verdict.permerror("no key for signature" + detail(lookup));
            case TEMPORARY_FAILURE:
                throw new Verdict(DkimResult.TEMPERROR, "key lookup failed" + detail(lookup));
            default:
                break;
        }
        if (lookup.records().size() > 1) {
            throw Verdict.permerror("several key records at " + name);
        }
        return parse(lookup.records().get(0));
    }

    private static String detail(KeyLookup lookup) {
        return lookup.detail().isEmpty() ? "" : ": " + lookup.detail();
    }

    private KeyRecord parse(String txt) throws Verdict {
        Object cached;
        synchronized (parsedKeys) {
            cached = parsedKeys.get(txt);
        }
        if (cached == null) {
            try {
                cached = KeyRecord.parse(txt);
            } catch (Verdict v) {
                cached = v;
            }
            synchronized (parsedKeys) {
                parsedKeys.put(txt, cached);
            }
        }
        if (cached instanceof Verdict) {
            throw (Verdict) cached;
        }
        return (KeyRecord) cached;
    }
}
