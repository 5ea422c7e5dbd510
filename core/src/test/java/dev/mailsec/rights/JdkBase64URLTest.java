package dev.mailsec.rights;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.Base64URL;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JdkBase64URLTest {
    @Test
    void decodeShouldEqualNimbusDecodeForEveryLength() {
        Random r = new Random(7);
        for (int n = 0; n < 300; n++) {
            byte[] b = new byte[n];
            r.nextBytes(b);
            String enc = Base64URL.encode(b).toString();
            assertThat(new RightsOpener.JdkBase64URL(enc).decode()).isEqualTo(b).isEqualTo(new Base64URL(enc).decode());
        }
        // not valid for the strict JDK decoder: falls back to Nimbus's lenient result rather than failing differently
        assertThat(new RightsOpener.JdkBase64URL("abcde").decode()).isEqualTo(new Base64URL("abcde").decode());
    }
}
