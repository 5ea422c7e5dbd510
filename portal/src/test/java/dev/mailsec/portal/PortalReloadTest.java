package dev.mailsec.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.config.reload.ReloadAudit;
import dev.mailsec.config.reload.ReloadRefusedException;
import dev.mailsec.config.reload.ReloadableFile;
import dev.mailsec.rights.LicenceTerms;
import dev.mailsec.rights.LiveRightsSettings;
import dev.mailsec.rights.Right;
import dev.mailsec.rights.RightsSettings;
import dev.mailsec.rights.RightsTestEnvironment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.mail.Address;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The portal follows a reload of rights.xml without restart (docs/rights.md, "Reload without
 * restart"): the real {@link RightsPortalEngine} over a DKM file store and a file rights store
 * ({@link RightsTestEnvironment}), following the shared {@link ReloadableFile} as {@code mailsec
 * portal} does, over real HTTP. The file is rewritten and reloaded as the watch does it.
 */
class PortalReloadTest {

    static final String XML =
            "<rights>\n"
                    + "  <issuer>mailsec.test</issuer>\n"
                    + "  <organisationDomains>mailsec.test</organisationDomains>\n"
                    + "  <portal url=\"http://127.0.0.1:8090\" bind=\"127.0.0.1\" port=\"8090\" smtpHost=\"127.0.0.1\" smtpPort=\"2525\"/>\n"
                    + "  <store url=\"file:rights-state\" />\n"
                    + "  <subject mode=\"keep\"/>\n"
                    + "  <templates>\n"
                    + "    <template name=\"encrypt-only\" rights=\"view,reply,reply-all,forward,print,extract\"/>\n"
                    + "  </templates>\n"
                    + "  <branding organisation=\"First Org\" colour=\"#111111\"/>\n"
                    + "</rights>\n";

    @TempDir Path dir;

    RightsTestEnvironment env;
    ReloadableFile<RightsSettings> live;
    RightsPortalEngine engine;
    Portal portal;
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    String base;

    @BeforeEach
    void start() throws Exception {
        env = RightsTestEnvironment.create(dir, Clock.systemUTC(), XML);
        RightsSettings settings = env.settings();
        engine =
                new RightsPortalEngine(
                        settings, env.keyring(), env.store(), Clock.systemUTC(), () -> {});
        // as PortalCommand: the config from the file at start, the engine following the file
        live = LiveRightsSettings.shared(env.rightsXml());
        engine.follow(live);
        PortalConfig config =
                PortalConfig.builder(settings.portalUrl())
                        .issuer(settings.issuer())
                        .settings(settings.portal())
                        .branding(settings.branding())
                        .bind("127.0.0.1", 0)
                        .build();
        PortalMailer mailer =
                new PortalMailer(config) {
                    @Override
                    void send(MimeMessage m, Address[] recipients) {}
                };
        portal = Portal.start(config, engine, mailer, Clock.systemUTC());
        base = portal.localUrl().toString();
    }

    @AfterEach
    void stop() throws Exception {
        portal.close();
        env.close();
    }

    @Test
    void aRewrittenRightsXmlShouldShowItsBrandingAndTemplatesWithoutRestart() throws Exception {
        String home = text(get("/"));
        assertThat(home).contains("<span class=\"brand-name\">First Org</span>");
        String oldCss = stylesheet(home);
        assertThat(text(get("/static/" + oldCss))).contains("#111111");
        assertThatThrownBy(() -> forward("board-only"))
                .isInstanceOfSatisfying(
                        PortalRefusal.class,
                        r -> assertThat(r.reason()).isEqualTo(PortalRefusal.Reason.NOT_ALLOWED));

        rewrite(
                XML.replace(
                                "  </templates>",
                                "    <template name=\"board-only\" rights=\"view,forward\"/>\n"
                                        + "  </templates>")
                        .replace(
                                "First Org\" colour=\"#111111\"",
                                "Second Org\" colour=\"#222222\""));
        List<String> changes = live.reload("test", ReloadAudit.NONE).changes();
        assertThat(changes).contains("template 'board-only' added", "<branding> changed");

        String after = text(get("/"));
        assertThat(after)
                .contains("<span class=\"brand-name\">Second Org</span>")
                .contains(" · Second Org protected mail</title>")
                .doesNotContain("First Org");
        String newCss = stylesheet(after);
        assertThat(newCss).isNotEqualTo(oldCss);
        assertThat(text(get("/static/" + newCss))).contains("#222222");
        // only the generation in force is served: the old stylesheet's name is gone
        assertThat(get("/static/" + oldCss).statusCode()).isEqualTo(404);
        assertThat(forward("board-only")).isNotNull();

        // a bad file: refused with the start's message, the running generation stays
        String bad = XML.replace("#111111", "red");
        rewrite(bad);
        String startError = startError();
        assertThatThrownBy(() -> live.reload("test", ReloadAudit.NONE))
                .isInstanceOf(ReloadRefusedException.class)
                .hasMessage(startError);
        assertThat(text(get("/"))).contains("<span class=\"brand-name\">Second Org</span>");
        assertThat(text(get("/static/" + newCss))).contains("#222222");
        assertThat(forward("board-only")).isNotNull();

        // what the portal opened at start still needs a restart
        rewrite(XML.replace("<issuer>mailsec.test", "<issuer>other.test"));
        assertThatThrownBy(() -> live.reload("test", ReloadAudit.NONE))
                .isInstanceOf(ReloadRefusedException.class)
                .hasMessageContaining("<issuer> 'mailsec.test' -> 'other.test' cannot change");
        assertThat(text(get("/"))).contains("<span class=\"brand-name\">Second Org</span>");
    }

    /** The file as RightsTestEnvironment writes it: absolute store and DKM paths. */
    void rewrite(String xml) throws Exception {
        String now = Files.readString(env.rightsXml(), StandardCharsets.UTF_8);
        String store = find("(<store url=\"[^\"]*\" />)", now);
        String dkm = find("(<dkm config=\"[^\"]*\"/>)", now);
        String out =
                xml.replace("<store url=\"file:rights-state\" />", store)
                        .replace("</rights>", "  " + dkm + "\n</rights>");
        Files.writeString(env.rightsXml(), out, StandardCharsets.UTF_8);
    }

    /** What a start with the file as it is now says of it. */
    String startError() {
        try {
            RightsSettings.load(env.rightsXml());
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted at start: " + env.rightsXml());
    }

    MimeMessage forward(String template) throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(new java.util.Properties()));
        m.setFrom("carol@external.test");
        m.setSubject("fwd");
        m.setText("forwarded");
        m.saveChanges();
        LicenceTerms terms =
                new LicenceTerms(
                        "lic00000000000001",
                        "<m1@mailsec.test>",
                        "alice@mailsec.test",
                        List.of("carol@external.test"),
                        template,
                        EnumSet.allOf(Right.class),
                        null,
                        null);
        return engine.protectForward(
                terms, m, "carol@external.test", List.of("dave@external.test"));
    }

    HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    static String stylesheet(String html) {
        return find("href=\"/static/(brand-[0-9a-f]{16}\\.css)\"", html);
    }

    static String find(String regex, String in) {
        Matcher m = Pattern.compile(regex).matcher(in);
        assertThat(m.find()).as(regex + " in " + in).isTrue();
        return m.group(1);
    }
}
