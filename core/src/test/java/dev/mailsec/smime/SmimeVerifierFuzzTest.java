package dev.mailsec.smime;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target for S/MIME signed input ({@link SmimeVerifier}: multipart/signed and opaque
 * signed-data, the CMS SignedData parser, certificate chain building): every message gets a
 * verdict; the declared {@link IOException} is the only exception allowed, and none may come from
 * in-memory streams in practice. Seeds (detached and opaque signatures over the tests' messages, by
 * the fixed {@link FuzzPki} key) are in {@code
 * src/test/resources/dev/mailsec/smime/SmimeVerifierFuzzTestInputs/verify/}.
 */
class SmimeVerifierFuzzTest {

    private static final SmimeVerifier VERIFIER =
            new SmimeVerifier(TrustAnchors.of(List.of(FuzzPki.CA)), null, FuzzPki.CLOCK);

    @FuzzTest(maxDuration = "5m")
    @Timeout(10)
    void verify(byte[] message) throws IOException {
        SmimeVerification result = VERIFIER.verify(message, new ByteArrayOutputStream());
        if (result == null) {
            throw new IllegalStateException("no verdict");
        }
    }
}
