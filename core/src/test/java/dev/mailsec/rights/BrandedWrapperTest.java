package dev.mailsec.rights;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import javax.mail.BodyPart;
import javax.mail.Multipart;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wrapper mail in a branded organisation: wording, name, logo, per sender domain. */
class BrandedWrapperTest {

    @TempDir Path dir;
    RightsTestEnvironment env;
    byte[] png;

    @BeforeEach
    void setUp() throws Exception {
        try (InputStream in =
                getClass().getResourceAsStream("BrandLogoFuzzTestInputs/check/logo.png")) {
            png = in.readAllBytes();
        }
        Files.createDirectories(dir);
        Path logo = dir.resolve("logo.png");
        Files.write(logo, png);
        env =
                RightsTestEnvironment.create(
                        dir.resolve("env"),
                        Clock.systemUTC(),
                        RightsTestEnvironment.RIGHTS_XML
                                .replace(
                                        "<organisationDomains>mailsec.test</organisationDomains>",
                                        "<organisationDomains>mailsec.test example.org</organisationDomains>")
                                .replace(
                                        "</rights>",
                                        "<branding organisation=\"Fish &amp; &lt;Chips&gt; Ltd\" logo=\""
                                                + logo
                                                + "\" barColour=\"#0a2540\" barText=\"#ffffff\" colour=\"#0b5394\">"
                                                + "<wrapper>{organisation}: {sender} sent you a protected message."
                                                + "\n\nCall 0800 if in doubt &lt;script&gt;.</wrapper>"
                                                + "<domain names=\"example.org\" organisation=\"Example Org\">"
                                                + "<wrapper>Example Org protects mail from {sender}.</wrapper>"
                                                + "</domain></branding></rights>"));
    }

    @AfterEach
    void tearDown() throws Exception {
        env.close();
    }

    MimeMessage wrap(String sender) throws Exception {
        byte[] raw =
                RightsTestMessages.multipart(
                        sender,
                        "carol@external.test",
                        "m1@" + sender.substring(sender.indexOf('@') + 1),
                        "Q3");
        Protection p =
                env.protector()
                        .protect(
                                new MimeMessage(
                                        Session.getInstance(new Properties()),
                                        new ByteArrayInputStream(raw)),
                                sender,
                                List.of("carol@external.test"),
                                env.settings().template("encrypt-only"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.wrapper().writeTo(out);
        return new MimeMessage(
                Session.getInstance(new Properties()), new ByteArrayInputStream(out.toByteArray()));
    }

    @Test
    void theWrapperShouldCarryTheOrganisationsWordingNameAndInlineLogo() throws Exception {
        MimeMessage w = wrap("alice@mailsec.test");
        Multipart alt = (Multipart) ((Multipart) w.getContent()).getBodyPart(0).getContent();
        String text = (String) alt.getBodyPart(0).getContent();
        assertThat(text)
                .startsWith(
                        "Fish & <Chips> Ltd\r\n\r\nFish & <Chips> Ltd: alice@mailsec.test sent you a"
                                + " protected message.\r\n\r\nCall 0800 if in doubt <script>.\r\n\r\n"
                                + "Open it in your browser:\r\nhttp://127.0.0.1:8090/m/");
        BodyPart related = alt.getBodyPart(1);
        assertThat(related.isMimeType("multipart/related")).isTrue();
        Multipart rel = (Multipart) related.getContent();
        String html = (String) rel.getBodyPart(0).getContent();
        // the name and the wording are escaped; the colours are the checked hex values
        assertThat(html)
                .contains(
                        "<strong style=\"vertical-align:middle\">Fish &amp; &lt;Chips&gt; Ltd</strong>")
                .contains(
                        "<p>Fish &amp; &lt;Chips&gt; Ltd: <strong>alice@mailsec.test</strong> sent you a protected message.</p>")
                .contains("<p>Call 0800 if in doubt &lt;script&gt;.</p>")
                .contains("background:#0a2540;color:#ffffff;")
                .contains("style=\"color:#0b5394\">Read the message</a>")
                .contains("<img src=\"cid:logo@mailsec\"")
                .doesNotContain("<script>")
                .doesNotContain("<Chips>");
        BodyPart image = rel.getBodyPart(1);
        assertThat(image.isMimeType("image/png")).isTrue();
        assertThat(image.getHeader("Content-ID")[0]).isEqualTo("<logo@mailsec>");
        try (InputStream in = image.getInputStream()) {
            assertThat(in.readAllBytes()).isEqualTo(png);
        }
    }

    @Test
    void aSenderOfAnotherDomainShouldGetItsDomainsBrandingOverTheDefault() throws Exception {
        MimeMessage w = wrap("bob@example.org");
        Multipart alt = (Multipart) ((Multipart) w.getContent()).getBodyPart(0).getContent();
        assertThat((String) alt.getBodyPart(0).getContent())
                .startsWith(
                        "Example Org\r\n\r\nExample Org protects mail from bob@example.org.\r\n")
                .doesNotContain("Fish");
        // the logo is inherited from the default
        assertThat(alt.getBodyPart(1).isMimeType("multipart/related")).isTrue();
    }
}
