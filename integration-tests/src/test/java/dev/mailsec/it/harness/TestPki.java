package dev.mailsec.it.harness;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away PKI for one test run: a CA, a server certificate for {@code localhost} / {@code
 * 127.0.0.1} and any number of client certificates, all ECDSA P-256 signed with SHA-256. Built with
 * Bouncy Castle's certificate builder (test scope only; JSSE does the TLS).
 */
public final class TestPki {

    /** Secret of every key store this PKI writes; test material only. */
    public static final String STORE_SECRET = "test-only-secret";

    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    private final KeyPair caKeys;
    private final X509Certificate caCertificate;
    private final Identity server;

    /** A private key with its certificate chain (leaf first, then the CA). */
    public static final class Identity {
        private final KeyPair keys;
        private final X509Certificate certificate;
        private final X509Certificate issuer;

        private Identity(KeyPair keys, X509Certificate certificate, X509Certificate issuer) {
            this.keys = keys;
            this.certificate = certificate;
            this.issuer = issuer;
        }

        public X509Certificate certificate() {
            return certificate;
        }

        /** RFC 2253 form of the subject, as JSSE reports it on the other side. */
        public String subject() {
            return certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
        }

        KeyStore asKeyStore() throws GeneralSecurityException, IOException {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(
                    "identity",
                    keys.getPrivate(),
                    STORE_SECRET.toCharArray(),
                    new Certificate[] {certificate, issuer});
            return store;
        }
    }

    private TestPki(KeyPair caKeys, X509Certificate caCertificate) throws GeneralSecurityException {
        this.caKeys = caKeys;
        this.caCertificate = caCertificate;
        this.server =
                issue(
                        "CN=localhost,O=mailsec test server",
                        false,
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    }

    public static TestPki create() {
        try {
            KeyPair caKeys = newKeyPair();
            X500Principal caName = new X500Principal("CN=mailsec test CA,O=mailsec test");
            X509v3CertificateBuilder builder =
                    new JcaX509v3CertificateBuilder(
                                    caName,
                                    serial(),
                                    notBefore(),
                                    notAfter(),
                                    caName,
                                    caKeys.getPublic())
                            .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                            .addExtension(
                                    Extension.keyUsage,
                                    true,
                                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new TestPki(caKeys, sign(builder, caKeys));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot create the test PKI", e);
        }
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    public Identity server() {
        return server;
    }

    /**
     * A client certificate with the given subject and subject alternative names (e.g. DNS and
     * e-mail).
     */
    public Identity client(String subject, GeneralName... altNames) {
        try {
            return issue(subject, true, altNames);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue client certificate " + subject, e);
        }
    }

    /** Writes the server's key and chain as a PKCS12 key store. */
    public void writeServerKeyStore(Path file) throws IOException, GeneralSecurityException {
        write(server.asKeyStore(), file);
    }

    /** Writes a PKCS12 trust store holding only the test CA. */
    public void writeTrustStore(Path file) throws IOException, GeneralSecurityException {
        write(trustStore(), file);
    }

    /**
     * A client socket factory trusting only the test CA, presenting {@code clientIdentity} when not
     * null.
     */
    public SSLSocketFactory clientSocketFactory(Identity clientIdentity) {
        try {
            TrustManagerFactory trust =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore());
            SSLContext context = SSLContext.getInstance("TLS");
            if (clientIdentity == null) {
                context.init(null, trust.getTrustManagers(), new SecureRandom());
            } else {
                KeyManagerFactory keys =
                        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(clientIdentity.asKeyStore(), STORE_SECRET.toCharArray());
                context.init(keys.getKeyManagers(), trust.getTrustManagers(), new SecureRandom());
            }
            return context.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the client TLS context", e);
        }
    }

    private KeyStore trustStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("mailsec-test-ca", caCertificate);
        return store;
    }

    private Identity issue(String subject, boolean client, GeneralName... altNames)
            throws GeneralSecurityException {
        KeyPair keys = newKeyPair();
        try {
            X509v3CertificateBuilder builder =
                    new JcaX509v3CertificateBuilder(
                                    caCertificate,
                                    serial(),
                                    notBefore(),
                                    notAfter(),
                                    new X500Principal(subject),
                                    keys.getPublic())
                            .addExtension(
                                    Extension.basicConstraints, true, new BasicConstraints(false))
                            .addExtension(
                                    Extension.keyUsage,
                                    true,
                                    new KeyUsage(KeyUsage.digitalSignature))
                            .addExtension(
                                    Extension.extendedKeyUsage,
                                    false,
                                    client
                                            ? new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth)
                                            : new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            if (altNames.length > 0) {
                builder.addExtension(
                        Extension.subjectAlternativeName, false, new GeneralNames(altNames));
            }
            return new Identity(keys, sign(builder, caKeys), caCertificate);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot encode certificate extensions", e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(
                            builder.build(
                                    new JcaContentSignerBuilder("SHA256withECDSA")
                                            .build(signer.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot create the certificate signer", e);
        }
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static void write(KeyStore store, Path file)
            throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, STORE_SECRET.toCharArray());
        }
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }

    private static Date notBefore() {
        return Date.from(Instant.now().minus(Duration.ofHours(1)));
    }

    private static Date notAfter() {
        return Date.from(Instant.now().plus(Duration.ofDays(2)));
    }
}
