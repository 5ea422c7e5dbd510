package dev.mailsec.rights;

import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The record {@code c/<jti>/<sha256(address)>}: the live passcode of one address for one message,
 * as a keyed MAC ({@code mac}) over the code with its {@code salt}, under the session-key version
 * {@code kid}; its end ({@code expires}) and the wrong attempts on it from all clients ({@code
 * wrong}). Once used or void, the MAC is gone. {@code hash} marks a code stored by an older mailsec
 * as a plain salted hash (never matched again).
 */
final class PasscodeState {
    static final RecordCodec<PasscodeState> CODEC =
            new RecordCodec<>() {
                @Override
                public byte[] encode(PasscodeState s) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    if (s.legacyHash != null) {
                        m.put("hash", s.legacyHash);
                    }
                    if (s.mac != null) {
                        m.put("kid", s.kid);
                        m.put("salt", Base64.getEncoder().encodeToString(s.salt));
                        m.put("mac", Base64.getEncoder().encodeToString(s.mac));
                    }
                    m.put("expires", s.expires);
                    m.put("wrong", s.wrong);
                    return RecordCodec.json(m);
                }

                @Override
                public PasscodeState decode(String key, byte[] bytes) {
                    Map<String, Object> m = RecordCodec.parse(key, bytes);
                    boolean live = m.get("mac") != null;
                    return new PasscodeState(
                            live ? RecordCodec.str(m.get("kid")) : null,
                            live
                                    ? Base64.getDecoder().decode(RecordCodec.str(m.get("salt")))
                                    : null,
                            live ? Base64.getDecoder().decode(RecordCodec.str(m.get("mac"))) : null,
                            RecordCodec.num0(m.get("expires")),
                            RecordCodec.num0(m.get("wrong")),
                            m.get("hash") == null ? null : RecordCodec.str(m.get("hash")));
                }
            };

    private final String kid;
    private final byte[] salt;
    private final byte[] mac;
    private final long expires;
    private final long wrong;
    private final String legacyHash;

    private PasscodeState(
            String kid, byte[] salt, byte[] mac, long expires, long wrong, String legacyHash) {
        this.kid = kid;
        this.salt = salt == null ? null : salt.clone();
        this.mac = mac == null ? null : mac.clone();
        this.expires = expires;
        this.wrong = wrong;
        this.legacyHash = legacyHash;
    }

    /** A fresh code: no wrong attempts yet. */
    static PasscodeState issued(String kid, byte[] salt, byte[] mac, Instant expires) {
        return new PasscodeState(kid, salt, mac, expires.toEpochMilli(), 0, null);
    }

    /** Whether a code can still match (a MAC is kept). */
    boolean isLive() {
        return mac != null;
    }

    /**
     * A code stored by an older mailsec as a plain hash: expired for the reader, who asks for a new
     * one.
     */
    boolean isLegacy() {
        return legacyHash != null;
    }

    boolean isExpired(Instant now) {
        return expires <= now.toEpochMilli();
    }

    String kid() {
        return kid;
    }

    byte[] salt() {
        return salt.clone();
    }

    byte[] mac() {
        return mac.clone();
    }

    long wrong() {
        return wrong;
    }

    /** Used: the MAC is gone, the wrong count back to 0. */
    PasscodeState consumed() {
        return new PasscodeState(null, null, null, expires, 0, legacyHash);
    }

    /** One more wrong attempt; {@code voidIt} drops the MAC so that no code matches any more. */
    PasscodeState wrongOnce(boolean voidIt) {
        return voidIt
                ? new PasscodeState(null, null, null, expires, wrong + 1, legacyHash)
                : new PasscodeState(kid, salt, mac, expires, wrong + 1, legacyHash);
    }

    @Override
    public String toString() {
        return "PasscodeState[" + (isLive() ? "live " + kid : "spent") + " wrong " + wrong + "]";
    }
}
