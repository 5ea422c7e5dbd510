package dev.mailsec.portal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target for the portal's session cookie codec ({@link SessionCodec#decode}, {@link
 * SessionCodec#csrfValid}): any cookie value gives a session or nothing, never an exception. A
 * forged cookie never passes the MAC, so the input is also decoded as a payload the target
 * authenticates itself with the codec's key, which takes it through the field parsing after the MAC
 * check. Seeds (cookies {@link SessionCodec#encode} made for each stage) are in {@code
 * src/test/resources/dev/mailsec/portal/SessionCodecFuzzTestInputs/decode/}.
 */
class SessionCodecFuzzTest {

    private static final byte[] KEY =
            "fuzz-session-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final SessionCodec CODEC = new SessionCodec(List.of(KEY), new SecureRandom());
    private static final Instant NOW = Instant.parse("2026-12-08T00:00:00Z");

    @FuzzTest(maxDuration = "5m")
    @Timeout(10)
    void decode(byte[] input) {
        String token = new String(input, StandardCharsets.UTF_8);
        check(CODEC.decode(token, NOW), token);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String authentic = b64.encodeToString(input) + "." + b64.encodeToString(mac(input));
        check(CODEC.decode(authentic, NOW), token);
    }

    private static void check(Optional<SessionCodec.Session> session, String csrf) {
        if (session.isPresent()) {
            SessionCodec.Session s = session.get();
            CODEC.csrfValid(s, csrf);
            CODEC.csrfToken(s);
            s.signedInFor(s.licenceId());
            s.toString();
        }
    }

    /**
     * The codec's cookie MAC (HMAC-SHA256 over "cookie\n" and the payload), computed independently.
     */
    private static byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
            mac.update("cookie\n".getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
