package dev.mailsec.smime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

/**
 * The fixed CA, recipient key and certificate the S/MIME fuzz targets use (in {@code
 * src/test/resources/dev/mailsec/smime/fuzz/}), so that the committed seeds, signed and encrypted
 * for them, get past recipient matching and chain building on every run. Test material only.
 */
final class FuzzPki {

    /**
     * Inside the certificates' validity, so that chain validation is reached and replays the same
     * way.
     */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-08T00:00:00Z"), ZoneOffset.UTC);

    static final X509Certificate CA = certificate("ca.pem");
    static final SmimeKeyPair BOB =
            new SmimeKeyPair(
                    "smime/bob@example.test#1",
                    privateKey("bob.key"),
                    certificate("bob.pem"),
                    List.of(CA));

    private FuzzPki() {}

    private static byte[] pem(String name) {
        try (InputStream in = FuzzPki.class.getResourceAsStream("fuzz/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource fuzz/" + name);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            return Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static X509Certificate certificate(String name) {
        try {
            return (X509Certificate)
                    CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(pem(name)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateKey privateKey(String name) {
        try {
            return KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(pem(name)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
