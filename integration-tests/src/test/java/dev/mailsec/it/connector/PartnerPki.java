package dev.mailsec.it.connector;

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
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
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
 * The partners' PKI for outbound tests: a CA James is made to trust, and server certificates that
 * are valid, issued for the wrong name, or expired. (The harness's TestPki issues only valid
 * certificates for James itself, so the partners get their own CA.)
 */
final class PartnerPki {

    private static final char[] SECRET = "partner-test-only".toCharArray();
    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    private final KeyPair caKeys;
    private final X509Certificate ca;

    PartnerPki() throws GeneralSecurityException, IOException, OperatorCreationException {
        caKeys = keyPair();
        X500Principal name = new X500Principal("CN=partner test CA");
        ca =
                sign(
                        new JcaX509v3CertificateBuilder(
                                        name,
                                        serial(),
                                        date(Duration.ofHours(-1)),
                                        date(Duration.ofDays(2)),
                                        name,
                                        caKeys.getPublic())
                                .addExtension(
                                        Extension.basicConstraints, true, new BasicConstraints(0))
                                .addExtension(
                                        Extension.keyUsage,
                                        true,
                                        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)));
    }

    /**
     * A TLS server context presenting a certificate for {@code dnsName}, valid between the two
     * offsets from now.
     */
    SSLContext serverContext(String dnsName, Duration notBefore, Duration notAfter)
            throws Exception {
        return serverContext(notBefore, notAfter, dnsName);
    }

    /** A valid TLS server context whose certificate carries all of {@code dnsNames}. */
    SSLContext validServerForNames(String... dnsNames) throws Exception {
        return serverContext(Duration.ofHours(-1), Duration.ofDays(1), dnsNames);
    }

    private SSLContext serverContext(Duration notBefore, Duration notAfter, String... dnsNames)
            throws Exception {
        KeyStore store = serverKeyStore(notBefore, notAfter, dnsNames);
        KeyManagerFactory keyManagers =
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, SECRET);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, new SecureRandom());
        return context;
    }

    /**
     * Writes a PKCS12 key store with a valid server certificate for {@code dnsName} (alias {@code
     * server}), for a partner running in another JVM; returns the store's password.
     */
    char[] writeServerKeyStore(Path file, String dnsName) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            serverKeyStore(Duration.ofHours(-1), Duration.ofDays(1), dnsName).store(out, SECRET);
        }
        return SECRET.clone();
    }

    private KeyStore serverKeyStore(Duration notBefore, Duration notAfter, String... dnsNames)
            throws Exception {
        String dnsName = dnsNames[0];
        GeneralName[] sans = new GeneralName[dnsNames.length];
        for (int i = 0; i < dnsNames.length; i++) {
            sans[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
        }
        KeyPair keys = keyPair();
        X509Certificate certificate =
                sign(
                        new JcaX509v3CertificateBuilder(
                                        ca,
                                        serial(),
                                        date(notBefore),
                                        date(notAfter),
                                        new X500Principal("CN=" + dnsName),
                                        keys.getPublic())
                                .addExtension(
                                        Extension.basicConstraints,
                                        true,
                                        new BasicConstraints(false))
                                .addExtension(
                                        Extension.keyUsage,
                                        true,
                                        new KeyUsage(KeyUsage.digitalSignature))
                                .addExtension(
                                        Extension.extendedKeyUsage,
                                        false,
                                        new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                                .addExtension(
                                        Extension.subjectAlternativeName,
                                        false,
                                        new GeneralNames(sans)));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", keys.getPrivate(), SECRET, new Certificate[] {certificate, ca});
        return store;
    }

    /** A server context and the certificate it presents. */
    static final class Server {
        final SSLContext context;
        final X509Certificate certificate;

        Server(SSLContext context, X509Certificate certificate) {
            this.context = context;
            this.certificate = certificate;
        }
    }

    /** A valid TLS server context for {@code dnsName} and its certificate (e.g. for TLSA). */
    Server validServerWithCertificate(String dnsName) throws Exception {
        KeyStore store = serverKeyStore(Duration.ofHours(-1), Duration.ofDays(1), dnsName);
        KeyManagerFactory keyManagers =
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, SECRET);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, new SecureRandom());
        return new Server(context, (X509Certificate) store.getCertificate("server"));
    }

    /**
     * A valid TLS server context for {@code dnsName} that trusts client certificates issued by
     * {@code clientCa} only (for a partner requiring mutual TLS).
     */
    SSLContext validServerTrustingClients(String dnsName, X509Certificate clientCa)
            throws Exception {
        KeyStore store = serverKeyStore(Duration.ofHours(-1), Duration.ofDays(1), dnsName);
        KeyManagerFactory keyManagers =
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, SECRET);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("client-ca", clientCa);
        TrustManagerFactory trustManagers =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(
                keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), new SecureRandom());
        return context;
    }

    /** A key pair and its client certificate. */
    static final class Client {
        final KeyPair keys;
        final X509Certificate certificate;

        Client(KeyPair keys, X509Certificate certificate) {
            this.keys = keys;
            this.certificate = certificate;
        }
    }

    /** This CA's certificate. */
    X509Certificate ca() {
        return ca;
    }

    /** A valid TLS client certificate (clientAuth) for {@code subject}, issued by this CA. */
    Client client(String subject) throws Exception {
        KeyPair keys = keyPair();
        X509Certificate certificate =
                sign(
                        new JcaX509v3CertificateBuilder(
                                        ca,
                                        serial(),
                                        date(Duration.ofHours(-1)),
                                        date(Duration.ofDays(1)),
                                        new X500Principal(subject),
                                        keys.getPublic())
                                .addExtension(
                                        Extension.basicConstraints,
                                        true,
                                        new BasicConstraints(false))
                                .addExtension(
                                        Extension.keyUsage,
                                        true,
                                        new KeyUsage(KeyUsage.digitalSignature))
                                .addExtension(
                                        Extension.extendedKeyUsage,
                                        false,
                                        new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth)));
        return new Client(keys, certificate);
    }

    SSLContext validServer(String dnsName) throws Exception {
        return serverContext(dnsName, Duration.ofHours(-1), Duration.ofDays(1));
    }

    /**
     * Writes this CA's certificate as PEM (what a partner hands over for a connector's trustStore).
     */
    void writeCaPem(Path file) throws GeneralSecurityException, IOException {
        String base64 =
                Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(ca.getEncoded());
        Files.writeString(
                file, "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n");
    }

    /** Writes a PKCS12 trust store holding only this CA, protected by {@code password}. */
    void writeTrustStore(Path file, char[] password) throws GeneralSecurityException, IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            trustStore().store(out, password);
        }
    }

    /** A trust store holding only this CA. */
    KeyStore trustStore() throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("partner-ca", ca);
        return trust;
    }

    /**
     * A client context trusting only this CA: what James's JVM trust store holds in these tests.
     */
    SSLContext trustingClientContext() throws GeneralSecurityException, IOException {
        KeyStore trust = trustStore();
        TrustManagerFactory trustManagers =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers.getTrustManagers(), new SecureRandom());
        return context;
    }

    private X509Certificate sign(X509v3CertificateBuilder builder)
            throws GeneralSecurityException, OperatorCreationException {
        return new JcaX509CertificateConverter()
                .getCertificate(
                        builder.build(
                                new JcaContentSignerBuilder("SHA256withECDSA")
                                        .build(caKeys.getPrivate())));
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }

    private static Date date(Duration fromNow) {
        return Date.from(Instant.now().plus(fromNow));
    }
}
