package dev.mailsec.mailets.smime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.smime.PeerCapabilities;
import dev.mailsec.smime.PeerCapabilityCache;
import dev.mailsec.smime.SmimeResult;
import java.nio.charset.StandardCharsets;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;

class VerifySmimeTest extends SmimeMailetTestBase {

    @Test
    void verifySmimeShouldRecordPassAndAnAuthenticationResultsHeaderAndRemoveForgedOnes()
            throws Exception {
        FakeMail mail = mail("bob@example.test");
        mail.getMessage()
                .addHeader(
                        "Authentication-Results", "mx.example.test; smime=pass (forged by sender)");
        mail.getMessage().addHeader("Authentication-Results", "other.example; dkim=pass");
        mail.getMessage().saveChanges();
        signer().service(mail);
        PeerCapabilityCache cache = new PeerCapabilityCache(10);
        VerifySmime v = new VerifySmime(verifier(), cache);
        v.init(
                FakeMailetConfig.builder()
                        .mailetName("VerifySmime")
                        .setProperty("authservId", "mx.example.test")
                        .build());
        v.service(mail);
        assertThat(mail.getAttribute(VerifySmime.RESULT).get().getValue().value())
                .isEqualTo("pass");
        assertThat(mail.getAttribute(VerifySmime.SIGNER).get().getValue().value())
                .isEqualTo("alice@example.test");
        String[] ar = mail.getMessage().getHeader("Authentication-Results");
        assertThat(ar).hasSize(2);
        assertThat(javax.mail.internet.MimeUtility.unfold(String.join("\n", ar)))
                .doesNotContain("forged")
                .contains("other.example; dkim=pass")
                .contains("mx.example.test; smime=pass body.smime-identifier=alice@example.test");
        assertThat(cache.lookup("alice@example.test")).contains(new PeerCapabilities(true, true));
        assertThat(verifier().verify(Fixtures.bytes(mail.getMessage()), null).result())
                .isEqualTo(SmimeResult.PASS);
    }

    @Test
    void verifySmimeShouldReportFailForATamperedMessageAndStripWhenAsked() throws Exception {
        FakeMail mail = mail("bob@example.test");
        signer().service(mail);
        String tampered =
                new String(Fixtures.bytes(mail.getMessage()), StandardCharsets.US_ASCII)
                        .replace("Hello Bob", "Hello Bo!");
        FakeMail bad =
                FakeMail.builder()
                        .name("t")
                        .recipient("bob@example.test")
                        .mimeMessage(Fixtures.message(tampered))
                        .build();
        VerifySmime v = new VerifySmime(verifier(), new PeerCapabilityCache(10));
        v.init(
                FakeMailetConfig.builder()
                        .mailetName("VerifySmime")
                        .setProperty("stripSignature", "true")
                        .build());
        v.service(bad);
        assertThat(bad.getAttribute(VerifySmime.RESULT).get().getValue().value()).isEqualTo("fail");
        assertThat(bad.getAttribute(VerifySmime.REASON).get().getValue().value())
                .asString()
                .contains("digest mismatch");
        assertThat(bad.getMessage().getHeader("Authentication-Results")[0])
                .startsWith("localhost; smime=fail");
        assertThat(bad.getMessage().getContentType()).startsWith("multipart/mixed");

        FakeMail plain = mail("bob@example.test");
        v.service(plain);
        assertThat(plain.getAttribute(VerifySmime.RESULT).get().getValue().value())
                .isEqualTo("none");
    }
}
