package dev.mailsec.tls.connector;

import dev.mailsec.shaded.bc.asn1.x509.KeyPurposeId;
import dev.mailsec.testsupport.TestCertificates;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/** A CA issuing client and server certificates for the client-certificate tests. */
final class ClientPki {

    final KeyPair caKeys = rsa();
    final X509Certificate ca = issue("CN=client test CA", caKeys, caKeys, null, null, true, 0, 30);

    /** A key pair and its certificate. */
    static final class Issued {
        final KeyPair keys;
        final X509Certificate certificate;

        Issued(KeyPair keys, X509Certificate certificate) {
            this.keys = keys;
            this.certificate = certificate;
        }
    }

    Issued client(String cn) {
        return issued(cn, KeyPurposeId.id_kp_clientAuth, null, -1, 10);
    }

    Issued expiredClient(String cn) {
        return issued(cn, KeyPurposeId.id_kp_clientAuth, null, -10, -1);
    }

    Issued serverOnly(String cn) {
        return issued(cn, KeyPurposeId.id_kp_serverAuth, null, -1, 10);
    }

    Issued server(String dnsName) {
        return issued("CN=" + dnsName, KeyPurposeId.id_kp_serverAuth, dnsName, -1, 10);
    }

    private Issued issued(String cn, KeyPurposeId usage, String dnsName, int fromDays, int toDays) {
        KeyPair keys = rsa();
        return new Issued(keys, issue(cn, keys, caKeys, usage, dnsName, false, fromDays, toDays));
    }

    private X509Certificate issue(
            String cn,
            KeyPair subject,
            KeyPair issuer,
            KeyPurposeId usage,
            String dnsName,
            boolean isCa,
            int fromDays,
            int toDays) {
        Instant now = Instant.now();
        return TestCertificates.issue(
                cn,
                subject.getPublic(),
                isCa ? null : ca,
                issuer.getPrivate(),
                "SHA256withRSA",
                isCa,
                now.plus(Duration.ofDays(fromDays)).minusSeconds(3600),
                now.plus(Duration.ofDays(toDays)),
                usage,
                dnsName == null ? new String[0] : new String[] {dnsName});
    }

    static KeyPair rsa() {
        return TestCertificates.rsa();
    }
}
