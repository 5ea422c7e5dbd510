package dev.mailsec.dkm;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The record MAC keys of a session ({@link RecordAuthenticator.Flavor}: root, group keyset version,
 * writer), derived from the keys the session holds ({@link AuthenticatedStorage.Keys}) on first use
 * and cached until the session closes. A null answer means the session does not hold the key.
 */
final class RecordMacKeys {
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();
    private AuthenticatedStorage.Keys keys;

    void keys(AuthenticatedStorage.Keys keys) {
        this.keys = keys;
    }

    byte[] root() throws DkmException {
        byte[] k = cache.get("root");
        if (k == null) {
            byte[] audit = keys.rootAuditKey();
            if (audit == null) {
                return null;
            }
            k = RecordAuthenticator.deriveKey(audit, "root");
            cache.put("root", k);
        }
        return k;
    }

    byte[] group(String group, int version) throws DkmException {
        String id = "group\0" + group + "\0" + version;
        byte[] k = cache.get(id);
        if (k == null) {
            byte[] gk;
            try {
                gk = keys.groupKey(group, version);
            } catch (DkmInvalidRequestException e) {
                throw new DkmIntegrityException(
                        "a secret record names group " + group + ", which does not exist");
            }
            if (gk == null) {
                return null;
            }
            k = RecordAuthenticator.deriveKey(gk, "group\0" + group);
            cache.put(id, k);
        }
        return k;
    }

    byte[] writer(String identity) throws DkmException {
        String id = "writer\0" + identity;
        byte[] k = cache.get(id);
        if (k == null) {
            byte[] ak = keys.auditKey(identity);
            if (ak == null) {
                return null;
            }
            k = RecordAuthenticator.deriveKey(ak, "writer\0" + identity);
            cache.put(id, k);
        }
        return k;
    }

    void clear() {
        for (byte[] k : cache.values()) {
            Arrays.fill(k, (byte) 0);
        }
        cache.clear();
    }
}
