package dev.mailsec.mailets.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.smime.PeerCapabilityCache;
import dev.mailsec.smime.SmimeDecryptor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.mail.MessagingException;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the S/MIME mailets share: parameter errors named, malformed Content-Types. */
class SmimeMailetsTest extends SmimeMailetTestBase {

    @Test
    void mailetsShouldRejectBadParametersNamingThem() {
        assertThatThrownBy(
                        () ->
                                new SignSmime()
                                        .init(
                                                FakeMailetConfig.builder()
                                                        .setProperty("keyFolder", "/nonexistent")
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("keyFolder")
                .hasMessageContaining("/nonexistent");
        assertThatThrownBy(
                        () ->
                                new SignSmime()
                                        .init(
                                                FakeMailetConfig.builder()
                                                        .setProperty("keyFolder", keys.toString())
                                                        .setProperty("algorithm", "rsa-md5")
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("algorithm")
                .hasMessageContaining("rsa-md5");
        assertThatThrownBy(
                        () ->
                                new SignSmime()
                                        .init(
                                                FakeMailetConfig.builder()
                                                        .setProperty("keyFolder", keys.toString())
                                                        .setProperty("keyfolder", "typo")
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("keyfolder");
        assertThatThrownBy(
                        () ->
                                new EncryptSmime()
                                        .init(
                                                FakeMailetConfig.builder()
                                                        .setProperty(
                                                                "certificateFolder",
                                                                certs.toString())
                                                        .setProperty("policy", "maybe")
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("policy")
                .hasMessageContaining("maybe");
        assertThatThrownBy(
                        () ->
                                new EncryptSmime()
                                        .init(
                                                FakeMailetConfig.builder()
                                                        .setProperty(
                                                                "certificateFolder",
                                                                certs.toString())
                                                        .setProperty("policy", "processor")
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("processor is required");
        assertThatThrownBy(
                        () ->
                                new EncryptSmime()
                                        .init(
                                                FakeMailetConfig.builder()
                                                        .setProperty(
                                                                "certificateFolder",
                                                                certs.toString())
                                                        .setProperty("policy", "processor")
                                                        .setProperty("processor", "two words")
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessage("EncryptSmime: processor: must name a processor, got 'two words'");
        assertThatThrownBy(() -> new EncryptSmime().init(FakeMailetConfig.builder().build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("certificateFolder or ldapUrl");
        assertThatThrownBy(
                        () ->
                                new EncryptSmime()
                                        .init(
                                                FakeMailetConfig.builder()
                                                        .setProperty(
                                                                "ldapUrl", "ldap://127.0.0.1:1")
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("ldapBaseDn");
        assertThatThrownBy(
                        () ->
                                new EncryptSmime()
                                        .init(
                                                FakeMailetConfig.builder()
                                                        .setProperty(
                                                                "ldapUrl", "ldap://127.0.0.1:1")
                                                        .setProperty("ldapBaseDn", "dc=x")
                                                        .setProperty("ldapBindDn", "cn=admin")
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("ldapPassword");
        assertThatThrownBy(() -> new VerifySmime().init(FakeMailetConfig.builder().build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("trustAnchors");
        assertThatThrownBy(
                        () ->
                                new VerifySmime()
                                        .init(
                                                FakeMailetConfig.builder()
                                                        .setProperty("trustAnchors", ca.toString())
                                                        .setProperty("ocspFailure", "lenient")
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("ocspFailure")
                .hasMessageContaining("lenient");
        assertThatThrownBy(
                        () ->
                                new VerifySmime()
                                        .init(
                                                FakeMailetConfig.builder()
                                                        .setProperty("trustAnchors", ca.toString())
                                                        .setProperty("ocspTimeout", "600")
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("ocspTimeout")
                .hasMessageContaining("600");
        assertThatThrownBy(
                        () ->
                                new VerifySmime()
                                        .init(
                                                FakeMailetConfig.builder()
                                                        .setProperty("trustAnchors", ca.toString())
                                                        .setProperty(
                                                                "crlLdapUrl",
                                                                "http://dc1.example.test")
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("crlLdapUrl")
                .hasMessageContaining("http://dc1.example.test");
        assertThatThrownBy(
                        () ->
                                new VerifySmime()
                                        .init(
                                                FakeMailetConfig.builder()
                                                        .setProperty("trustAnchors", ca.toString())
                                                        .setProperty("crlLdapUrl", "ldap:///cn=x")
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("crlLdapUrl")
                .hasMessageContaining("ldap:///cn=x");
        assertThatThrownBy(
                        () ->
                                new DecryptSmime()
                                        .init(
                                                FakeMailetConfig.builder()
                                                        .setProperty("keyFolder", ca.toString())
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("keyFolder: not a folder");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "text/plain;; charset=utf-8; ; ",
                "text/plain; charset=\"utf-8",
                "text/plain; format=flowed; delsp"
            })
    void smimeMailetsShouldGiveAMalformedContentTypeAVerdictNotAnException(String contentType)
            throws Exception {
        String raw =
                "From: alice@example.test\r\nTo: bob@example.test\r\nSubject: hostile\r\n"
                        + "Content-Type: "
                        + contentType
                        + "\r\n\r\nHello Bob\r\n";
        FakeMail signed = hostile(raw);
        signer().service(signed);
        VerifySmime v = new VerifySmime(verifier(), new PeerCapabilityCache(10));
        v.init(
                FakeMailetConfig.builder()
                        .mailetName("VerifySmime")
                        .setProperty("authservId", "mx.example.test")
                        .build());
        v.service(signed);
        assertThat(signed.getAttribute(VerifySmime.RESULT).get().getValue().value())
                .isEqualTo("pass");

        FakeMail plain = hostile(raw);
        v.service(plain);
        assertThat(plain.getAttribute(VerifySmime.RESULT).get().getValue().value())
                .isEqualTo("none");
        assertThat(new String(Fixtures.bytes(plain.getMessage()), StandardCharsets.US_ASCII))
                .contains("mx.example.test; smime=none")
                .endsWith("\r\n\r\nHello Bob\r\n");

        FakeMail encrypted = hostile(raw);
        encryptor("bounce", null, new PeerCapabilityCache(10)).service(encrypted);
        assertThat(encrypted.getMessage().getContentType()).contains("smime-type=enveloped-data");
        ByteArrayOutputStream opened = new ByteArrayOutputStream();
        new SmimeDecryptor()
                .decrypt(
                        new ByteArrayInputStream(Fixtures.bytes(encrypted.getMessage())),
                        opened,
                        List.of(bob));
        assertThat(opened.toString(StandardCharsets.US_ASCII)).contains("Hello Bob");
    }
}
