package dev.mailsec.tls.connector.dane;

import dev.mailsec.testsupport.TestCertificates;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * Certificates for the DANE tests, made with Bouncy Castle: a private root and intermediate CA
 * (nobody's trust store holds them), and server certificates they issue or that sign themselves.
 */
public final class DanePki {

    public final KeyPair rootKeys = ec();
    public final X509Certificate root =
            issue("CN=DANE test root", rootKeys, null, null, true, -1, 30);
    public final KeyPair intermediateKeys = ec();
    public final X509Certificate intermediate =
            issue("CN=DANE test intermediate", intermediateKeys, root, rootKeys, true, -1, 30);

    /** A key pair and its certificate. */
    public static final class Issued {
        public final KeyPair keys;
        public final X509Certificate certificate;

        Issued(KeyPair keys, X509Certificate certificate) {
            this.keys = keys;
            this.certificate = certificate;
        }
    }

    /** A server certificate for {@code dnsName}, issued by the intermediate, valid now. */
    public Issued server(String dnsName) {
        return server(dnsName, -1, 10);
    }

    /** As {@link #server(String)}, valid from and to the given days from now. */
    public Issued server(String dnsName, int fromDays, int toDays) {
        KeyPair keys = ec();
        return new Issued(
                keys,
                issue(
                        "CN=" + dnsName,
                        keys,
                        intermediate,
                        intermediateKeys,
                        false,
                        fromDays,
                        toDays,
                        dnsName));
    }

    /** A self-signed server certificate, as DANE-EE(3) users often publish. */
    public static Issued selfSigned(String dnsName) {
        KeyPair keys = ec();
        return new Issued(keys, issue("CN=" + dnsName, keys, null, null, false, -1, 10, dnsName));
    }

    private static X509Certificate issue(
            String cn,
            KeyPair subject,
            X509Certificate issuer,
            KeyPair issuerKeys,
            boolean isCa,
            int fromDays,
            int toDays,
            String... dnsNames) {
        Instant now = Instant.now();
        KeyPair signer = issuerKeys == null ? subject : issuerKeys;
        return TestCertificates.issue(
                cn,
                subject.getPublic(),
                issuer,
                signer.getPrivate(),
                "SHA256withECDSA",
                isCa,
                now.plus(Duration.ofDays(fromDays)),
                now.plus(Duration.ofDays(toDays)),
                null,
                dnsNames);
    }

    private static KeyPair ec() {
        return TestCertificates.ec();
    }
}
