package dev.mailsec.matchers.rights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Matcher;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RightsMatchersTest {

    static FakeMail mail(String headersAndBody, String... recipients) throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(
            ("From: alice@mailsec.test\r\nSubject: s\r\nMIME-Version: 1.0\r\n" + headersAndBody).getBytes(StandardCharsets.US_ASCII)));
        return FakeMail.builder().name("m").mimeMessage(m)
            .recipients(recipients.length == 0 ? new String[] {"bob@mailsec.test", "carol@external.test"} : recipients).build();
    }

    static <M extends Matcher> M init(M matcher, String name, String condition) throws MessagingException {
        FakeMatcherConfig.Builder config = FakeMatcherConfig.builder().matcherName(name);
        if (condition != null) {
            config.condition(condition);
        }
        matcher.init(config.build());
        return matcher;
    }

    static final String MSIP = "msip_labels: MSIP_Label_87ba5c36-b7cf-4793-bbc2-bd5b3a9f95ca_Enabled=true;\r\n"
        + " MSIP_Label_87ba5c36-b7cf-4793-bbc2-bd5b3a9f95ca_SetDate=2026-11-20T09:00:00Z;\r\n"
        + " MSIP_Label_87ba5c36-b7cf-4793-bbc2-bd5b3a9f95ca_Method=Standard;\r\n"
        + " MSIP_Label_87ba5c36-b7cf-4793-bbc2-bd5b3a9f95ca_Name=Highly Confidential;\r\n"
        + " MSIP_Label_87ba5c36-b7cf-4793-bbc2-bd5b3a9f95ca_SiteId=0d0f0e6e-0000-4000-8000-000000000000;\r\n";

    @Test
    void hasSensitivityLabelShouldMatchTheSensitivityHeaderWithoutRegardToCase() throws Exception {
        HasSensitivityLabel matcher = init(new HasSensitivityLabel(), "HasSensitivityLabel", "Company-Confidential, Private");
        assertThat(matcher.match(mail("Sensitivity: company-confidential\r\n\r\nx\r\n"))).hasSize(2);
        assertThat(matcher.match(mail("Sensitivity:  Private \r\n\r\nx\r\n"))).hasSize(2);
        assertThat(matcher.match(mail("Sensitivity: Personal\r\n\r\nx\r\n"))).isEmpty();
        assertThat(matcher.match(mail("\r\nx\r\n"))).isEmpty();
        // a label named in the body is no label
        assertThat(matcher.match(mail("\r\nSensitivity: Company-Confidential\r\n"))).isEmpty();
    }

    @Test
    void hasSensitivityLabelShouldMatchTheNameOfAnEnabledMicrosoftLabel() throws Exception {
        HasSensitivityLabel matcher = init(new HasSensitivityLabel(), "HasSensitivityLabel", "highly confidential");
        assertThat(matcher.match(mail(MSIP + "\r\nx\r\n"))).hasSize(2);
        assertThat(matcher.match(mail(MSIP.replace("Enabled=true", "Enabled=false") + "\r\nx\r\n"))).isEmpty();
        assertThat(matcher.match(mail(MSIP.replace("Highly Confidential", "General") + "\r\nx\r\n"))).isEmpty();
        assertThat(HasSensitivityLabel.msipNames("garbage;=;MSIP_Label_x_Name=;x=y")).isEmpty();
    }

    @Test
    void hasSensitivityLabelShouldRefuseAnEmptyOrMalformedCondition() {
        assertThatThrownBy(() -> init(new HasSensitivityLabel(), "HasSensitivityLabel", null))
            .isInstanceOf(MessagingException.class).hasMessageContaining("HasSensitivityLabel");
        assertThatThrownBy(() -> init(new HasSensitivityLabel(), "HasSensitivityLabel", "Private,,Personal"))
            .isInstanceOf(MessagingException.class).hasMessageContaining("'Private,,Personal'");
        assertThatThrownBy(() -> init(new HasSensitivityLabel(), "HasSensitivityLabel", "a=b"))
            .isInstanceOf(MessagingException.class).hasMessageContaining("'a=b'");
    }

    @Test
    void isRecipientOutsideOrganisationShouldReturnOnlyTheRecipientsOutsideTheListedDomains() throws Exception {
        IsRecipientOutsideOrganisation matcher = init(new IsRecipientOutsideOrganisation(), "IsRecipientOutsideOrganisation",
            "MailSec.test, example.com");
        FakeMail mail = mail("\r\nx\r\n", "bob@mailsec.test", "carol@external.test", "dave@EXAMPLE.com", "eve@eu.mailsec.test");
        assertThat(matcher.match(mail)).containsExactly(new MailAddress("carol@external.test"), new MailAddress("eve@eu.mailsec.test"));
        assertThat(matcher.match(mail("\r\nx\r\n", "bob@mailsec.test"))).isEmpty();
    }

    @Test
    void isRecipientOutsideOrganisationShouldRefuseAMalformedDomain() {
        assertThatThrownBy(() -> init(new IsRecipientOutsideOrganisation(), "IsRecipientOutsideOrganisation", "mailsec.test, bad domain"))
            .isInstanceOf(MessagingException.class).hasMessageContaining("'bad domain'");
    }

    @Test
    void isRecipientOutsideOrganisationShouldDefaultToTheOrganisationDomainsOfTheRightsConfiguration(@TempDir Path dir) throws Exception {
        Path rights = dir.resolve("rights.xml");
        Files.write(rights, ("<rights><issuer>mailsec.test</issuer><organisationDomains>mailsec.test, example.com</organisationDomains>"
            + "<store url=\"file:state\"/></rights>").getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(dir.resolve("conf"));
        Files.copy(rights, dir.resolve("conf/rights.xml"));
        String saved = System.getProperty("working.directory");
        System.setProperty("working.directory", dir.toString());
        try {
            // no condition: conf/rights.xml of James's working directory, as the rights mailets' default
            IsRecipientOutsideOrganisation matcher = init(new IsRecipientOutsideOrganisation(), "IsRecipientOutsideOrganisation", null);
            assertThat(matcher.match(mail("\r\nx\r\n", "bob@mailsec.test", "dave@example.com", "carol@external.test")))
                .containsExactly(new MailAddress("carol@external.test"));
            // config=FILE: the file a rights mailet's <config> names, relative to the working directory too
            matcher = init(new IsRecipientOutsideOrganisation(), "IsRecipientOutsideOrganisation", "config=rights.xml");
            assertThat(matcher.match(mail("\r\nx\r\n", "dave@example.com", "carol@external.test")))
                .containsExactly(new MailAddress("carol@external.test"));
            assertThatThrownBy(() -> init(new IsRecipientOutsideOrganisation(), "IsRecipientOutsideOrganisation", "config=missing.xml"))
                .isInstanceOf(MessagingException.class).hasMessageContaining(dir.resolve("missing.xml").toString());
            assertThatThrownBy(() -> init(new IsRecipientOutsideOrganisation(), "IsRecipientOutsideOrganisation", "config="))
                .isInstanceOf(MessagingException.class).hasMessageContaining("config: a path is required");
        } finally {
            if (saved == null) {
                System.clearProperty("working.directory");
            } else {
                System.setProperty("working.directory", saved);
            }
        }
    }

    static final String WRAPPER = "Content-Type: multipart/mixed; boundary=\"o\"\r\n\r\n"
        + "--o\r\nContent-Type: multipart/alternative; boundary=\"a\"\r\n\r\n"
        + "--a\r\nContent-Type: text/plain\r\n\r\nalice sent you a protected message\r\n"
        + "--a\r\nContent-Type: text/html\r\n\r\n<p>protected</p>\r\n--a--\r\n"
        + "--o\r\nContent-Type: application/vnd.mailsec.protected+json; name=\"message.mailsec\"\r\n"
        + "Content-Disposition: attachment; filename=\"message.mailsec\"\r\n\r\n{\"format\":\"mailsec-protected/1\"}\r\n--o--\r\n";

    @Test
    void isRightsProtectedShouldMatchAWrapperWithThePackageButNotAMessageThatOnlyCarriesOneAttached() throws Exception {
        IsRightsProtected matcher = init(new IsRightsProtected(), "IsRightsProtected", null);
        assertThat(matcher.match(mail(WRAPPER))).hasSize(2);
        assertThat(matcher.match(mail("Content-Type: Application/Vnd.Mailsec.Protected+JSON\r\n\r\n{}\r\n"))).hasSize(2);
        // the header alone is not a wrapper
        assertThat(matcher.match(mail("X-Mailsec-Protected: licence=abc; template=do-not-forward\r\n\r\nx\r\n"))).isEmpty();
        // a wrapper forwarded as an attachment: the outer message is not itself protected
        String forwarded = "Content-Type: multipart/mixed; boundary=\"f\"\r\n\r\n--f\r\nContent-Type: text/plain\r\n\r\nfyi\r\n"
            + "--f\r\nContent-Type: message/rfc822\r\n\r\nFrom: alice@mailsec.test\r\nMIME-Version: 1.0\r\n" + WRAPPER + "\r\n--f--\r\n";
        assertThat(matcher.match(mail(forwarded))).isEmpty();
        assertThat(matcher.match(mail("Content-Type: multipart/mixed; boundary=\"broken\r\n\r\nx\r\n"))).isEmpty();
    }
}
