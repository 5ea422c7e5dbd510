package dev.mailsec.matchers.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.smime.CertificateDirectory;
import dev.mailsec.smime.RecipientCertificates;
import dev.mailsec.smime.SmimeAttributeNames;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Properties;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmimeMatchersTest {

    @TempDir
    Path dir;

    static FakeMail mail(String contentType) throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(
            ("From: a@example.test\r\nContent-Type: " + contentType + "\r\n\r\nx\r\n").getBytes(StandardCharsets.US_ASCII)));
        return FakeMail.builder().name("m").mimeMessage(m).recipients("bob@example.test", "dave@example.test").build();
    }

    @Test
    void isSmimeSignedAndEncryptedShouldRecogniseTheContentTypes() throws Exception {
        IsSmimeSigned signed = new IsSmimeSigned();
        IsSmimeEncrypted encrypted = new IsSmimeEncrypted();
        FakeMail detached = mail("multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=b");
        FakeMail opaque = mail("application/pkcs7-mime; smime-type=signed-data; name=smime.p7m");
        FakeMail enveloped = mail("application/x-pkcs7-mime; smime-type=enveloped-data");
        FakeMail gcm = mail("application/pkcs7-mime; smime-type=authEnveloped-data");
        FakeMail pgp = mail("multipart/signed; protocol=\"application/pgp-signature\"; boundary=b");
        FakeMail plain = mail("text/plain");
        assertThat(signed.match(detached)).hasSize(2);
        assertThat(signed.match(opaque)).hasSize(2);
        assertThat(signed.match(enveloped)).isEmpty();
        assertThat(signed.match(pgp)).isEmpty();
        assertThat(signed.match(plain)).isEmpty();
        assertThat(encrypted.match(enveloped)).hasSize(2);
        assertThat(encrypted.match(gcm)).hasSize(2);
        assertThat(encrypted.match(opaque)).isEmpty();
        assertThat(encrypted.match(plain)).isEmpty();
    }

    @Test
    void smimeResultIsShouldMatchListedResultsOnly() throws Exception {
        SmimeResultIs matcher = new SmimeResultIs();
        matcher.init(FakeMatcherConfig.builder().matcherName("SmimeResultIs").condition("fail, permerror").build());
        FakeMail failed = mail("text/plain");
        failed.setAttribute(new Attribute(AttributeName.of(SmimeAttributeNames.VERIFICATION_RESULT), AttributeValue.of("fail")));
        FakeMail passed = mail("text/plain");
        passed.setAttribute(new Attribute(AttributeName.of(SmimeAttributeNames.VERIFICATION_RESULT), AttributeValue.of("pass")));
        assertThat(matcher.match(failed)).hasSize(2);
        assertThat(matcher.match(passed)).isEmpty();
        assertThat(matcher.match(mail("text/plain"))).isEmpty();
        assertThatThrownBy(() -> new SmimeResultIs().init(FakeMatcherConfig.builder().matcherName("SmimeResultIs").condition("pass,good").build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("'good'");
    }

    @Test
    void hasRecipientCertificateShouldReturnOnlyRecipientsWithAUsableCertificate() throws Exception {
        Path cert = dir.resolve("bob.pem");
        Path key = dir.resolve("bob.key");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
            "-subj", "/CN=bob", "-addext", "subjectAltName=email:bob@example.test", "-addext", "keyUsage=digitalSignature,keyEncipherment",
            "-days", "2", "-out", cert.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        Files.delete(key);
        HasRecipientCertificate matcher = new HasRecipientCertificate();
        matcher.init(FakeMatcherConfig.builder().matcherName("HasRecipientCertificate").condition(dir.toString()).build());
        assertThat(matcher.match(mail("text/plain"))).containsExactly(new MailAddress("bob@example.test"));

        assertThatThrownBy(() -> new HasRecipientCertificate().init(FakeMatcherConfig.builder().matcherName("HasRecipientCertificate")
            .condition("/no/such/folder").build())).isInstanceOf(MessagingException.class).hasMessageContaining("/no/such/folder");
    }

    @Test
    void hasRecipientCertificateShouldThrowRatherThanSayNoWhenTheDirectoryFails() throws Exception {
        CertificateDirectory broken = address -> {
            throw new IOException("LDAP timeout");
        };
        HasRecipientCertificate matcher = new HasRecipientCertificate(new RecipientCertificates(broken, null, Clock.systemUTC()));
        matcher.init(FakeMatcherConfig.builder().matcherName("HasRecipientCertificate").condition("x").build());
        assertThatThrownBy(() -> matcher.match(mail("text/plain"))).isInstanceOf(MessagingException.class);
    }


}
