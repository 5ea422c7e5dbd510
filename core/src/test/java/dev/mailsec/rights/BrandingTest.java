package dev.mailsec.rights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rights.xml's {@code <branding>}: what is read, and each bad value refused by name. */
class BrandingTest {

    @TempDir Path home;
    byte[] png;
    byte[] safeSvg;

    @BeforeEach
    void setUp() throws IOException {
        png = seed("logo.png");
        safeSvg = seed("safe.svg");
        Files.createDirectories(home.resolve("conf"));
        Files.write(home.resolve("conf/logo.png"), png);
        Files.write(home.resolve("conf/logo.svg"), safeSvg);
    }

    static byte[] seed(String name) throws IOException {
        try (InputStream in =
                BrandingTest.class.getResourceAsStream("BrandLogoFuzzTestInputs/check/" + name)) {
            return in.readAllBytes();
        }
    }

    RightsSettings parse(String branding) {
        String xml =
                "<rights><issuer>mailsec.test</issuer>"
                        + "<organisationDomains>mailsec.test, example.org, lists.example.org</organisationDomains>"
                        + branding
                        + "</rights>";
        return RightsSettings.parse(
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), home);
    }

    void assertRejected(String branding, String... fragments) {
        assertThatThrownBy(() -> parse(branding))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(fragments));
    }

    @Test
    void withoutBrandingEverySenderShouldGetNone() {
        RightsSettings s = parse("");
        assertThat(s.branding()).isSameAs(BrandingSet.NONE);
        assertThat(s.branding().forSender("alice@mailsec.test").isNone()).isTrue();
        assertThat(
                        s.branding()
                                .forSender("alice@mailsec.test")
                                .wrapperWording("alice@mailsec.test"))
                .isEqualTo("alice@mailsec.test sent you a protected message.");
        assertThat(s.branding().defaults().css()).isEmpty();
    }

    @Test
    void aDomainShouldInheritWhatItDoesNotSetFromTheDefault() {
        RightsSettings s =
                parse(
                        "<branding organisation=\"Mailsec Test Ltd\" logo=\"conf/logo.png\""
                                + " colour=\"#0B5394\" barColour=\"#0a2540\" barText=\"#FFF\">"
                                + "<wrapper>\n   {sender} of {organisation} sent you a protected message.\n\n"
                                + "   Questions? Call the service desk.\n</wrapper>"
                                + "<domain names=\"example.org, Lists.Example.org\" organisation=\"Example Foundation\""
                                + " logo=\"data:image/svg+xml;base64,"
                                + Base64.getEncoder().encodeToString(safeSvg)
                                + "\" colour=\"#c00\"/>"
                                + "</branding>");
        BrandingSet set = s.branding();
        Branding home = set.forSender("alice@mailsec.test");
        assertThat(home.organisation()).contains("Mailsec Test Ltd");
        assertThat(home.colour()).contains("#0b5394");
        assertThat(home.barText()).contains("#ffffff");
        assertThat(home.logo().get().mediaType()).isEqualTo("image/png");
        assertThat(home.logo().get().fileName()).matches("logo-[0-9a-f]{16}\\.png");
        assertThat(home.wrapperWording("alice@mailsec.test"))
                .isEqualTo(
                        "alice@mailsec.test of Mailsec Test Ltd sent you a protected message.\n\n"
                                + "Questions? Call the service desk.");
        assertThat(home.css())
                .contains("--brand: #0b5394")
                .contains(".bar { background: #0a2540; }")
                .contains("color: #ffffff");
        assertThat(home.cssFileName()).matches("brand-[0-9a-f]{16}\\.css");

        Branding org = set.forSender("<BOB@LISTS.EXAMPLE.ORG>");
        assertThat(org.organisation()).contains("Example Foundation");
        assertThat(org.colour()).contains("#cc0000");
        assertThat(org.barColour()).contains("#0a2540"); // inherited
        assertThat(org.logo().get().mediaType()).isEqualTo("image/svg+xml");
        assertThat(org.wrapperWording("bob@example.org"))
                .startsWith("bob@example.org of Example Foundation sent you");
        assertThat(org.cssFileName()).isNotEqualTo(home.cssFileName());
        // no parent-domain match: a subdomain not listed gets the default
        assertThat(set.forSender("x@sub.example.org")).isSameAs(set.defaults());
        assertThat(set.logo(org.logo().get().fileName())).contains(org.logo().get());
        assertThat(set.css(home.cssFileName())).contains(home.css());
        assertThat(set.css("brand-0000000000000000.css")).isEmpty();
    }

    @Test
    void badColoursShouldBeRefusedNamingAttributeAndValue() {
        assertRejected("<branding colour=\"red\"/>", "<branding> colour", "'red'");
        assertRejected("<branding colour=\"#12345\"/>", "<branding> colour", "'#12345'");
        assertRejected(
                "<branding barColour=\"#fff;background:url(//evil)\"/>",
                "<branding> barColour",
                "#fff;background:url(//evil)");
        assertRejected(
                "<branding barText=\"#fff}body{display:none\"/>",
                "<branding> barText",
                "#fff}body{display:none");
        assertRejected(
                "<branding><domain names=\"example.org\" colour=\"rgb(1,2,3)\"/></branding>",
                "<branding> <domain names=\"example.org\"> colour",
                "'rgb(1,2,3)'");
    }

    @Test
    void badNamesAndWordingShouldBeRefusedNamingTheElement() {
        assertRejected("<branding organisation=\"  \"/>", "<branding> organisation", "'  '");
        assertRejected(
                "<branding organisation=\"" + "x".repeat(101) + "\"/>",
                "<branding> organisation",
                "1 to 100");
        assertRejected(
                "<branding organisation=\"A&#9;B\"/>", "<branding> organisation", "A\\u0009B");
        assertRejected(
                "<branding><wrapper>{sender} at {link}</wrapper></branding>",
                "<branding> <wrapper>",
                "unknown placeholder '{link}'");
        assertRejected("<branding><wrapper>  </wrapper></branding>", "<branding> <wrapper>");
        assertRejected(
                "<branding><wrapper>a</wrapper><wrapper>b</wrapper></branding>",
                "<branding> <wrapper>: given twice");
        assertRejected(
                "<branding><wrapper>Hello <b>you</b></wrapper></branding>",
                "<branding> <wrapper>: text only",
                "<b>");
        assertRejected(
                "<branding><wrapper>" + "y".repeat(2001) + "</wrapper></branding>",
                "<branding> <wrapper>",
                "2001");
    }

    @Test
    void unknownElementsAttributesAndBadDomainsShouldBeRefused() {
        assertRejected("<branding font=\"Comic\"/>", "<branding> font: unknown attribute");
        assertRejected("<branding><style/></branding>", "<branding>: unknown element <style>");
        assertRejected(
                "<branding><domain names=\"example.org\"><domain names=\"x.org\"/></domain></branding>",
                "unknown element <domain>");
        assertRejected("<branding><domain/></branding>", "<branding> <domain> names: required");
        assertRejected(
                "<branding><domain names=\"exa mple..org\"/></branding>",
                "<branding> <domain> names: not a domain name: '");
        assertRejected(
                "<branding><domain names=\"example.org\"/><domain names=\"EXAMPLE.org\"/></branding>",
                "'example.org' given twice");
        assertRejected(
                "<branding><domain names=\"other.test\"/></branding>",
                "'other.test' is not one of <organisationDomains>");
        assertRejected("<branding/><branding/>", "<branding>: given twice");
    }

    @Test
    void badLogosShouldBeRefusedNamingTheAttributeAndTheReason() throws IOException {
        assertRejected(
                "<branding logo=\"https://cdn.example.org/logo.png\"/>",
                "<branding> logo",
                "not a URL",
                "https://cdn.example.org/logo.png");
        assertRejected(
                "<branding logo=\"//cdn.example.org/logo.png\"/>", "<branding> logo", "not a URL");
        assertRejected(
                "<branding logo=\"conf/missing.png\"/>",
                "<branding> logo",
                "cannot read",
                "missing.png");
        assertRejected(
                "<branding logo=\"conf/logo.gif\"/>",
                "<branding> logo",
                ".png, .jpg, .jpeg or .svg",
                "conf/logo.gif");
        assertRejected(
                "<branding logo=\"data:text/html;base64,PHNjcmlwdD4=\"/>",
                "<branding> logo",
                "data:text/html;base64,PHNjcmlwdD4=");
        assertRejected(
                "<branding logo=\"data:image/png,raw\"/>", "<branding> logo", "data:image/png,raw");
        assertRejected(
                "<branding logo=\"data:image/png;base64,***\"/>",
                "<branding> logo",
                "not valid base64");
        Files.write(home.resolve("conf/png.svg"), png);
        assertRejected(
                "<branding logo=\"conf/png.svg\"/>",
                "<branding> logo",
                "named image/svg+xml but its content is image/png");
        Files.write(home.resolve("conf/text.png"), "hello".getBytes(StandardCharsets.UTF_8));
        assertRejected("<branding logo=\"conf/text.png\"/>", "not a PNG, JPEG or SVG image");
        byte[] big = new byte[BrandLogo.MAX_BYTES + 1];
        System.arraycopy(png, 0, big, 0, png.length);
        Files.write(home.resolve("conf/big.png"), big);
        assertRejected(
                "<branding logo=\"conf/big.png\"/>",
                "<branding> logo",
                "131073 bytes, at most 131072");
    }

    @Test
    void svgLogosThatCouldRunScriptOrLoadAnythingShouldBeRefused() throws IOException {
        assertThat(svg(safeSvg)).isNull();
        assertThat(svg(seed("script.svg"))).contains("may not contain <script>");
        assertThat(svg(seed("onload.svg"))).contains("event handler onload");
        assertThat(svg(seed("remote.svg"))).contains("https://evil.example/");
        assertThat(svg("<svg><rect fill=\"url(https://evil.example/x)\"/></svg>"))
                .contains("fill on <rect> refers outside the image", "https://evil.example/x");
        assertThat(svg(seed("entity.svg"))).contains("DTD subset");
        assertThat(svg("<svg><foreignObject><div/></foreignObject></svg>"))
                .contains("<foreignObject>");
        assertThat(svg("<svg><style>@import url(//evil)</style></svg>")).contains("<style>");
        assertThat(svg("<svg><a href=\"javascript:alert(1)\"><rect/></a></svg>")).contains("<a>");
        assertThat(svg("<svg><use xlink:href=\"data:image/svg+xml;base64,AA\"/></svg>"))
                .contains("only #id");
        assertThat(svg("<svg><use href=\" https://evil/x.svg#a\"/></svg>")).contains("only #id");
        assertThat(svg("<svg><rect style=\"fill:url( https://evil/x )\"/></svg>"))
                .contains("refers outside the image");
        assertThat(svg("<svg><rect ONCLICK=\"x()\"/></svg>")).contains("event handler ONCLICK");
        assertThat(svg("<?xml-stylesheet href=\"//evil\"?><svg/>"))
                .contains("processing instruction");
        assertThat(svg("<svg><set attributeName=\"href\" to=\"javascript:x\"/></svg>"))
                .contains("<set>");
        assertThat(svg("<html><svg/></html>")).contains("root element must be <svg>");
        assertThat(svg("<svg><rect></svg>")).contains("not well-formed");
    }

    private static String svg(String s) {
        return svg(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The refusal's message, or null when accepted. */
    private static String svg(byte[] b) {
        try {
            BrandLogo.of(b, "image/svg+xml", "<branding> logo");
            return null;
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).startsWith("<branding> logo");
            return e.getMessage();
        }
    }
}
