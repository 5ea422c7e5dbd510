package dev.mailsec.dkm;

import dev.mailsec.dkm.RecordAuthenticator.Flavor;
import dev.mailsec.dkm.RecordAuthenticator.Opened;
import dev.mailsec.dkm.internal.Codec;
import dev.mailsec.dkm.internal.GrantRecord;
import dev.mailsec.dkm.internal.SecretRecord;

/**
 * Which MAC each record must carry, and making and checking it with the keys the session holds
 * ({@link RecordMacKeys}): {@code secret/*} the {@link Flavor#GROUP} MAC of its own group; {@code
 * grant/*} the {@link Flavor#ROOT} MAC, or the {@link Flavor#WRITER} MAC of its requester for the
 * states a requester may write; everything else the ROOT MAC. {@link AuthenticatedStorage} applies
 * it to every record it writes and reads.
 */
final class RecordMacPolicy {
    private final RecordMacKeys macKeys = new RecordMacKeys();
    private AuthenticatedStorage.Keys keys;

    void keys(AuthenticatedStorage.Keys keys) {
        this.keys = keys;
        macKeys.keys(keys);
    }

    void clear() {
        macKeys.clear();
    }

    /**
     * The record with its MAC trailer, or null when this session holds no key that may MAC it (a
     * record other than a secret or grant, without the root key).
     */
    byte[] seal(String key, byte[] body, long counter) throws DkmException {
        Flavor flavor;
        String keyName = null;
        int version = 0;
        byte[] macKey;
        if (key.startsWith("secret/")) {
            flavor = Flavor.GROUP;
            keyName = groupOf(key, body);
            version = keys.groupWriteVersion(keyName);
            macKey = macKeys.group(keyName, version);
            if (macKey == null) {
                throw new DkmAccessDeniedException(
                        "'" + keys.self() + "' holds no key of group " + keyName);
            }
        } else if (macKeys.root() != null) {
            flavor = Flavor.ROOT;
            macKey = macKeys.root();
        } else if (key.startsWith("grant/")) {
            flavor = Flavor.WRITER;
            keyName = keys.self();
            macKey = macKeys.writer(keyName);
        } else {
            return null;
        }
        return RecordAuthenticator.seal(macKey, key, flavor, keyName, version, counter, body);
    }

    /**
     * Checks that the record carries the MAC due for its key and, when this session holds that MAC
     * key, the MAC itself. Returns whether the MAC was checked (false: this session cannot; every
     * root-holding session and {@code audit verify} can).
     */
    boolean check(String key, Opened o) throws DkmException {
        boolean checked;
        switch (o.flavor) {
            case ROOT:
                byte[] rk = macKeys.root();
                checked = rk != null;
                if (checked && !RecordAuthenticator.verify(rk, key, o)) {
                    throw tampered(key);
                }
                break;
            case GROUP:
                if (!key.startsWith("secret/")
                        || o.keyName == null
                        || !o.keyName.equals(groupOf(key, o.body))) {
                    throw new DkmIntegrityException(
                            "record " + key + " carries a group MAC of the wrong group");
                }
                byte[] gk = macKeys.group(o.keyName, o.keyVersion);
                checked = gk != null;
                if (checked && !RecordAuthenticator.verify(gk, key, o)) {
                    throw tampered(key);
                }
                break;
            default:
                if (!key.startsWith("grant/")) {
                    throw new DkmIntegrityException(
                            "record " + key + " carries an identity's MAC where the root's is due");
                }
                checkRequesterWrite(key, o);
                byte[] wk = o.keyName == null ? null : macKeys.writer(o.keyName);
                checked = wk != null;
                if (checked && !RecordAuthenticator.verify(wk, key, o)) {
                    throw tampered(key);
                }
        }
        if (key.startsWith("secret/") && !o.flavor.equals(Flavor.GROUP)) {
            throw new DkmIntegrityException("record " + key + " carries no group MAC");
        }
        return checked;
    }

    /**
     * A requester may write its own request and expire its own grant, nothing else (no approval).
     */
    private static void checkRequesterWrite(String key, Opened o) throws DkmException {
        try {
            GrantRecord g = GrantRecord.decode(o.body);
            boolean own = g.requester != null && g.requester.equals(o.keyName);
            boolean mayWrite =
                    AccessRequest.Status.PENDING.name().equals(g.state)
                            ? g.approvals.isEmpty() && g.sealedDataKeys == null
                            : AccessRequest.Status.EXPIRED.name().equals(g.state)
                                    && g.sealedDataKeys == null;
            if (!own || !mayWrite) {
                throw new DkmIntegrityException(
                        "record "
                                + key
                                + " (state "
                                + g.state
                                + ") is MAC'd by '"
                                + o.keyName
                                + "', who may not write it");
            }
        } catch (Codec.MalformedException e) {
            throw new DkmIntegrityException(
                    "record " + key + " is malformed: " + e.getMessage(), e);
        }
    }

    private static DkmIntegrityException tampered(String key) {
        return new DkmIntegrityException(
                "record " + key + " fails its MAC check (changed outside DKM)");
    }

    private static String groupOf(String key, byte[] body) throws DkmIntegrityException {
        try {
            return SecretRecord.decode(body).group;
        } catch (Codec.MalformedException e) {
            throw new DkmIntegrityException(
                    "record " + key + " is malformed: " + e.getMessage(), e);
        }
    }
}
