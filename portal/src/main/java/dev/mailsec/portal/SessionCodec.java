package dev.mailsec.portal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed, stateless session tokens for the cookie, and the CSRF tokens derived from them.
 *
 * <p>A token is {@code base64url(payload) "." base64url(HMAC-SHA256(key, "cookie\n" + payload))};
 * the payload holds the stage ({@link Stage}), the licence id, the reader's address, the expiry and
 * a random nonce. The key is the DKM secret {@code rights/portal-session}, so every portal of a
 * cluster accepts the others' cookies; verification tries every key version handed in (rotation).
 * The CSRF token of a session is {@code HMAC(key, "csrf\n" + nonce)}: it changes with every new
 * session (sign-in issues a fresh nonce, so a token seen before sign-in is useless after it) and
 * needs no server state.
 */
public final class SessionCodec {

    /** How far the holder of a token got. */
    public enum Stage {
        /** Opened a landing page; only a CSRF anchor. */
        ANONYMOUS("a"),
        /** Asked for a passcode for {@link Session#address()}. */
        PENDING("p"),
        /** Entered a correct passcode: may read {@link Session#licenceId()}. */
        SIGNED_IN("s");

        final String code;

        Stage(String code) {
            this.code = code;
        }

        static Optional<Stage> of(String code) {
            for (Stage s : values()) {
                if (s.code.equals(code)) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }
    }

    /** A verified token's contents. */
    public static final class Session {
        private final Stage stage;
        private final String licenceId;
        private final String address;
        private final Instant expires;
        private final String nonce;

        Session(Stage stage, String licenceId, String address, Instant expires, String nonce) {
            this.stage = stage;
            this.licenceId = licenceId;
            this.address = address;
            this.expires = expires;
            this.nonce = nonce;
        }

        public Stage stage() {
            return stage;
        }

        public String licenceId() {
            return licenceId;
        }

        public String address() {
            return address;
        }

        public Instant expires() {
            return expires;
        }

        String nonce() {
            return nonce;
        }

        public boolean signedInFor(String id) {
            return stage == Stage.SIGNED_IN && licenceId.equals(id);
        }

        @Override
        public String toString() {
            return "Session[" + stage + ", licence=" + licenceId + "]";
        }
    }

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final List<byte[]> keys;
    private final SecureRandom random;
    private final String cookiePurpose;
    private final String csrfPurpose;

    /** {@code keys}: the signing key first, older ones still accepted. */
    public SessionCodec(List<byte[]> keys, SecureRandom random) {
        this(keys, random, "");
    }

    /**
     * A codec whose tokens are MACed for {@code realm} ({@code ""}: the readers'; {@code "sender"}:
     * the sender pages'): a token or CSRF token of one realm never verifies in another.
     */
    SessionCodec(List<byte[]> keys, SecureRandom random, String realm) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("session keys: none");
        }
        this.keys = List.copyOf(keys);
        this.random = random;
        this.cookiePurpose = realm.isEmpty() ? "cookie" : realm + "-cookie";
        this.csrfPurpose = realm.isEmpty() ? "csrf" : realm + "-csrf";
    }

    /** A new session with a fresh nonce. */
    public Session create(Stage stage, String licenceId, String address, Instant expires) {
        byte[] n = new byte[18];
        random.nextBytes(n);
        return new Session(stage, licenceId, address, expires, B64.encodeToString(n));
    }

    public String encode(Session s) {
        String payload =
                String.join(
                        "\n",
                        "v1",
                        s.stage.code,
                        s.licenceId,
                        s.address,
                        Long.toString(s.expires.getEpochSecond()),
                        s.nonce);
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        return B64.encodeToString(p) + "." + B64.encodeToString(mac(keys.get(0), cookiePurpose, p));
    }

    /** The session a token carries, if it is authentic and not expired at {@code now}. */
    public Optional<Session> decode(String token, Instant now) {
        if (token == null || token.length() > 2048) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return Optional.empty();
        }
        byte[] payload;
        byte[] tag;
        try {
            payload = B64D.decode(token.substring(0, dot));
            tag = B64D.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        boolean authentic = false;
        for (byte[] key : keys) {
            authentic |= MessageDigest.isEqual(mac(key, cookiePurpose, payload), tag);
        }
        if (!authentic) {
            return Optional.empty();
        }
        String[] f = new String(payload, StandardCharsets.UTF_8).split("\n", -1);
        if (f.length != 6 || !"v1".equals(f[0])) {
            return Optional.empty();
        }
        Optional<Stage> stage = Stage.of(f[1]);
        Instant expires;
        try {
            expires = Instant.ofEpochSecond(Long.parseLong(f[4]));
        } catch (NumberFormatException | DateTimeException e) {
            // DateTimeException: a number of seconds beyond Instant's range
            return Optional.empty();
        }
        if (stage.isEmpty() || !now.isBefore(expires)) {
            return Optional.empty();
        }
        return Optional.of(new Session(stage.get(), f[2], f[3], expires, f[5]));
    }

    /** The CSRF token every form of this session carries. */
    public String csrfToken(Session s) {
        return B64.encodeToString(
                mac(keys.get(0), csrfPurpose, s.nonce.getBytes(StandardCharsets.UTF_8)));
    }

    /** Constant-time check of a submitted CSRF token against the session's (any key version). */
    public boolean csrfValid(Session s, String submitted) {
        if (submitted == null) {
            return false;
        }
        byte[] given = submitted.getBytes(StandardCharsets.US_ASCII);
        boolean ok = false;
        for (byte[] key : keys) {
            byte[] expected =
                    B64.encodeToString(
                                    mac(key, csrfPurpose, s.nonce.getBytes(StandardCharsets.UTF_8)))
                            .getBytes(StandardCharsets.US_ASCII);
            ok |= MessageDigest.isEqual(expected, given);
        }
        return ok;
    }

    private static byte[] mac(byte[] key, String purpose, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(purpose.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) '\n');
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "SessionCodec[" + keys.size() + " key(s), redacted]";
    }
}
