package dev.mailsec.rights;

import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.List;
import java.util.Optional;
import javax.crypto.SecretKey;

/**
 * The three rights keys, by version: new work uses the primary; opening and verifying accept every
 * readable version named by a key id {@code <secret>#<version>}. Production: {@link
 * DkmRightsKeyring}.
 */
public interface RightsKeyring {

    /** The AES-256 key that wraps new messages' content keys (A256GCMKW). */
    RightsKey<SecretKey> contentKey() throws RightsKeyUnavailableException;

    /**
     * The content-wrapping key of that id, if it is one of ours and readable (archived versions
     * included).
     */
    Optional<SecretKey> contentKey(String kid) throws RightsKeyUnavailableException;

    /** The EC P-256 key that signs new licences (ES256). */
    RightsKey<ECPrivateKey> signingKey() throws RightsKeyUnavailableException;

    /** The licence verification key of that id (archived versions included). */
    Optional<ECPublicKey> verificationKey(String kid) throws RightsKeyUnavailableException;

    /** The HMAC-SHA256 key that signs new portal sessions. */
    RightsKey<SecretKey> sessionKey() throws RightsKeyUnavailableException;

    /** Every readable session key, primary first, for checking cookies made before a rollover. */
    List<RightsKey<SecretKey>> sessionKeys() throws RightsKeyUnavailableException;

    /**
     * The session key of that id, if it is one of ours and readable (archived versions included);
     * what {@link PasscodeKeys} derives the passcode key of a live code from.
     */
    default Optional<SecretKey> sessionKey(String kid) throws RightsKeyUnavailableException {
        for (RightsKey<SecretKey> k : sessionKeys()) {
            if (k.kid().equals(kid)) {
                return Optional.of(k.key());
            }
        }
        return Optional.empty();
    }

    /** The key id of a version of a secret: {@code <secret>#<version>}. */
    static String kid(String secret, int version) {
        return secret + "#" + version;
    }

    /**
     * The version a key id names for that secret, or -1 when it names another secret or is
     * malformed.
     */
    static int versionOf(String kid, String secret) {
        if (kid == null || !kid.startsWith(secret + "#")) {
            return -1;
        }
        String n = kid.substring(secret.length() + 1);
        if (!n.matches("[1-9][0-9]{0,8}")) {
            return -1;
        }
        return Integer.parseInt(n);
    }
}
