package dev.mailsec.cli.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.smime.SmimeTestPki;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateCheckTest {
    private static final SmimeTestPki PKI = new SmimeTestPki("check test CA");
    private static final Instant NOW = Instant.parse("2026-12-07T08:00:00Z");

    @TempDir Path home;
    final StringWriter out = new StringWriter();
    final Report report = new Report(new PrintWriter(out));

    /** Checks as of {@link #NOW}, warning 30 days ahead. */
    private CertificateCheck check() {
        return new CertificateCheck(home, report, Clock.fixed(NOW, ZoneOffset.UTC), 30);
    }

    private static X509Certificate certificate(
            String address, Instant notBefore, Instant notAfter) {
        SmimeTestPki.Spec spec = new SmimeTestPki.Spec();
        spec.notBefore = notBefore;
        spec.notAfter = notAfter;
        return PKI.user(address, spec).certificate();
    }

    @Test
    void expiryShouldBeAnErrorOnceExpiredOrNotYetValidAndAWarningWithinTheWarningDays() {
        check().expiry(
                        "a",
                        certificate(
                                "a@x.test",
                                NOW.minus(Duration.ofDays(400)),
                                NOW.minus(Duration.ofDays(1))));
        check().expiry(
                        "b",
                        certificate(
                                "b@x.test",
                                NOW.minus(Duration.ofDays(1)),
                                NOW.plus(Duration.ofDays(10))));
        check().expiry(
                        "c",
                        certificate(
                                "c@x.test",
                                NOW.minus(Duration.ofDays(1)),
                                NOW.plus(Duration.ofDays(400))));
        check().expiry(
                        "d",
                        certificate(
                                "d@x.test",
                                NOW.plus(Duration.ofDays(1)),
                                NOW.plus(Duration.ofDays(400))));

        assertThat(out.toString().lines())
                .satisfiesExactly(
                        a ->
                                assertThat(a)
                                        .startsWith("error a: ")
                                        .endsWith(" expired on 2026-12-06"),
                        b ->
                                assertThat(b)
                                        .startsWith("warn b: ")
                                        .endsWith(" expires on 2026-12-17 (in 10 days)"),
                        c ->
                                assertThat(c)
                                        .startsWith("ok c: ")
                                        .endsWith(" valid until 2028-01-11 (400 days)"),
                        d ->
                                assertThat(d)
                                        .startsWith("error d: ")
                                        .endsWith(" is not valid before 2026-12-08"));
        assertThat(report.errors()).isEqualTo(2);
    }

    @Test
    void aMissingCertificateFolderOrTrustAnchorFileShouldBeNamed() throws Exception {
        Files.createDirectories(home.resolve("conf/smime/certs"));
        SmimeTestPki.writeCert(
                home.resolve("conf/smime/certs/bob.pem"),
                certificate(
                        "bob@x.test",
                        NOW.minus(Duration.ofDays(1)),
                        NOW.plus(Duration.ofDays(100))));

        check().check(
                        List.of(
                                Map.of(
                                        "class",
                                        "dev.mailsec.mailets.smime.EncryptSmime",
                                        "processor",
                                        "root",
                                        "certificateFolder",
                                        "conf/smime/certs",
                                        "trustAnchors",
                                        "conf/smime/ca.pem"),
                                Map.of(
                                        "class",
                                        "dev.mailsec.mailets.smime.EncryptSmime",
                                        "processor",
                                        "relay",
                                        "certificateFolder",
                                        "conf/smime/missing")));

        assertThat(out.toString())
                .contains("ok smime certificates conf/smime/certs/bob.pem: ")
                .contains(
                        "error trust anchors conf/smime/ca.pem: cannot read certificates from "
                                + home.resolve("conf/smime/ca.pem"))
                .contains(
                        "error smime certificates conf/smime/missing: not a folder: "
                                + home.resolve("conf/smime/missing"));
    }

    @Test
    void aConnectorsOwnTrustStoreShouldBeChecked() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        SmimeTestPki.writeCert(
                home.resolve("conf/partner-ca.pem"),
                certificate(
                        "ca@partner.test",
                        NOW.minus(Duration.ofDays(900)),
                        NOW.minus(Duration.ofDays(3))));
        Files.writeString(
                home.resolve("conf/connectors.xml"),
                "<connectors><outbound name=\"partner-out\">"
                        + "<recipientDomain>partner.test</recipientDomain>"
                        + "<tls level=\"verify\" trustStore=\"conf/partner-ca.pem\"/></outbound></connectors>");

        check().check(List.of());

        assertThat(out.toString())
                .startsWith("error connector trust partner-out conf/partner-ca.pem: ")
                .contains(" expired on 2026-12-04");
    }

    @Test
    void aTlsKeystoreShouldBeOpenedWithItsSecretAndAWrongSecretNamed() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        SmimeTestPki.Spec spec = new SmimeTestPki.Spec();
        spec.notAfter = Instant.now().plus(Duration.ofDays(400));
        var pair = PKI.user("server@x.test", spec);
        store.setKeyEntry(
                "james",
                pair.privateKeyForCryptoOperation(),
                "right".toCharArray(),
                new Certificate[] {pair.certificate()});
        try (var file = Files.newOutputStream(home.resolve("conf/keystore.p12"))) {
            store.store(file, "right".toCharArray());
        }
        String server =
                "<smtpservers><smtpserver enabled=\"true\"><jmxName>a</jmxName><tls socketTLS=\"false\" "
                        + "startTLS=\"true\"><keystore>file://conf/keystore.p12</keystore><keystoreType>PKCS12</keystoreType>"
                        + "<secret>SECRET</secret></tls></smtpserver></smtpservers>";
        Files.writeString(home.resolve("conf/smtpserver.xml"), server.replace("SECRET", "right"));
        Files.writeString(
                home.resolve("conf/imapserver.xml"),
                server.replace("SECRET", "wrong")
                        .replace("smtp", "imap")
                        .replace("conf/keystore.p12", "conf/other.p12"));
        Files.copy(home.resolve("conf/keystore.p12"), home.resolve("conf/other.p12"));

        new CertificateCheck(home, report, Clock.systemUTC(), 30).check(List.of());

        assertThat(out.toString())
                .contains("ok tls keystore file://conf/keystore.p12 (conf/smtpserver.xml): ")
                .contains(
                        "error tls keystore file://conf/other.p12 (conf/imapserver.xml): cannot open "
                                + home.resolve("conf/other.p12")
                                + " as PKCS12: ")
                .doesNotContain("wrong");
    }
}
