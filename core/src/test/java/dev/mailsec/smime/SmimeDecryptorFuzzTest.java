package dev.mailsec.smime;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target for S/MIME enveloped and auth-enveloped input ({@link SmimeDecryptor}: the MIME head,
 * base64 or binary transfer encoding, the CMS EnvelopedData / AuthEnvelopedData parsers, key
 * transport, content decryption): only {@link SmimeException} (with its reason) and the declared
 * {@link IOException} may come out. Seeds (AES-CBC and AES-GCM envelopes for the fixed {@link
 * FuzzPki} recipient) are in {@code
 * src/test/resources/dev/mailsec/smime/SmimeDecryptorFuzzTestInputs/decrypt/}.
 */
class SmimeDecryptorFuzzTest {

    private static final List<SmimeKeyPair> KEYS = List.of(FuzzPki.BOB);

    @FuzzTest(maxDuration = "5m")
    @Timeout(10)
    void decrypt(byte[] message) throws IOException {
        try {
            new SmimeDecryptor()
                    .decrypt(new ByteArrayInputStream(message), new ByteArrayOutputStream(), KEYS);
        } catch (SmimeException refused) {
            // NOT_SMIME, NO_MATCHING_KEY, CORRUPT, UNSUPPORTED_ALGORITHM: the documented answers
        }
    }
}
