package dev.mailsec.smime;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * One version of a user's (or domain's) S/MIME key: the private key, its certificate and the chain
 * up to (not necessarily including) the root. {@link #toString()} never shows key material.
 */
public final class SmimeKeyPair {

    private final String id;
    private final PrivateKey privateKey;
    private final X509Certificate certificate;
    private final List<X509Certificate> chain;

    /**
     * @param id a label for logs and attributes (e.g. the DKM key id, or a file name)
     * @param chain certificates above {@code certificate}, nearest first; may be empty
     */
    public SmimeKeyPair(
            String id,
            PrivateKey privateKey,
            X509Certificate certificate,
            List<X509Certificate> chain) {
        this.id = Objects.requireNonNull(id, "id");
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.chain = List.copyOf(chain);
    }

    public String id() {
        return id;
    }

    /** The one access to secret material; grep for it. */
    public PrivateKey privateKeyForCryptoOperation() {
        return privateKey;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public List<X509Certificate> chain() {
        return chain;
    }

    @Override
    public String toString() {
        return "SmimeKeyPair{id="
                + id
                + ", subject="
                + certificate.getSubjectX500Principal().getName()
                + ", serial="
                + certificate.getSerialNumber().toString(16)
                + ", algorithm="
                + privateKey.getAlgorithm()
                + "}";
    }
}
