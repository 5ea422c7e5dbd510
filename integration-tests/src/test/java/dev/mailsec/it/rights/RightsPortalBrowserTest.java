package dev.mailsec.it.rights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.dkm.IdentityType;
import dev.mailsec.it.harness.Delivery;
import dev.mailsec.it.harness.JamesExtension;
import dev.mailsec.portal.Portal;
import dev.mailsec.portal.RightsPortalEngine;
import dev.mailsec.rights.RightsSettings;
import dev.mailsec.rights.RightsStore;
import dev.mailsec.rights.RightsTestEnvironment;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.mail.Message;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import org.apache.james.utils.DataProbeImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The portal for real: James 3.8.1 (SMTP, IMAP, local delivery for mailsec.test and the "outside"
 * demo domain external.test), the rights engine with its keys in DKM, the portal reading them as
 * its own DKM identity {@code rights-portal}, and Debian's headless Chromium driven by Selenium.
 * Alice's message is protected, carol finds only the wrapper in her mailbox, opens the link, asks
 * for a passcode that James delivers to her mailbox, and reads the message in the browser. Every
 * page is photographed at desktop and phone width into docs/rights/.
 */
class RightsPortalBrowserTest {

    static final String ALICE = "alice@mailsec.test";
    static final String CAROL = "carol@external.test";
    static final String DAVE = "dave@external.test";
    static final String PASSWORD = "secret";
    static final String SECRET_BODY = "The launch date is 14 March";
    static final String SECRET_ATTACHMENT = "Budget line 4711: 1,234,567 EUR";
    static final String PASSCODE_SUBJECT = "Your passcode for the protected message from";
    static final String SENDER_PASSCODE_SUBJECT = "Your passcode to see the protected messages";
    static final String BOB = "bob@mailsec.test";
    static final Path SHOTS =
            Paths.get(System.getProperty("mailsec.conf.dir", "../conf"))
                    .toAbsolutePath()
                    .normalize()
                    .getParent()
                    .resolve("docs/rights");

    static final String ORGANISATION = "Northwind <Traders> & Co";
    static final String LOGO_SVG =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 40 32\" width=\"40\" height=\"32\">"
                    + "<rect x=\"2\" y=\"1\" width=\"30\" height=\"30\" rx=\"7\" fill=\"#f2b705\"/>"
                    + "<path d=\"M9 24V8h3l8 10V8h3v16h-3l-8-10v10z\" fill=\"#0f3d3e\"/></svg>";

    static final Path DIR;
    static final int PORTAL_PORT;
    static final String BASE;
    static final RightsTestEnvironment env;

    static {
        try {
            DIR = Files.createTempDirectory("mailsec-portal-it-");
            PORTAL_PORT = freePort();
            BASE = "http://127.0.0.1:" + PORTAL_PORT;
            Files.writeString(DIR.resolve("northwind.svg"), LOGO_SVG);
            // James's rights.xml names the organisation's branding, so its wrappers carry it
            env =
                    RightsTestEnvironment.create(
                            DIR.resolve("rights"),
                            Clock.systemUTC(),
                            rightsXml("rights-state", 2525)
                                    .replace("</rights>", branding() + "</rights>"));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * James with the sample pipeline's protection step: [encrypt], [dnf] and (for expiry) [short]
     * subjects.
     */
    @RegisterExtension
    static JamesExtension james =
            JamesExtension.builder()
                    .user(ALICE, PASSWORD)
                    .rootMailets(
                            protect("[dnf]", "do-not-forward")
                                    + protect("[encrypt]", "encrypt-only")
                                    + protect("[short]", "short-lived"))
                    .build();

    static RightsPortalEngine engine;
    static Portal portal;
    static Browser browser;
    static Mailboxes mail;
    static String base = BASE;

    @BeforeAll
    static void start() throws Exception {
        assertThat(Browser.available())
                .as("needs Debian's chromium and chromium-driver (.ci/run installs them)")
                .isTrue();
        DataProbeImpl data = james.harness().server().getProbe(DataProbeImpl.class);
        data.addDomain("external.test");
        data.addUser(CAROL, PASSWORD);
        data.addUser(DAVE, PASSWORD);
        data.addUser(BOB, PASSWORD);
        int smtp = james.harness().smtpPort(Delivery.Mode.PLAIN);
        mail = new Mailboxes(james.harness().imapPort(), smtp);
        // the portal is its own DKM identity, member of group rights (as ./mailsec run sets it up),
        // and sends
        // through this James's SMTP port
        Path portalDir = Files.createDirectories(DIR.resolve("rights/portal"));
        env.admin()
                .createIdentity(
                        "rights-portal",
                        IdentityType.SERVICE,
                        false,
                        portalDir.resolve("rights-portal.cred"));
        env.admin().addMember("rights", "rights-portal");
        Files.writeString(
                portalDir.resolve("dkm.properties"),
                "store=file:"
                        + portalDir.resolve("../dkm-data").normalize()
                        + "\nidentity="
                        + portalDir.resolve("rights-portal.cred")
                        + "\ncacheTtl=PT5M\n");
        Files.writeString(
                portalDir.resolve("rights.xml"),
                rightsXml(portalDir.resolve("../rights-state").normalize().toString(), smtp)
                        .replace(
                                "</rights>",
                                "  <dkm config=\""
                                        + portalDir.resolve("dkm.properties")
                                        + "\"/>\n</rights>"));
        RightsSettings settings = RightsSettings.load(portalDir.resolve("rights.xml"));
        engine = RightsPortalEngine.open(settings);
        portal = Portal.start(RightsPortalEngine.config(settings), engine);
        browser = new Browser();
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (portal != null) {
            portal.close();
        }
        if (engine != null) {
            engine.close();
        }
        env.close();
        try (var files = Files.walk(DIR)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    static String rightsXml(String store, int smtp) {
        return rightsXml(store, smtp, PORTAL_PORT, 100);
    }

    static String rightsXml(String store, int smtp, int port, int perAddress) {
        return "<rights>\n  <issuer>mailsec.test</issuer>\n  <organisationDomains>mailsec.test</organisationDomains>\n"
                + "  <portal url=\"http://127.0.0.1:"
                + port
                + "\" bind=\"127.0.0.1\" port=\""
                + port
                + "\" smtpHost=\"127.0.0.1\" "
                + "smtpPort=\""
                + smtp
                + "\" perAddressPerHour=\""
                + perAddress
                + "\" perClientPerHour=\"200\"/>\n"
                + "  <store url=\"file:"
                + store
                + "\"/>\n  <subject mode=\"keep\"/>\n  <templates>\n"
                + "    <template name=\"short-lived\" rights=\"view,reply\" expiry=\"PT3S\"/>\n  </templates>\n</rights>\n";
    }

    /**
     * The {@code <branding>} of the branded tests: a name to escape, an SVG logo, three colours.
     */
    static String branding() {
        return "  <branding organisation=\"Northwind &lt;Traders&gt; &amp; Co\" logo=\""
                + DIR.resolve("northwind.svg")
                + "\" colour=\"#0e7c66\" barColour=\"#0f3d3e\" barText=\"#ffffff\">\n"
                + "    <wrapper>{sender} at {organisation} sent you a protected message.\n\n"
                + "      Northwind never asks for your password: the portal only asks for the passcode"
                + " it mails to you.</wrapper>\n  </branding>\n";
    }

    static String protect(String keyword, String template) {
        return "<mailet match=\"SubjectStartsWith="
                + keyword
                + "\" class=\"dev.mailsec.mailets.rights.ProtectMessage\">"
                + "<config>"
                + DIR.resolve("rights/rights.xml")
                + "</config><template>"
                + template
                + "</template></mailet>\n";
    }

    @BeforeEach
    void freshBrowserSession() {
        browser.driver.manage().deleteAllCookies();
    }

    // ------------------------------------------------------------------------------------------------------------

    @Test
    void encryptOnlyMessageShouldReachCarolAsAWrapperAndOpenInThePortal() throws Exception {
        String subject = "[encrypt] Quarterly plan";
        MimeMessage wrapper = protectAndSend(subject, "encrypt-only", CAROL);
        String raw = Mailboxes.raw(wrapper);
        assertThat(raw)
                .doesNotContain(SECRET_BODY)
                .doesNotContain(SECRET_ATTACHMENT)
                .contains("message.mailsec");
        String link = link(wrapper);

        WebDriver d = browser.driver;
        d.get(link);
        assertThat(waitFor(By.tagName("h1")).getText())
                .contains("alice@mailsec.test sent you a protected message");
        browser.screenshots(SHOTS, "01-landing");
        String code = requestPasscode(CAROL);
        browser.screenshots(SHOTS, "02-passcode");
        enterCode(code);
        waitFor(By.id("subject"));
        assertThat(d.findElement(By.id("subject")).getText()).isEqualTo(subject);
        assertThat(d.findElement(By.id("message-body")).getText()).contains(SECRET_BODY);
        assertThat(d.findElements(By.id("forward"))).hasSize(1);
        assertThat(d.findElements(By.id("print"))).hasSize(1);
        assertThat(d.findElements(By.linkText("Download"))).hasSize(1);
        browser.screenshots(SHOTS, "03-message-encrypt-only");

        // the attachment downloads with this session (EXTRACT granted)
        HttpResponse<String> attachment =
                http(d.findElement(By.linkText("Download")).getAttribute("href"));
        assertThat(attachment.statusCode()).isEqualTo(200);
        assertThat(attachment.body()).contains(SECRET_ATTACHMENT);

        // reply through James to alice
        int before = mail.count(ALICE, PASSWORD, "Re: " + subject);
        submit(By.id("reply"));
        waitFor(By.id("body"));
        d.findElement(By.id("body")).sendKeys("Thanks Alice, the plan looks good. Carol");
        browser.screenshots(SHOTS, "04-reply");
        submit(By.id("send-reply"));
        waitFor(By.id("notice"));
        MimeMessage reply = mail.awaitNew(ALICE, PASSWORD, "Re: " + subject, before);
        assertThat(reply.getFrom()[0].toString()).isEqualTo(CAROL);
        assertThat(Mailboxes.raw(reply)).contains("the plan looks good");

        // forward stays protected: dave gets a wrapper of his own, not the plaintext
        submit(By.id("forward"));
        waitFor(By.id("to"));
        d.findElement(By.id("to")).sendKeys(DAVE);
        d.findElement(By.id("note")).sendKeys("Dave, see below.");
        browser.screenshots(SHOTS, "05-forward");
        int daveBefore = mail.count(DAVE, PASSWORD, "Fwd: ");
        submit(By.id("send-forward"));
        waitFor(By.id("notice"));
        MimeMessage forwarded = mail.awaitNew(DAVE, PASSWORD, "Fwd: ", daveBefore);
        assertThat(Mailboxes.raw(forwarded))
                .doesNotContain(SECRET_BODY)
                .doesNotContain(SECRET_ATTACHMENT)
                .contains("message.mailsec")
                .contains(base + "/m/");
        // the access log names the forward as such (and the reply as a reply)
        String fid = link.substring(link.lastIndexOf('/') + 1);
        assertThat(env.store().events(fid))
                .anySatisfy(
                        e -> {
                            assertThat(e.type().name()).isEqualTo("FORWARDED");
                            assertThat(e.address()).isEqualTo(CAROL);
                            assertThat(e.detail())
                                    .contains("forwarded (protected) to")
                                    .contains(DAVE);
                        });
        assertThat(env.store().events(fid))
                .anySatisfy(e -> assertThat(e.type().name()).isEqualTo("REPLIED"));
    }

    @Test
    void doNotForwardMessageShouldOpenWithoutAnyForwardPrintOrDownloadPath() throws Exception {
        MimeMessage wrapper = protectAndSend("[dnf] Salary review", "do-not-forward", CAROL);
        assertThat(Mailboxes.raw(wrapper))
                .doesNotContain(SECRET_BODY)
                .doesNotContain(SECRET_ATTACHMENT);
        String link = link(wrapper);
        signIn(link, CAROL);
        WebDriver d = browser.driver;
        assertThat(d.findElement(By.id("message-body")).getText()).contains(SECRET_BODY);
        assertThat(d.findElements(By.id("forward"))).isEmpty();
        assertThat(d.findElements(By.id("print"))).isEmpty();
        assertThat(d.findElements(By.linkText("Download"))).isEmpty();
        assertThat(d.findElement(By.tagName("body")).getAttribute("class"))
                .contains("no-print")
                .contains("no-extract");
        browser.screenshots(SHOTS, "06-message-do-not-forward");

        // the URLs are refused too, not just hidden
        assertThat(http(link + "/forward").statusCode()).isEqualTo(403);
        assertThat(http(link + "/attachment/1").statusCode()).isEqualTo(403);
        d.get(link + "/forward");
        assertThat(waitFor(By.tagName("h1")).getText()).isEqualTo("Not allowed");
        browser.screenshots(SHOTS, "07-forward-refused");
        String id = link.substring(link.lastIndexOf('/') + 1);
        assertThat(env.store().events(id))
                .anySatisfy(e -> assertThat(e.type().name()).isEqualTo("FORWARD_BLOCKED"));

        // reply-all is allowed and goes back through James
        int before = mail.count(ALICE, PASSWORD, "Re: [dnf] Salary review");
        d.get(link + "/reply");
        d.findElement(By.id("body")).sendKeys("Received, thank you.");
        submit(By.id("send-reply"));
        waitFor(By.id("notice"));
        assertThat(
                        mail.awaitNew(ALICE, PASSWORD, "Re: [dnf] Salary review", before)
                                .getFrom()[0]
                                .toString())
                .isEqualTo(CAROL);
    }

    @Test
    void fiveWrongPasscodesShouldLockTheMessageForThatAddress() throws Exception {
        String link = link(protectAndSend("[encrypt] Lock test", "encrypt-only", CAROL));
        WebDriver d = browser.driver;
        d.get(link);
        String right = requestPasscode(CAROL);
        String wrong = right.equals("00000000") ? "11111111" : "00000000";
        for (int i = 1; i <= 4; i++) {
            enterCode(wrong);
            assertThat(waitFor(By.id("code-error")).getText())
                    .contains((5 - i) + (i == 4 ? " attempt" : " attempts"));
            if (i == 1) {
                browser.screenshots(SHOTS, "08-wrong-passcode");
            }
        }
        enterCode(wrong);
        assertThat(waitFor(By.tagName("h1")).getText()).isEqualTo("Too many wrong passcodes");
        browser.screenshots(SHOTS, "09-locked");
        // even the right code no longer opens it, and no new code is issued for that address
        d.get(link + "?other=1");
        d.findElement(By.id("address")).sendKeys(CAROL);
        submit(By.id("send-passcode"));
        assertThat(waitFor(By.tagName("h1")).getText()).isEqualTo("Too many wrong passcodes");
    }

    @Test
    void aUsedPasscodeShouldNotOpenTheMessageAgain() throws Exception {
        String link = link(protectAndSend("[encrypt] Replay test", "encrypt-only", CAROL));
        WebDriver d = browser.driver;
        d.get(link);
        String code = requestPasscode(CAROL);
        Cookie pending = d.manage().getCookieNamed("mailsec_session");
        enterCode(code);
        waitFor(By.id("subject"));
        submit(By.id("sign-out"));
        assertThat(waitFor(By.tagName("h1")).getText()).isEqualTo("You are signed out");
        browser.screenshots(SHOTS, "10-signed-out");
        d.get(link + "/view");
        assertThat(d.getCurrentUrl()).isEqualTo(link);

        // replay the passcode step exactly as before (same cookie, same code)
        d.manage().deleteAllCookies();
        d.manage().addCookie(pending);
        d.get(link + "/code");
        enterCode(code);
        assertThat(waitFor(By.id("code-error")).getText()).contains("not valid any more");
        browser.screenshots(SHOTS, "11-passcode-used");
        assertThat(d.findElements(By.id("subject"))).isEmpty();
    }

    @Test
    void aRevokedMessageShouldBeRefusedEvenInAnOpenSession() throws Exception {
        String link = link(protectAndSend("[dnf] Revocation test", "do-not-forward", CAROL));
        signIn(link, CAROL);
        String id = link.substring(link.lastIndexOf('/') + 1);
        assertThat(env.store().revoke(id, ALICE, "sent by mistake")).isTrue();
        WebDriver d = browser.driver;
        d.navigate().refresh();
        assertThat(waitFor(By.tagName("h1")).getText()).isEqualTo("This message was withdrawn");
        assertThat(d.getPageSource()).doesNotContain(SECRET_BODY);
        d.get(link);
        assertThat(waitFor(By.tagName("h1")).getText()).isEqualTo("This message was withdrawn");
        browser.screenshots(SHOTS, "12-revoked");
    }

    @Test
    void anExpiredMessageShouldBeRefused() throws Exception {
        String link = link(protectAndSend("[short] Expiry test", "short-lived", CAROL));
        Thread.sleep(3500);
        WebDriver d = browser.driver;
        d.get(link);
        assertThat(waitFor(By.tagName("h1")).getText()).isEqualTo("This message has expired");
        browser.screenshots(SHOTS, "13-expired");
        assertThat(http(link).statusCode()).isEqualTo(410);
    }

    @Test
    void aSecondPortalOnTheSameStoreShouldShareTheRateLimits() throws Exception {
        // a second node of a "cluster": same rights store and DKM, its own port, one passcode per
        // address and hour
        int port = freePort();
        Path node2 = Files.createDirectories(DIR.resolve("rights/portal2"));
        Files.copy(DIR.resolve("rights/portal/dkm.properties"), node2.resolve("dkm.properties"));
        Files.copy(
                DIR.resolve("rights/portal/rights-portal.cred"),
                node2.resolve("rights-portal.cred"));
        Files.writeString(
                node2.resolve("rights.xml"),
                rightsXml(
                                DIR.resolve("rights/rights-state").toString(),
                                james.harness().smtpPort(Delivery.Mode.PLAIN),
                                port,
                                1)
                        .replace(
                                "</rights>",
                                "  <dkm config=\""
                                        + node2.resolve("dkm.properties")
                                        + "\"/>\n</rights>"));
        RightsSettings settings = RightsSettings.load(node2.resolve("rights.xml"));
        String link = link(protectAndSend("[encrypt] Rate limit test", "encrypt-only", CAROL));
        String id = link.substring(link.lastIndexOf('/') + 1);
        try (RightsPortalEngine engine2 = RightsPortalEngine.open(settings);
                Portal portal2 = Portal.start(RightsPortalEngine.config(settings), engine2)) {
            WebDriver d = browser.driver;
            String node2Link = "http://127.0.0.1:" + port + "/m/" + id;
            d.get(node2Link);
            assertThat(waitFor(By.tagName("h1")).getText())
                    .contains("alice@mailsec.test sent you a protected message");
            for (int i = 0; i < 2 && d.findElements(By.id("address")).size() > 0; i++) {
                d.findElement(By.id("address")).sendKeys(CAROL);
                submit(By.id("send-passcode"));
                if (d.findElements(By.id("code")).size() > 0) {
                    d.get(node2Link + "?other=1");
                }
            }
            // carol asked for passcodes on the first node in earlier tests, or once here: the
            // shared window is full
            assertThat(waitFor(By.tagName("h1")).getText()).isEqualTo("Too many requests");
            browser.screenshots(SHOTS, "14-rate-limited");
            assertThat(http(node2Link + "?other=1").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aBrandedPortalShouldShowTheOrganisationOnItsPagesUnderTheSameCsp() throws Exception {
        MimeMessage wrapper = protectAndSend("[encrypt] Board minutes", "encrypt-only", CAROL);
        // James's wrapper carries the organisation's wording (text part: the name as written)
        assertThat(Mailboxes.raw(wrapper))
                .contains(
                        "alice@mailsec.test at Northwind <Traders> & Co sent you a protected message.")
                .contains("Northwind never asks for your password");
        String id = link(wrapper).substring(link(wrapper).lastIndexOf('/') + 1);
        // a portal node with the same branding in its rights.xml (same store and DKM)
        int port = freePort();
        Path node = Files.createDirectories(DIR.resolve("rights/portal-branded"));
        Files.copy(DIR.resolve("rights/portal/dkm.properties"), node.resolve("dkm.properties"));
        Files.copy(
                DIR.resolve("rights/portal/rights-portal.cred"),
                node.resolve("rights-portal.cred"));
        Files.writeString(
                node.resolve("rights.xml"),
                rightsXml(
                                DIR.resolve("rights/rights-state").toString(),
                                james.harness().smtpPort(Delivery.Mode.PLAIN),
                                port,
                                100)
                        .replace(
                                "</rights>",
                                branding()
                                        + "  <dkm config=\""
                                        + node.resolve("dkm.properties")
                                        + "\"/>\n</rights>"));
        RightsSettings settings = RightsSettings.load(node.resolve("rights.xml"));
        try (RightsPortalEngine brandedEngine = RightsPortalEngine.open(settings);
                Portal branded = Portal.start(RightsPortalEngine.config(settings), brandedEngine)) {
            String link = "http://127.0.0.1:" + port + "/m/" + id;
            WebDriver d = browser.driver;
            d.get(link);
            assertThat(waitFor(By.tagName("h1")).getText())
                    .contains("alice@mailsec.test sent you a protected message");
            assertBranded(d);
            browser.screenshots(SHOTS, "15-branded-landing");

            // the CSP is the unbranded portal's, word for word, on the page and on the logo
            String csp =
                    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self';"
                            + " frame-ancestors 'none'; base-uri 'none'";
            assertThat(http(link).headers().firstValue("Content-Security-Policy")).hasValue(csp);
            assertThat(http(base + "/m/" + id).headers().firstValue("Content-Security-Policy"))
                    .hasValue(csp);
            String logo = d.findElement(By.cssSelector("img.logo")).getAttribute("src");
            assertThat(logo)
                    .matches("http://127\\.0\\.0\\.1:" + port + "/static/logo-[0-9a-f]{16}\\.svg");
            HttpResponse<String> image = http(logo);
            assertThat(image.statusCode()).isEqualTo(200);
            assertThat(image.headers().firstValue("Content-Type")).hasValue("image/svg+xml");
            assertThat(image.headers().firstValue("Content-Security-Policy")).hasValue(csp);
            assertThat(image.body()).isEqualTo(LOGO_SVG);

            enterCode(requestPasscode(CAROL));
            waitFor(By.id("subject"));
            assertThat(d.findElement(By.id("message-body")).getText()).contains(SECRET_BODY);
            assertBranded(d);
            browser.screenshots(SHOTS, "16-branded-message");
            assertThat(http(d.getCurrentUrl()).headers().firstValue("Content-Security-Policy"))
                    .hasValue(csp + "; script-src 'self'");
        }
    }

    /**
     * The name (escaped: shown as written, never markup), the logo loaded under the CSP, and the
     * colours applied, as Chromium renders them.
     */
    static void assertBranded(WebDriver d) {
        assertThat(d.findElement(By.className("brand-name")).getText()).isEqualTo(ORGANISATION);
        assertThat(d.getTitle()).endsWith(" · " + ORGANISATION + " protected mail");
        assertThat(d.findElements(By.className("shield"))).isEmpty();
        JavascriptExecutor js = (JavascriptExecutor) d;
        assertThat(
                        ((Number)
                                        js.executeScript(
                                                "return document.querySelector('img.logo').naturalWidth"))
                                .intValue())
                .as("the logo loaded")
                .isGreaterThan(0);
        assertThat(
                        js.executeScript(
                                "return getComputedStyle(document.querySelector('.bar')).backgroundColor"))
                .isEqualTo("rgb(15, 61, 62)");
        assertThat(
                        js.executeScript(
                                "return getComputedStyle(document.querySelector('.brand-name')).color"))
                .isEqualTo("rgb(255, 255, 255)");
    }

    @Test
    void pagesShouldCarryTheSecurityHeadersAndTheSessionCookieItsFlags() throws Exception {
        String link = link(protectAndSend("[encrypt] Header test", "encrypt-only", CAROL));
        HttpResponse<String> landing =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(link)).build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(landing.headers().firstValue("Content-Security-Policy"))
                .hasValue(
                        "default-src 'none'; "
                                + "style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        assertThat(landing.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(landing.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(landing.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(landing.headers().firstValue("Set-Cookie").orElseThrow())
                .contains("HttpOnly")
                .contains("SameSite=Strict");
        assertThat(landing.body()).doesNotContain("<script").doesNotContain(" style=");

        signIn(link, CAROL);
        Cookie session = browser.driver.manage().getCookieNamed("mailsec_session");
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        assertThat(session.getValue()).doesNotContain(CAROL);

        // a form posted without the page's CSRF token is refused
        HttpResponse<String> forged =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(link + "/reply"))
                                        .header("Cookie", "mailsec_session=" + session.getValue())
                                        .header("Content-Type", "application/x-www-form-urlencoded")
                                        .POST(
                                                HttpRequest.BodyPublishers.ofString(
                                                        "all=0&body=forged"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
    }

    @Test
    void aSenderShouldSeeWhoOpenedTheirMessageAndRevokeIt() throws Exception {
        String subject = "[encrypt] Sender self-service";
        String link = link(protectAndSend(subject, "encrypt-only", CAROL));
        String id = link.substring(link.lastIndexOf('/') + 1);
        // bob (another sender of the organisation) protects one of his own
        String bobs = link(protectAndSend(BOB, "[encrypt] Bob's plan", "encrypt-only", CAROL));
        String bobsId = bobs.substring(bobs.lastIndexOf('/') + 1);

        // carol reads it: the open the sender will see
        signIn(link, CAROL);
        WebDriver d = browser.driver;
        Cookie reader = d.manage().getCookieNamed("mailsec_session");
        // a reader's session opens no sender page
        d.get(base + "/sender/messages");
        assertThat(d.getCurrentUrl()).isEqualTo(base + "/sender");
        d.manage().deleteAllCookies();

        // alice proves her address with a passcode delivered over IMAP
        d.get(base + "/sender");
        assertThat(waitFor(By.tagName("h1")).getText()).isEqualTo("Your protected messages");
        browser.screenshots(SHOTS, "15-sender-sign-in");
        enterCode(requestSenderPasscode(ALICE));
        WebElement row = waitFor(By.cssSelector("tr[data-licence='" + id + "']"));
        assertThat(row.getText()).contains(CAROL).contains("encrypt-only").contains("active");
        assertThat(d.findElements(By.cssSelector("tr[data-licence='" + bobsId + "']"))).isEmpty();
        browser.screenshots(SHOTS, "16-sender-messages");

        // the message's page: carol's open in the access log
        d.get(base + "/sender/messages/" + id);
        WebElement opened = waitFor(By.cssSelector("#access-log tr[data-event='OPENED']"));
        assertThat(opened.getText()).contains(CAROL).contains("opened (portal)");
        browser.screenshots(SHOTS, "17-sender-message");
        // the sender's cookie opens no message, although alice is a party of it
        Cookie sender = d.manage().getCookieNamed("mailsec_session_sender");
        HttpResponse<String> asReader =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(link + "/view"))
                                        .header("Cookie", "mailsec_session=" + sender.getValue())
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(asReader.statusCode()).isEqualTo(303);
        // bob's message does not exist for alice
        d.get(base + "/sender/messages/" + bobsId);
        assertThat(waitFor(By.tagName("h1")).getText()).isEqualTo("Message not found");

        // revoke with a reason
        d.get(base + "/sender/messages/" + id);
        waitFor(By.id("reason")).sendKeys("Sent before the board approved it");
        submit(By.id("revoke"));
        assertThat(waitFor(By.id("revoked-notice")).getText()).contains("revoked");
        assertThat(d.findElement(By.id("revoked")).getText())
                .contains("by " + ALICE)
                .contains("Sent before the board approved it");
        browser.screenshots(SHOTS, "18-sender-revoked");

        // carol's open session now gets 410, and so does her link
        HttpResponse<String> gone =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(link + "/view"))
                                        .header("Cookie", "mailsec_session=" + reader.getValue())
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(gone.statusCode()).isEqualTo(410);
        assertThat(gone.body()).doesNotContain(SECRET_BODY);
        assertThat(http(link).statusCode()).isEqualTo(410);
        assertThat(env.store().find(bobsId).orElseThrow().isRevoked()).isFalse();

        // each action is in the access log
        assertThat(env.store().events(id))
                .anySatisfy(
                        e -> {
                            assertThat(e.type().name()).isEqualTo("REVOKED");
                            assertThat(e.address()).isEqualTo(ALICE);
                            assertThat(e.channel().name()).isEqualTo("PORTAL");
                            assertThat(e.detail()).isEqualTo("Sent before the board approved it");
                        })
                .anySatisfy(e -> assertThat(e.type().name()).isEqualTo("SENDER_VIEWED"));
        assertThat(env.store().events(RightsStore.senderLogId(ALICE)))
                .extracting(e -> e.type().name())
                .contains("PASSCODE_SENT", "PASSCODE_OK", "SENDER_LISTED");

        // bob signs in: his list has his message, not alice's
        submit(By.id("sign-out"));
        assertThat(waitFor(By.tagName("h1")).getText()).isEqualTo("You are signed out");
        d.get(base + "/sender");
        enterCode(requestSenderPasscode(BOB));
        waitFor(By.cssSelector("tr[data-licence='" + bobsId + "']"));
        assertThat(d.findElements(By.cssSelector("tr[data-licence='" + id + "']"))).isEmpty();
        d.get(base + "/sender/messages/" + id);
        assertThat(waitFor(By.tagName("h1")).getText()).isEqualTo("Message not found");
    }

    // ------------------------------------------------------------------------------------------------------------

    /**
     * Alice sends a message with an HTML body and an attachment through James's SMTP; the pipeline
     * protects it (the subject keyword picks {@code template}); returns what arrives in the
     * recipient's INBOX.
     */
    static MimeMessage protectAndSend(String subject, String template, String to) throws Exception {
        return protectAndSend(ALICE, subject, template, to);
    }

    static MimeMessage protectAndSend(String from, String subject, String template, String to)
            throws Exception {
        Session s = Session.getInstance(new Properties());
        MimeMessage original = new MimeMessage(s);
        original.setFrom(new InternetAddress(from));
        original.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        original.setSubject(subject);
        MimeMultipart mixed = new MimeMultipart("mixed");
        MimeMultipart alt = new MimeMultipart("alternative");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Hello Carol,\n\n" + SECRET_BODY + ".\n\nAlice", "UTF-8");
        MimeBodyPart html = new MimeBodyPart();
        html.setContent(
                "<p>Hello Carol,</p><p><b>"
                        + SECRET_BODY
                        + "</b>.</p><ul><li>Budget attached</li>"
                        + "<li>Please keep this to yourself</li></ul><p>Alice</p><script>alert('x')</script>",
                "text/html; charset=UTF-8");
        alt.addBodyPart(text);
        alt.addBodyPart(html);
        MimeBodyPart body = new MimeBodyPart();
        body.setContent(alt);
        mixed.addBodyPart(body);
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setText(SECRET_ATTACHMENT + "\n", "UTF-8");
        attachment.setFileName("budget.txt");
        attachment.setDisposition("attachment");
        mixed.addBodyPart(attachment);
        original.setContent(mixed);
        original.saveChanges();
        int before = mail.count(to, PASSWORD, subject);
        mail.send(original);
        MimeMessage arrived = mail.awaitNew(to, PASSWORD, subject, before);
        assertThat(arrived.getHeader("X-Mailsec-Protected")[0]).contains("template=" + template);
        return arrived;
    }

    static String link(MimeMessage wrapper) throws Exception {
        Matcher m =
                Pattern.compile(Pattern.quote(base) + "/m/[A-Za-z0-9_-]+")
                        .matcher(Mailboxes.raw(wrapper));
        assertThat(m.find()).as("portal link in the wrapper").isTrue();
        return m.group();
    }

    /** On the landing page: asks for a passcode and returns it from the recipient's mailbox. */
    static String requestPasscode(String address) throws Exception {
        int before = mail.count(address, PASSWORD, PASSCODE_SUBJECT);
        WebDriver d = browser.driver;
        d.findElement(By.id("address")).sendKeys(address);
        submit(By.id("send-passcode"));
        waitFor(By.id("code"));
        MimeMessage m = mail.awaitNew(address, PASSWORD, PASSCODE_SUBJECT, before);
        Matcher code = Pattern.compile("(?m)^\\s+(\\d{6,8})\\s*$").matcher(Mailboxes.raw(m));
        assertThat(code.find()).as("passcode in the mail").isTrue();
        return code.group(1);
    }

    /** On the sender pages' start: asks for a passcode and returns it from the sender's mailbox. */
    static String requestSenderPasscode(String address) throws Exception {
        int before = mail.count(address, PASSWORD, SENDER_PASSCODE_SUBJECT);
        WebDriver d = browser.driver;
        waitFor(By.id("address")).sendKeys(address);
        submit(By.id("send-passcode"));
        waitFor(By.id("code"));
        MimeMessage m = mail.awaitNew(address, PASSWORD, SENDER_PASSCODE_SUBJECT, before);
        Matcher code = Pattern.compile("(?m)^\\s+(\\d{6,8})\\s*$").matcher(Mailboxes.raw(m));
        assertThat(code.find()).as("passcode in the mail").isTrue();
        return code.group(1);
    }

    static void enterCode(String code) {
        WebDriver d = browser.driver;
        waitFor(By.id("code")).clear();
        d.findElement(By.id("code")).sendKeys(code);
        submit(By.id("submit-code"));
    }

    static void signIn(String link, String address) throws Exception {
        browser.driver.get(link);
        enterCode(requestPasscode(address));
        waitFor(By.id("subject"));
    }

    /**
     * Clicks a control that loads a new page and waits until the old page is gone, so that what the
     * test looks up next is on the new page (a click does not wait for the navigation it starts).
     */
    static void submit(By control) {
        awaitLoaded();
        WebElement page = browser.driver.findElement(By.tagName("html"));
        for (int attempt = 1; ; attempt++) {
            try {
                browser.driver.findElement(control).click();
                break;
            } catch (WebDriverException e) {
                // ChromeDriver once failed a click with "Node with given id does not belong to the
                // document": either the
                // click happened and the page is already going (then go on and wait for it) or the
                // node it had just found
                // was replaced before the click (then look the control up again and retry)
                boolean goneNode =
                        e instanceof StaleElementReferenceException
                                || String.valueOf(e.getMessage())
                                        .contains("does not belong to the document");
                if (!goneNode || attempt == 3) {
                    throw e;
                }
                if (isGone(page)) {
                    break;
                }
            }
        }
        new WebDriverWait(browser.driver, Duration.ofSeconds(20)).until(d -> isGone(page));
        awaitLoaded();
    }

    /**
     * Whether an element's document has been replaced. ChromeDriver usually answers a query on such
     * an element with a stale-element error, but sometimes (seen in CI, from isEnabled) with
     * "unknown error: unhandled inspector error: Node with given id does not belong to the
     * document", which means the same thing; Selenium's stalenessOf knows only the first and let
     * the second fail the test.
     */
    static boolean isGone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (StaleElementReferenceException e) {
            return true;
        } catch (WebDriverException e) {
            if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    /**
     * Until the current document has finished loading, so nothing found in it is replaced by the
     * rest of the load.
     */
    static void awaitLoaded() {
        new WebDriverWait(browser.driver, Duration.ofSeconds(20))
                .until(
                        d ->
                                "complete"
                                        .equals(
                                                ((JavascriptExecutor) d)
                                                        .executeScript(
                                                                "return document.readyState")));
    }

    static WebElement waitFor(By by) {
        return new WebDriverWait(browser.driver, Duration.ofSeconds(20))
                .until(ExpectedConditions.presenceOfElementLocated(by));
    }

    /**
     * A GET with the browser's current session cookie (to see status codes Selenium does not show).
     */
    static HttpResponse<String> http(String url) throws IOException, InterruptedException {
        Cookie c = browser.driver.manage().getCookieNamed("mailsec_session");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (c != null) {
            b.header("Cookie", "mailsec_session=" + c.getValue());
        }
        return HttpClient.newHttpClient()
                .send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
