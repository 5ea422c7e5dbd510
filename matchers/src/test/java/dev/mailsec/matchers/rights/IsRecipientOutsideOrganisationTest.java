package dev.mailsec.matchers.rights;

import static dev.mailsec.matchers.rights.RightsMatcherMails.init;
import static dev.mailsec.matchers.rights.RightsMatcherMails.mail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IsRecipientOutsideOrganisationTest {

    @Test
    void isRecipientOutsideOrganisationShouldReturnOnlyTheRecipientsOutsideTheListedDomains()
            throws Exception {
        IsRecipientOutsideOrganisation matcher =
                init(
                        new IsRecipientOutsideOrganisation(),
                        "IsRecipientOutsideOrganisation",
                        "MailSec.test, example.com");
        FakeMail mail =
                mail(
                        "\r\nx\r\n",
                        "bob@mailsec.test",
                        "carol@external.test",
                        "dave@EXAMPLE.com",
                        "eve@eu.mailsec.test");
        assertThat(matcher.match(mail))
                .containsExactly(
                        new MailAddress("carol@external.test"),
                        new MailAddress("eve@eu.mailsec.test"));
        assertThat(matcher.match(mail("\r\nx\r\n", "bob@mailsec.test"))).isEmpty();
    }

    @Test
    void isRecipientOutsideOrganisationShouldRefuseAMalformedDomain() {
        assertThatThrownBy(
                        () ->
                                init(
                                        new IsRecipientOutsideOrganisation(),
                                        "IsRecipientOutsideOrganisation",
                                        "mailsec.test, bad domain"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("'bad domain'");
    }

    @Test
    void
            isRecipientOutsideOrganisationShouldDefaultToTheOrganisationDomainsOfTheRightsConfiguration(
                    @TempDir Path dir) throws Exception {
        Path rights = dir.resolve("rights.xml");
        Files.write(
                rights,
                ("<rights><issuer>mailsec.test</issuer><organisationDomains>mailsec.test, example.com</organisationDomains>"
                                + "<store url=\"file:state\"/></rights>")
                        .getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(dir.resolve("conf"));
        Files.copy(rights, dir.resolve("conf/rights.xml"));
        String saved = System.getProperty("working.directory");
        System.setProperty("working.directory", dir.toString());
        try {
            // no condition: conf/rights.xml of James's working directory, as the rights mailets'
            // default
            IsRecipientOutsideOrganisation matcher =
                    init(
                            new IsRecipientOutsideOrganisation(),
                            "IsRecipientOutsideOrganisation",
                            null);
            assertThat(
                            matcher.match(
                                    mail(
                                            "\r\nx\r\n",
                                            "bob@mailsec.test",
                                            "dave@example.com",
                                            "carol@external.test")))
                    .containsExactly(new MailAddress("carol@external.test"));
            // config=FILE: the file a rights mailet's <config> names, relative to the working
            // directory too
            matcher =
                    init(
                            new IsRecipientOutsideOrganisation(),
                            "IsRecipientOutsideOrganisation",
                            "config=rights.xml");
            assertThat(matcher.match(mail("\r\nx\r\n", "dave@example.com", "carol@external.test")))
                    .containsExactly(new MailAddress("carol@external.test"));
            assertThatThrownBy(
                            () ->
                                    init(
                                            new IsRecipientOutsideOrganisation(),
                                            "IsRecipientOutsideOrganisation",
                                            "config=missing.xml"))
                    .isInstanceOf(MessagingException.class)
                    .hasMessageContaining(dir.resolve("missing.xml").toString());
            assertThatThrownBy(
                            () ->
                                    init(
                                            new IsRecipientOutsideOrganisation(),
                                            "IsRecipientOutsideOrganisation",
                                            "config="))
                    .isInstanceOf(MessagingException.class)
                    .hasMessageContaining("config: a path is required");
        } finally {
            if (saved == null) {
                System.clearProperty("working.directory");
            } else {
                System.setProperty("working.directory", saved);
            }
        }
    }
}
