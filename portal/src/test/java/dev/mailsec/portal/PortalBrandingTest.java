package dev.mailsec.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.rights.BrandingSet;
import dev.mailsec.rights.LicenceTerms;
import dev.mailsec.rights.Right;
import dev.mailsec.rights.RightsSettings;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The organisation's branding on the portal's pages, over real HTTP with the fake engine. */
class PortalBrandingTest {

    /** A 2x2 PNG. */
    static final byte[] PNG =
            Base64.getDecoder()
                    .decode(
                            "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGOUj9/FwMDAxMDAwMDAAAAQVAFq9hqI+wAAAABJRU5ErkJggg==");

    static final String SVG =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 8 8\"><rect width=\"8\" height=\"8\" fill=\"#c00\"/></svg>";

    FakeEngine engine = new FakeEngine();
    Portal portal;
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    String base;

    static BrandingSet brandings() {
        String xml =
                "<rights><issuer>mailsec.test</issuer><organisationDomains>mailsec.test example.org</organisationDomains>"
                        + "<branding organisation=\"&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co\""
                        + " logo=\"data:image/png;base64,"
                        + Base64.getEncoder().encodeToString(PNG)
                        + "\" colour=\"#0b5394\" barColour=\"#0a2540\" barText=\"#fff\">"
                        + "<domain names=\"example.org\" organisation=\"Example Org\" logo=\"data:image/svg+xml;base64,"
                        + Base64.getEncoder().encodeToString(SVG.getBytes(StandardCharsets.UTF_8))
                        + "\" colour=\"#cc0000\"/></branding></rights>";
        return RightsSettings.parse(
                        new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
                        Path.of("/nonexistent"))
                .branding();
    }

    @BeforeEach
    void start() throws Exception {
        PortalTest.addHostileMessage(engine);
        engine.licences.put(
                "org00000000000001",
                new LicenceTerms(
                        "org00000000000001",
                        "org1@example.org",
                        "bob@example.org",
                        List.of("carol@external.test"),
                        "encrypt-only",
                        EnumSet.allOf(Right.class),
                        null,
                        null));
        PortalConfig config =
                PortalConfig.builder(URI.create("http://127.0.0.1:8090"))
                        .bind("127.0.0.1", 0)
                        .branding(brandings())
                        .build();
        PortalMailer mailer = PortalTest.keepingMailer(config, new ArrayList<>());
        portal = Portal.start(config, engine, mailer, Clock.systemUTC());
        base = portal.localUrl().toString();
    }

    @AfterEach
    void stop() {
        portal.close();
    }

    HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    static String find(String regex, String in) {
        Matcher m = Pattern.compile(regex).matcher(in);
        assertThat(m.find()).as(regex + " in " + in).isTrue();
        return m.group(1);
    }

    @Test
    void everyPageShouldShowTheEscapedOrganisationNameLogoAndColoursUnderTheSameCsp()
            throws Exception {
        for (String path : List.of("/", "/m/enc00000000000001", "/m/nosuch0000000001")) {
            HttpResponse<byte[]> page = get(path);
            String html = text(page);
            assertThat(html)
                    .as(path)
                    .contains(
                            "<span class=\"brand-name\">&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</span>")
                    .contains("<title>")
                    .contains(
                            " · &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co protected mail</title>")
                    .contains(
                            "This message is protected by &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co.")
                    .doesNotContain("<script>")
                    .doesNotContain("class=\"shield\"");
            assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(HttpIo.CSP);
        }
        String home = text(get("/"));
        String logo =
                find(
                        "<img class=\"logo\" src=\"/static/(logo-[0-9a-f]{16}\\.png)\" alt=\"\">",
                        home);
        String css =
                find("<link rel=\"stylesheet\" href=\"/static/(brand-[0-9a-f]{16}\\.css)\">", home);

        HttpResponse<byte[]> image = get("/static/" + logo);
        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(image.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(image.body()).isEqualTo(PNG);
        assertThat(image.headers().firstValue("Content-Security-Policy")).hasValue(HttpIo.CSP);
        assertThat(image.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

        HttpResponse<byte[]> sheet = get("/static/" + css);
        assertThat(sheet.statusCode()).isEqualTo(200);
        assertThat(sheet.headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(text(sheet))
                .contains("--brand: #0b5394")
                .contains(".bar { background: #0a2540; }")
                .contains("color: #ffffff");

        assertThat(get("/static/logo-0000000000000000.png").statusCode()).isEqualTo(404);
        assertThat(get("/static/brand-0000000000000000.css").statusCode()).isEqualTo(404);
    }

    @Test
    void aMessageFromAnotherOrganisationDomainShouldCarryThatDomainsBranding() throws Exception {
        String html = text(get("/m/org00000000000001"));
        assertThat(html)
                .contains("<span class=\"brand-name\">Example Org</span>")
                .doesNotContain("alert(1)");
        String logo =
                find(
                        "<img class=\"logo\" src=\"/static/(logo-[0-9a-f]{16}\\.svg)\" alt=\"\">",
                        html);
        HttpResponse<byte[]> svg = get("/static/" + logo);
        assertThat(svg.headers().firstValue("Content-Type")).hasValue("image/svg+xml");
        assertThat(svg.headers().firstValue("Content-Security-Policy")).hasValue(HttpIo.CSP);
        assertThat(text(svg)).isEqualTo(SVG);
        String css = find("href=\"/static/(brand-[0-9a-f]{16}\\.css)\"", html);
        assertThat(text(get("/static/" + css))).contains("--brand: #cc0000").contains("#0a2540");
        // the default's page links another stylesheet
        assertThat(text(get("/m/enc00000000000001"))).doesNotContain(css).doesNotContain(logo);
    }

    @Test
    void withoutBrandingThePageShouldBeExactlyTheUnbrandedFrame() {
        String page = Pages.home();
        assertThat(PortalBranding.frame(dev.mailsec.rights.Branding.NONE, page)).isEqualTo(page);
        // the frame still holds what the branding replaces
        assertThat(page)
                .contains(PortalBranding.STYLESHEET)
                .contains(PortalBranding.MARK)
                .contains(PortalBranding.TITLE_END)
                .contains(PortalBranding.FOOT);
    }
}
