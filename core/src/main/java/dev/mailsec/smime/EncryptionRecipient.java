package dev.mailsec.smime;

import java.security.cert.X509Certificate;
import java.util.Objects;

/** One certificate to encrypt to, with the key transport chosen for its holder. */
public final class EncryptionRecipient {

    private final X509Certificate certificate;
    private final KeyTransport keyTransport;

    private EncryptionRecipient(X509Certificate certificate, KeyTransport keyTransport) {
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.keyTransport = keyTransport;
    }

    /**
     * @param rsaTransport used when the certificate holds an RSA key; EC keys always get {@link
     *     KeyTransport#ECDH}
     */
    public static EncryptionRecipient of(X509Certificate certificate, KeyTransport rsaTransport) {
        String algorithm = certificate.getPublicKey().getAlgorithm();
        if ("EC".equals(algorithm)) {
            return new EncryptionRecipient(certificate, KeyTransport.ECDH);
        }
        if (rsaTransport == KeyTransport.ECDH) {
            throw new IllegalArgumentException("ECDH needs an EC certificate, got " + algorithm);
        }
        return new EncryptionRecipient(certificate, rsaTransport);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public KeyTransport keyTransport() {
        return keyTransport;
    }

    @Override
    public String toString() {
        return "EncryptionRecipient{"
                + certificate.getSubjectX500Principal().getName()
                + ", "
                + keyTransport.configName()
                + "}";
    }
}
