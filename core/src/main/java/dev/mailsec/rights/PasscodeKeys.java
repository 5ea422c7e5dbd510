package dev.mailsec.rights;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys under which {@link RightsStore} keeps portal passcodes: the store holds only
 * HMAC-SHA256(passcode key, salt, licence id, address, code) and the key id, so a copy of the store
 * (a database dump) does not give a live code away; an 8-digit code is not brute-forced without the
 * key.
 *
 * <p>The passcode key is derived from a version of the portal session key ({@code
 * rights/portal-session} in DKM) by HKDF-Expand (RFC 5869, SHA-256, info {@value #INFO}), so the
 * session key itself is used for cookies only. A code is checked under the session-key version it
 * was issued under: after a rollover it keeps verifying while that version is readable (archived
 * versions are); once that version is destroyed the code reports {@link
 * PasscodeCheck.Status#EXPIRED} (a new one must be asked for). {@code toString()} shows no
 * material.
 */
public final class PasscodeKeys {
    /** The HKDF info that separates the passcode key from the session key it is derived from. */
    public static final String INFO = "mailsec rights passcode-v1";

    private interface Source {
        RightsKey<SecretKey> primary() throws RightsKeyUnavailableException;

        Optional<SecretKey> byId(String kid) throws RightsKeyUnavailableException;
    }

    private final Source source;
    private final String description;

    private PasscodeKeys(Source source, String description) {
        this.source = source;
        this.description = description;
    }

    /**
     * Passcode keys derived from the keyring's session keys, read on every use (new codes under the
     * primary; checks under the version a code names, archived ones included).
     */
    public static PasscodeKeys of(RightsKeyring keyring) {
        return new PasscodeKeys(
                new Source() {
                    @Override
                    public RightsKey<SecretKey> primary() throws RightsKeyUnavailableException {
                        return keyring.sessionKey();
                    }

                    @Override
                    public Optional<SecretKey> byId(String kid)
                            throws RightsKeyUnavailableException {
                        return keyring.sessionKey(kid);
                    }
                },
                "keyring");
    }

    /** Passcode keys derived from these session keys, primary first (tests, tools). */
    public static PasscodeKeys of(List<RightsKey<SecretKey>> sessionKeys) {
        if (sessionKeys.isEmpty()) {
            throw new IllegalArgumentException("passcode keys: no session key given");
        }
        List<RightsKey<SecretKey>> keys = new ArrayList<>(sessionKeys);
        return new PasscodeKeys(
                new Source() {
                    @Override
                    public RightsKey<SecretKey> primary() {
                        return keys.get(0);
                    }

                    @Override
                    public Optional<SecretKey> byId(String kid) {
                        for (RightsKey<SecretKey> k : keys) {
                            if (k.kid().equals(kid)) {
                                return Optional.of(k.key());
                            }
                        }
                        return Optional.empty();
                    }
                },
                keys.size() + " fixed keys");
    }

    /** The passcode key for new codes, with the id of the session-key version it comes from. */
    RightsKey<SecretKey> primary() throws RightsKeyUnavailableException {
        RightsKey<SecretKey> k = source.primary();
        return new RightsKey<>(k.kid(), derive(k.key()));
    }

    /**
     * The passcode key derived from the session-key version {@code kid}, if that version is
     * readable.
     */
    Optional<SecretKey> byId(String kid) throws RightsKeyUnavailableException {
        if (kid == null || kid.isEmpty()) {
            return Optional.empty();
        }
        Optional<SecretKey> k = source.byId(kid);
        return k.isPresent() ? Optional.of(derive(k.get())) : Optional.empty();
    }

    /** HKDF-Expand(PRK = session key, info = {@value #INFO}, L = 32): one HMAC block, T(1). */
    static SecretKey derive(SecretKey sessionKey) {
        Mac mac = hmac(sessionKey.getEncoded());
        mac.update(INFO.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 1);
        return new SecretKeySpec(mac.doFinal(), "HmacSHA256");
    }

    /** HMAC-SHA256 under the passcode key of salt, licence id, address and code (NUL-separated). */
    static byte[] mac(
            SecretKey passcodeKey, byte[] salt, String licenceId, String address, String code) {
        Mac mac = hmac(passcodeKey.getEncoded());
        mac.update(salt);
        mac.update(licenceId.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        mac.update(address.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        mac.update(code.getBytes(StandardCharsets.UTF_8));
        return mac.doFinal();
    }

    private static Mac hmac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable in the JDK", e);
        }
    }

    @Override
    public String toString() {
        return "PasscodeKeys[" + description + ", material redacted]";
    }
}
