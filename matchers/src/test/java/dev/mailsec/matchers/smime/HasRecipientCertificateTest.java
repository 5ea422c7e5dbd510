package dev.mailsec.matchers.smime;

import static dev.mailsec.matchers.smime.SmimeMails.mail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.smime.CertificateDirectory;
import dev.mailsec.smime.RecipientCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HasRecipientCertificateTest {

    @TempDir Path dir;

    @Test
    void hasRecipientCertificateShouldReturnOnlyRecipientsWithAUsableCertificate()
            throws Exception {
        Path cert = dir.resolve("bob.pem");
        Path key = dir.resolve("bob.key");
        Process p =
                new ProcessBuilder(
                                "openssl",
                                "req",
                                "-x509",
                                "-newkey",
                                "rsa:2048",
                                "-nodes",
                                "-keyout",
                                key.toString(),
                                "-subj",
                                "/CN=bob",
                                "-addext",
                                "subjectAltName=email:bob@example.test",
                                "-addext",
                                "keyUsage=digitalSignature,keyEncipherment",
                                "-days",
                                "2",
                                "-out",
                                cert.toString())
                        .redirectErrorStream(true)
                        .start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        Files.delete(key);
        HasRecipientCertificate matcher = new HasRecipientCertificate();
        matcher.init(
                FakeMatcherConfig.builder()
                        .matcherName("HasRecipientCertificate")
                        .condition(dir.toString())
                        .build());
        assertThat(matcher.match(mail("text/plain")))
                .containsExactly(new MailAddress("bob@example.test"));

        assertThatThrownBy(
                        () ->
                                new HasRecipientCertificate()
                                        .init(
                                                FakeMatcherConfig.builder()
                                                        .matcherName("HasRecipientCertificate")
                                                        .condition("/no/such/folder")
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("/no/such/folder");
    }

    @Test
    void hasRecipientCertificateShouldThrowRatherThanSayNoWhenTheDirectoryFails() throws Exception {
        CertificateDirectory broken =
                address -> {
                    throw new IOException("LDAP timeout");
                };
        HasRecipientCertificate matcher =
                new HasRecipientCertificate(
                        new RecipientCertificates(broken, null, Clock.systemUTC()));
        matcher.init(
                FakeMatcherConfig.builder()
                        .matcherName("HasRecipientCertificate")
                        .condition("x")
                        .build());
        assertThatThrownBy(() -> matcher.match(mail("text/plain")))
                .isInstanceOf(MessagingException.class);
    }
}
