package dev.mailsec.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SessionCodecTest {

    final byte[] k1 = "k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1".getBytes(StandardCharsets.US_ASCII);
    final byte[] k2 = "k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2".getBytes(StandardCharsets.US_ASCII);
    final Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void roundTripsAndRejectsTamperingExpiryAndOtherKeys() {
        SessionCodec codec = new SessionCodec(List.of(k1), new SecureRandom());
        SessionCodec.Session s =
                codec.create(
                        SessionCodec.Stage.SIGNED_IN,
                        "lid",
                        "carol@external.test",
                        now.plusSeconds(60));
        String token = codec.encode(s);
        assertThat(codec.decode(token, now))
                .get()
                .extracting(SessionCodec.Session::address)
                .isEqualTo("carol@external.test");
        assertThat(codec.decode(token, now.plusSeconds(61))).isEmpty();
        char[] c = token.toCharArray();
        c[3] = c[3] == 'A' ? 'B' : 'A';
        assertThat(codec.decode(new String(c), now)).isEmpty();
        assertThat(new SessionCodec(List.of(k2), new SecureRandom()).decode(token, now)).isEmpty();
        assertThat(new SessionCodec(List.of(k2, k1), new SecureRandom()).decode(token, now))
                .isPresent();
        assertThat(codec.toString()).doesNotContain("k1k1");
    }

    @Test
    void csrfTokenIsBoundToTheSessionNonce() {
        SessionCodec codec = new SessionCodec(List.of(k1), new SecureRandom());
        SessionCodec.Session a =
                codec.create(SessionCodec.Stage.ANONYMOUS, "lid", "", now.plusSeconds(60));
        SessionCodec.Session b =
                codec.create(SessionCodec.Stage.ANONYMOUS, "lid", "", now.plusSeconds(60));
        assertThat(codec.csrfValid(a, codec.csrfToken(a))).isTrue();
        assertThat(codec.csrfValid(b, codec.csrfToken(a))).isFalse();
        assertThat(codec.csrfValid(a, null)).isFalse();
    }

    /**
     * Found by SessionCodecFuzzTest: an authentic payload whose expiry is beyond the range of
     * Instant threw DateTimeException out of decode() (and so out of the portal's handler) instead
     * of giving no session.
     */
    @Test
    void anExpiryOutsideTheRangeOfInstantIsNoSession() throws Exception {
        SessionCodec codec = new SessionCodec(List.of(k1), new SecureRandom());
        byte[] payload =
                String.join(
                                "\n",
                                "v1",
                                SessionCodec.Stage.SIGNED_IN.code,
                                "lid",
                                "carol@external.test",
                                Long.toString(Long.MAX_VALUE),
                                "nonce")
                        .getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(k1, "HmacSHA256"));
        mac.update("cookie\n".getBytes(StandardCharsets.US_ASCII));
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String token = b64.encodeToString(payload) + "." + b64.encodeToString(mac.doFinal(payload));
        assertThat(codec.decode(token, now)).isEmpty();
    }
}
