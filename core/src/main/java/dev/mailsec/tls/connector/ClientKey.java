package dev.mailsec.tls.connector;

import dev.mailsec.tls.KeyMatch;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;

/**
 * A client certificate an outbound connector presents in STARTTLS: the private key and its chain
 * (leaf first), checked when made: a leaf is there, the key belongs to it (a signature by the key
 * verifies with the leaf's public key), the leaf is valid now and, if it restricts its use, allows
 * TLS client authentication. Immutable; {@link #toString()} names the certificate, never the key.
 */
public final class ClientKey {

    /** id-kp-clientAuth (RFC 5280 section 4.2.1.12). */
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private static final String ANY_USAGE = "2.5.29.37.0";

    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;
    private final int version;

    private ClientKey(PrivateKey privateKey, List<X509Certificate> chain, int version) {
        this.privateKey = privateKey;
        this.chain = List.copyOf(chain);
        this.version = version;
    }

    /**
     * The key and chain, checked at {@code now}.
     *
     * @param version which version of the secret this is (shown in logs and errors)
     * @throws InvalidConnectorsException saying what is wrong (no certificate, key of another
     *     certificate, expired, not for client authentication)
     */
    public static ClientKey of(
            PrivateKey privateKey, List<X509Certificate> chain, int version, Instant now)
            throws InvalidConnectorsException {
        if (chain.isEmpty()) {
            throw new InvalidConnectorsException(
                    "version "
                            + version
                            + " holds no certificate (expected key and chain, leaf first)");
        }
        X509Certificate leaf = chain.get(0);
        String what = "version " + version + " (" + leaf.getSubjectX500Principal().getName() + ")";
        if (!KeyMatch.matches(privateKey, leaf)) {
            throw new InvalidConnectorsException(
                    what + ": the private key does not belong to the certificate");
        }
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            throw new InvalidConnectorsException(
                    what + ": the certificate expired on " + leaf.getNotAfter().toInstant());
        }
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            throw new InvalidConnectorsException(
                    what
                            + ": the certificate is valid only from "
                            + leaf.getNotBefore().toInstant());
        }
        try {
            List<String> usages = leaf.getExtendedKeyUsage();
            if (usages != null && !usages.contains(CLIENT_AUTH) && !usages.contains(ANY_USAGE)) {
                throw new InvalidConnectorsException(
                        what
                                + ": the certificate's extended key usage "
                                + usages
                                + " does not allow TLS client authentication ("
                                + CLIENT_AUTH
                                + ")");
            }
        } catch (CertificateParsingException e) {
            throw new InvalidConnectorsException(
                    what + ": unreadable extended key usage: " + e.getMessage(), e);
        }
        return new ClientKey(privateKey, chain, version);
    }

    /** The leaf certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The version of the secret it came from. */
    public int version() {
        return version;
    }

    /** True when the leaf is no longer (or not yet) valid at {@code now}. */
    public boolean expiredAt(Instant now) {
        return now.isAfter(certificate().getNotAfter().toInstant())
                || now.isBefore(certificate().getNotBefore().toInstant());
    }

    /**
     * Key managers presenting this certificate, from an in-memory key store under a random password
     * that lives only here.
     */
    public KeyManager[] keyManagers() {
        try {
            char[] password = new char[24];
            SecureRandom random = new SecureRandom();
            for (int i = 0; i < password.length; i++) {
                password[i] = (char) ('a' + random.nextInt(26));
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(
                    "client", privateKey, password, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory factory =
                    KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password);
            return factory.getKeyManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the JVM cannot hold a client key in memory", e);
        }
    }

    @Override
    public String toString() {
        return "ClientKey[v"
                + version
                + " "
                + certificate().getSubjectX500Principal().getName()
                + ", expires "
                + certificate().getNotAfter().toInstant()
                + ", key redacted]";
    }
}
