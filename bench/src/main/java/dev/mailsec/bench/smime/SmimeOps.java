package dev.mailsec.bench.smime;

import dev.mailsec.smime.ContentEncryption;
import dev.mailsec.smime.EncryptionRecipient;
import dev.mailsec.smime.KeyTransport;
import dev.mailsec.smime.SigningMode;
import dev.mailsec.smime.SmimeBuffer;
import dev.mailsec.smime.SmimeDecryptor;
import dev.mailsec.smime.SmimeEncryptor;
import dev.mailsec.smime.SmimeResult;
import dev.mailsec.smime.SmimeSigner;
import dev.mailsec.smime.SmimeVerifier;
import dev.mailsec.smime.TrustAnchors;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.util.List;

/**
 * The four engine operations as the mailets run them (bytes in, bytes out), shared by JMH and
 * PeerDriver.
 */
final class SmimeOps {

    final BenchPki pki;
    private final SmimeSigner signer = new SmimeSigner(SigningMode.DETACHED, null);
    private final SmimeEncryptor encryptor = new SmimeEncryptor();
    private final SmimeDecryptor decryptor = new SmimeDecryptor();
    private final SmimeVerifier verifier;

    SmimeOps(BenchPki pki) {
        this.pki = pki;
        this.verifier =
                new SmimeVerifier(TrustAnchors.of(List.of(pki.ca)), null, Clock.systemUTC());
    }

    // Each result is a fresh buffer read in place, as the mailets keep it (SmimeMail.replace): no
    // toByteArray copy.

    SmimeBuffer sign(byte[] message) throws Exception {
        SmimeBuffer out = SmimeBuffer.sizedFor(message.length, 100);
        signer.sign(new ByteArrayInputStream(message), out, pki.alice);
        return out;
    }

    SmimeBuffer encrypt(byte[] message, ContentEncryption encryption) throws Exception {
        SmimeBuffer out = SmimeBuffer.sizedFor(message.length, 140);
        encryptor.encrypt(
                new ByteArrayInputStream(message),
                out,
                List.of(EncryptionRecipient.of(pki.bob.certificate(), KeyTransport.RSA_OAEP)),
                encryption);
        return out;
    }

    /**
     * Encryption into a caller's sink (e.g. a reused buffer), so nothing is allocated for the
     * output.
     */
    void encryptTo(byte[] message, ContentEncryption encryption, OutputStream sink)
            throws Exception {
        encryptor.encrypt(
                new ByteArrayInputStream(message),
                sink,
                List.of(EncryptionRecipient.of(pki.bob.certificate(), KeyTransport.RSA_OAEP)),
                encryption);
    }

    SmimeBuffer decrypt(byte[] encrypted) throws Exception {
        SmimeBuffer out = SmimeBuffer.sizedFor(encrypted.length, 100);
        decryptor.decrypt(new ByteArrayInputStream(encrypted), out, List.of(pki.bob));
        return out;
    }

    SmimeResult verify(byte[] signed) throws IOException {
        SmimeResult r = verifier.verify(signed, null).result();
        if (r == SmimeResult.NONE || r == SmimeResult.PERMERROR || r == SmimeResult.FAIL) {
            throw new IllegalStateException("benchmark message does not verify: " + r);
        }
        return r;
    }
}
