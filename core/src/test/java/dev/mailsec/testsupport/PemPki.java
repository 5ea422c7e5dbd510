package dev.mailsec.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A test CA issuing server certificates as PEM files, the way an operator receives them (chain,
 * unencrypted PKCS#8 key), and the CA as a PEM trust store. EC P-256 keys keep it fast.
 */
public final class PemPki {

    private final KeyPair caKeys;
    private final X509Certificate ca;

    /** A key pair and its certificate. */
    public static final class Issued {
        public final KeyPair keys;
        public final X509Certificate certificate;

        Issued(KeyPair keys, X509Certificate certificate) {
            this.keys = keys;
            this.certificate = certificate;
        }
    }

    public PemPki(String caName) {
        caKeys = ec();
        ca = issue("CN=" + caName, caKeys, true, Duration.ofDays(-1), Duration.ofDays(30));
    }

    public X509Certificate ca() {
        return ca;
    }

    /** A server certificate valid from yesterday for {@code validFor}, for {@code dnsNames}. */
    public Issued server(Duration validFor, String... dnsNames) {
        return server(Duration.ofDays(-1), validFor, dnsNames);
    }

    /** A server certificate valid from {@code from} to {@code to} (relative to now). */
    public Issued server(Duration from, Duration to, String... dnsNames) {
        KeyPair keys = ec();
        return new Issued(keys, issue("CN=" + dnsNames[0], keys, false, from, to, dnsNames));
    }

    /**
     * Writes {@code issued}'s chain (leaf, CA) and key as {@code NAME.pem} and {@code NAME.key}.
     */
    public Path[] write(Issued issued, Path dir, String name) throws Exception {
        Path chain = dir.resolve(name + ".pem");
        Path key = dir.resolve(name + ".key");
        Files.writeString(
                chain,
                pem("CERTIFICATE", issued.certificate.getEncoded())
                        + pem("CERTIFICATE", ca.getEncoded()));
        Files.writeString(key, pem("PRIVATE KEY", issued.keys.getPrivate().getEncoded()));
        return new Path[] {chain, key};
    }

    /** Writes the CA certificate as a PEM trust store. */
    public Path writeCa(Path file) throws Exception {
        Files.writeString(file, pem("CERTIFICATE", ca.getEncoded()));
        return file;
    }

    /** A PKCS12 key store of {@code issued} (leaf and CA), password {@code password}. */
    public void writeKeyStore(Issued issued, Path file, char[] password)
            throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(
                "server",
                issued.keys.getPrivate(),
                password,
                new X509Certificate[] {issued.certificate, ca});
        try (var out = Files.newOutputStream(file)) {
            store.store(out, password);
        }
    }

    /** A server TLS context presenting {@code issued} (leaf and CA). */
    public SSLContext serverContext(Issued issued) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = "test-only".toCharArray();
        store.setKeyEntry(
                "server",
                issued.keys.getPrivate(),
                password,
                new X509Certificate[] {issued.certificate, ca});
        KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    /** A key store trusting the CA. */
    public KeyStore trustStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", ca);
        return store;
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN "
                + type
                + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END "
                + type
                + "-----\n";
    }

    private X509Certificate issue(
            String cn,
            KeyPair subject,
            boolean isCa,
            Duration from,
            Duration to,
            String... dnsNames) {
        Instant now = Instant.now();
        return TestCertificates.issue(
                cn,
                subject.getPublic(),
                isCa ? null : ca,
                (isCa ? subject : caKeys).getPrivate(),
                "SHA256withECDSA",
                isCa,
                now.plus(from),
                now.plus(to),
                null,
                dnsNames);
    }

    private static KeyPair ec() {
        return TestCertificates.ec();
    }
}
