package dev.mailsec.dkm;

import dev.mailsec.dkm.internal.Keyset;
import dev.mailsec.dkm.internal.SecretRecord;
import dev.mailsec.dkm.internal.SecretVersionRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;

/**
 * The versions of one secret, a keyset in Tink's sense: a new version sealed under its own data
 * key, the state changes of rollover (promote, destroy), and {@link #validate} of the invariants,
 * which every write of a secret record passes through ({@link RecordType#SECRET}).
 */
final class SecretVersions {
    private SecretVersions() {}

    /**
     * The invariants of a secret's versions: numbers from 1 and unique, exactly one PRIMARY,
     * material present exactly on the versions that are not DESTROYED.
     */
    static void validate(SecretRecord s) throws DkmIntegrityException {
        Set<Integer> seen = new HashSet<>();
        int primaries = 0;
        for (SecretVersionRecord v : s.versions) {
            if (v.version < 1 || !seen.add(v.version)) {
                throw invalid(
                        s,
                        "version number "
                                + v.version
                                + " is "
                                + (v.version < 1 ? "below 1" : "used twice"));
            }
            if (v.state == VersionState.PRIMARY) {
                primaries++;
            }
            boolean material = v.ciphertext != null && v.wrappedDataKey != null;
            boolean destroyed = v.state == VersionState.DESTROYED;
            if (material == destroyed) {
                throw invalid(
                        s,
                        "v"
                                + v.version
                                + " is "
                                + v.state
                                + (destroyed ? " but keeps" : " but lacks")
                                + " its material");
            }
        }
        if (primaries != 1) {
            throw invalid(s, primaries + " primary versions, exactly one is needed");
        }
    }

    private static DkmIntegrityException invalid(SecretRecord s, String what) {
        return new DkmIntegrityException(
                "secret " + s.name + " would break its invariants: " + what);
    }

    /**
     * A new version of {@code s}, sealed under a fresh data key wrapped by keyset version {@code
     * groupKeyVersion}.
     */
    static SecretVersionRecord seal(
            SecretRecord s,
            int version,
            VersionState state,
            SecretMaterial m,
            Keyset ks,
            int groupKeyVersion,
            long now) {
        SecretVersionRecord v = new SecretVersionRecord();
        v.version = version;
        v.state = state;
        v.createdAt = now;
        v.algorithm = m.algorithm;
        v.publicKey = m.publicKey;
        v.certificates = new ArrayList<>(m.certificates);
        v.groupKeyVersion = groupKeyVersion;
        Envelope.seal(s, v, m.plaintext, ks.keys.get(groupKeyVersion));
        return v;
    }

    static SecretVersion open(SecretRecord s, SecretVersionRecord v, byte[] dek)
            throws DkmIntegrityException {
        byte[] plain = Envelope.openValue(s, v, dek);
        return new SecretVersion(
                s.name,
                s.kind,
                v.version,
                v.state,
                Instant.ofEpochMilli(v.createdAt),
                plain,
                v.algorithm,
                v.publicKey,
                v.certificates);
    }

    /**
     * Rollover step 2 on the record: the ENABLED version becomes primary, the primary is archived.
     */
    static void promote(SecretRecord s, int version) throws DkmInvalidRequestException {
        SecretVersionRecord v = s.version(version);
        if (v == null) {
            throw new DkmNotFoundException(s.name + " v" + version + " does not exist");
        }
        if (v.state != VersionState.ENABLED) {
            throw new DkmInvalidRequestException(
                    s.name
                            + " v"
                            + version
                            + " is "
                            + v.state
                            + ", only an ENABLED version can be promoted");
        }
        s.primary().state = VersionState.ARCHIVED;
        v.state = VersionState.PRIMARY;
    }

    /** Erases a version's material on the record; the primary cannot be destroyed. */
    static void destroy(SecretRecord s, int version) throws DkmInvalidRequestException {
        SecretVersionRecord v = s.version(version);
        if (v == null) {
            throw new DkmNotFoundException(s.name + " v" + version + " does not exist");
        }
        if (v.state == VersionState.PRIMARY || v.state == VersionState.DESTROYED) {
            throw new DkmInvalidRequestException(
                    s.name + " v" + version + " is " + v.state + " and cannot be destroyed");
        }
        v.state = VersionState.DESTROYED;
        v.wrappedDataKey = null;
        v.ciphertext = null;
    }

    /** The newest ENABLED version (added, not yet promoted), or null. */
    static SecretVersionRecord pending(SecretRecord s) {
        SecretVersionRecord pending = null;
        for (SecretVersionRecord v : s.versions) {
            if (v.state == VersionState.ENABLED) {
                pending = v;
            }
        }
        return pending;
    }

    /** How many versions still have their material. */
    static int live(SecretRecord s) {
        int n = 0;
        for (SecretVersionRecord v : s.versions) {
            if (v.state != VersionState.DESTROYED) {
                n++;
            }
        }
        return n;
    }

    static int primaryNumber(SecretRecord s) {
        for (SecretVersionRecord v : s.versions) {
            if (v.state == VersionState.PRIMARY) {
                return v.version;
            }
        }
        return 0;
    }
}
