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
            assertThat(new RightsOpener.JdkBase64URL(enc).decode())
                    .isEqualTo(b)
                    .isEqualTo(new Base64URL(enc).decode());
        }
        // not valid for the strict JDK decoder: falls back to Nimbus's lenient result rather than
        // failing differently
        assertThat(new RightsOpener.JdkBase64URL("abcde").decode())
                .isEqualTo(new Base64URL("abcde").decode());
    }

    @Test
    void compactSerialisationsShouldBeRecognisedExactly() {
        assertThat(ProtectedPackage.isCompact("a.b-_.c9", 3)).isTrue();
        assertThat(ProtectedPackage.isCompact("aA.b.c.d.e", 5)).isTrue();
        for (String bad :
                new String[] {
                    "a.b",
                    "a.b.c.d",
                    ".b.c",
                    "a..c",
                    "a.b.",
                    "a.b.c=",
                    "a.b+.c",
                    "a.b/.c",
                    "a.b c.d",
                    "",
                    "a.b\u00e9.c",
                    "a.b\u0100.c"
                }) {
            assertThat(ProtectedPackage.isCompact(bad, 3)).as(bad).isFalse();
        }
        assertThat(ProtectedPackage.isCompact(null, 3)).isFalse();
    }
}
