package dev.mailsec.rights;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSASigner;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target for the rights package ({@link ProtectedPackage#decode}, the JSON attachment) and its
 * licence ({@link RightsOpener#verify}: the JWS, its header and claims): only {@link
 * RightsException} may come out.
 *
 * <p>A fuzzed licence almost never carries a valid signature, so its claims would never be read;
 * the target therefore also re-signs the licence's header and payload with a key its keyring trusts
 * and verifies that package, which takes the fuzzed claims through every check after the signature.
 * Seeds (real packages made by {@link RightsProtector} for the three sample templates) are in
 * {@code src/test/resources/dev/mailsec/rights/ProtectedPackageFuzzTestInputs/decodeAndVerify/}.
 */
class ProtectedPackageFuzzTest {

    private static final String KID = "rights/licence-signing#1";
    private static final KeyPair SIGNING = ecKeyPair();
    private static final RightsOpener OPENER =
            new RightsOpener(
                    RightsSettings.parse(
                            new ByteArrayInputStream(
                                    RightsTestEnvironment.RIGHTS_XML.getBytes(
                                            StandardCharsets.UTF_8)),
                            Path.of("/nonexistent/mailsec-fuzz")),
                    new SigningKeyOnly(),
                    null,
                    Clock.fixed(Instant.parse("2026-12-08T00:00:00Z"), ZoneOffset.UTC));

    @FuzzTest(maxDuration = "5m")
    @Timeout(10)
    void decodeAndVerify(byte[] input) {
        ProtectedPackage pkg;
        try {
            pkg = ProtectedPackage.decode(input);
            OPENER.verify(pkg);
        } catch (RightsException refused) {
            // fall through: a package that decodes is also re-signed below
        }
        try {
            pkg = ProtectedPackage.decode(input);
        } catch (RightsFormatException refused) {
            return;
        }
        Optional<ProtectedPackage> resigned = resigned(pkg);
        if (resigned.isPresent()) {
            try {
                OPENER.verify(resigned.get());
            } catch (RightsException refused) {
                // the documented answers
            }
        }
    }

    /**
     * The package with its licence's header and payload signed by {@link #SIGNING}, if it parses as
     * a JWS.
     */
    private static Optional<ProtectedPackage> resigned(ProtectedPackage pkg) {
        JWSObject jws;
        try {
            jws = JWSObject.parse(pkg.licence());
        } catch (ParseException notJws) {
            return Optional.empty();
        }
        JWSHeader header = jws.getHeader();
        if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
            return Optional.empty();
        }
        try {
            JWSObject copy =
                    new JWSObject(
                            new JWSHeader.Builder(header).keyID(KID).build(), jws.getPayload());
            copy.sign(new ECDSASigner((ECPrivateKey) SIGNING.getPrivate()));
            return Optional.of(ProtectedPackage.ofTrusted(copy.serialize(), pkg.content()));
        } catch (JOSEException | IllegalArgumentException | IllegalStateException cannotSign) {
            return Optional.empty();
        }
    }

    private static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Trusts {@link #SIGNING} under {@link #KID}; verification needs nothing else. */
    private static final class SigningKeyOnly implements RightsKeyring {
        @Override
        public RightsKey<SecretKey> contentKey() {
            throw new UnsupportedOperationException("not used by verify");
        }

        @Override
        public Optional<SecretKey> contentKey(String kid) {
            return Optional.empty();
        }

        @Override
        public RightsKey<ECPrivateKey> signingKey() {
            return new RightsKey<>(KID, (ECPrivateKey) SIGNING.getPrivate());
        }

        @Override
        public Optional<ECPublicKey> verificationKey(String kid) {
            return KID.equals(kid)
                    ? Optional.of((ECPublicKey) SIGNING.getPublic())
                    : Optional.empty();
        }

        @Override
        public RightsKey<SecretKey> sessionKey() {
            throw new UnsupportedOperationException("not used by verify");
        }

        @Override
        public List<RightsKey<SecretKey>> sessionKeys() {
            return List.of();
        }
    }
}
