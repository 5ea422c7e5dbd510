package dev.mailsec.rights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RightsSettingsTest {
    static final Path BASE = Paths.get("/opt/james");

    static RightsSettings parse(String body) {
        return RightsSettings.parse(
                new ByteArrayInputStream(
                        ("<rights><issuer>mailsec.test</issuer>" + body + "</rights>")
                                .getBytes(StandardCharsets.UTF_8)),
                BASE);
    }

    static void assertRejected(String body, String... fragments) {
        assertThatThrownBy(() -> parse(body))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(fragments));
    }

    @Test
    void theSampleConfigurationShouldLoadWithItsTemplatesAndDefaults() {
        RightsSettings s = RightsSettings.load(Paths.get("../conf/rights.xml"));
        assertThat(s.issuer()).isEqualTo("mailsec.test");
        assertThat(s.organisationDomains()).containsExactly("mailsec.test");
        assertThat(s.templates())
                .containsOnlyKeys("encrypt-only", "do-not-forward", "confidential-30d");
        assertThat(s.template("encrypt-only").rights()).containsExactlyInAnyOrder(Right.values());
        assertThat(s.template("do-not-forward").rights())
                .containsExactlyInAnyOrder(Right.VIEW, Right.REPLY, Right.REPLY_ALL);
        assertThat(s.template("confidential-30d").expiry()).contains(Duration.ofDays(30));
        assertThat(s.portalUrl().toString()).isEqualTo("http://127.0.0.1:8090");
        assertThat(s.portal().smtpPort()).isEqualTo(2525);
        assertThat(s.portal().passcodeTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.portal().maxWrongAttempts()).isEqualTo(5);
        assertThat(s.portal().lockout()).isEqualTo(Duration.ofHours(1));
        assertThat(s.portal().passcodesPerAddressPerHour()).isEqualTo(5);
        assertThat(s.portal().passcodesPerClientPerHour()).isEqualTo(20);
        assertThat(s.portal().sessionTtl()).isEqualTo(Duration.ofMinutes(30));
        assertThat(s.portal().passcodeSender()).isEqualTo("no-reply@mailsec.test");
        // relative to James's working directory (here, with working.directory unset, the current
        // directory)
        assertThat(s.storeUrl())
                .isEqualTo("file:" + Paths.get("var/mailsec/rights").toAbsolutePath());
        assertThat(s.dkmConfig()).isEqualTo(Paths.get("conf/dkm.properties").toAbsolutePath());
        assertThat(s.subjectMode()).isEqualTo(RightsSettings.SubjectMode.KEEP);
        assertThat(s.contentKeySecret()).isEqualTo("rights/content-key");
        assertThat(s.signingKeySecret()).isEqualTo("rights/signing");
        assertThat(s.sessionKeySecret()).isEqualTo("rights/portal-session");
    }

    @Test
    void
            builtInTemplatesShouldExistWhenNoneAreConfiguredAndRelativePathsResolveAgainstTheJamesHome() {
        RightsSettings s =
                parse("<store url=\"file:state/r\"/><dkm config=\"keys/dkm.properties\"/>");
        assertThat(s.templates()).containsOnlyKeys("encrypt-only", "do-not-forward");
        assertThat(s.storeUrl()).isEqualTo("file:/opt/james/state/r");
        assertThat(s.dkmConfig()).isEqualTo(Paths.get("/opt/james/keys/dkm.properties"));
        assertThat(parse("<store url=\"file://var/r\"/>").storeUrl())
                .isEqualTo("file:/opt/james/var/r");
        assertThat(
                        parse(
                                        "<store url=\"file:///srv/r\"/><dkm config=\"file:///etc/d.properties\"/>")
                                .storeUrl())
                .isEqualTo("file:/srv/r");
        assertThat(parse("").storeUrl()).isEqualTo("file:/opt/james/var/mailsec/rights");
        assertThat(parse("").dkmConfig()).isEqualTo(Paths.get("/opt/james/conf/dkm.properties"));
        assertThat(s.storeSchema()).isEqualTo("mailsec_rights");
        assertThat(s.organisationDomains()).containsExactly("mailsec.test");
    }

    @Test
    void loadShouldResolveInnerPathsAgainstWorkingDirectoryNotTheFilesFolder(@TempDir Path tmp)
            throws Exception {
        // issue 14 item 4: rights.xml in HOME/conf named its store relative to conf/, unlike every
        // other path
        Path conf = Files.createDirectories(tmp.resolve("home/conf"));
        Files.writeString(
                conf.resolve("rights.xml"),
                "<rights><issuer>mailsec.test</issuer>"
                        + "<store url=\"file://var/mailsec/rights\"/><dkm config=\"conf/portal-dkm.properties\"/></rights>");
        String saved = System.getProperty("working.directory");
        System.setProperty("working.directory", tmp.resolve("home").toString());
        try {
            RightsSettings s = RightsSettings.load(conf.resolve("rights.xml"));
            assertThat(s.storeUrl()).isEqualTo("file:" + tmp.resolve("home/var/mailsec/rights"));
            assertThat(s.dkmConfig()).isEqualTo(tmp.resolve("home/conf/portal-dkm.properties"));
        } finally {
            if (saved == null) {
                System.clearProperty("working.directory");
            } else {
                System.setProperty("working.directory", saved);
            }
        }
    }

    @Test
    void garbagePathsShouldBeRejectedNamingTheElement() {
        assertRejected("<store url=\"file://\"/>", "<store> url", "'file://'");
        assertRejected(
                "<dkm config=\"http://x/dkm.properties\"/>",
                "<dkm> config",
                "'http://x/dkm.properties'");
    }

    @Test
    void aTemplateShouldAlwaysGrantViewAndMayRedefineABuiltIn() {
        RightsSettings s =
                parse(
                        "<templates><template name=\"do-not-forward\" rights=\"reply\"/></templates>");
        assertThat(s.template("do-not-forward").rights())
                .containsExactlyInAnyOrder(Right.VIEW, Right.REPLY);
        assertThat(s.template("DO-NOT-FORWARD").allows(Right.FORWARD)).isFalse();
    }

    @Test
    void validationErrorsShouldNameTheFieldAndTheBadValue() {
        assertRejected(
                "<templates><template name=\"x\" rights=\"view,copy\"/></templates>",
                "template x rights",
                "'copy'");
        assertRejected(
                "<templates><template name=\"x\" rights=\"view\" expiry=\"30 days\"/></templates>",
                "template x expiry",
                "'30 days'");
        assertRejected(
                "<templates><template name=\"x\" rights=\"view\" expiry=\"-P1D\"/></templates>",
                "expiry",
                "'-P1D'");
        assertRejected(
                "<templates><template name=\"Bad Name\" rights=\"view\"/></templates>",
                "template name",
                "'Bad Name'");
        assertRejected(
                "<templates><template name=\"x\" rights=\"view\"/><template name=\"x\" rights=\"view\"/></templates>",
                "template name",
                "'x'",
                "twice");
        assertRejected(
                "<templates><template rights=\"view\"/></templates>",
                "<template> name",
                "required");
        assertRejected("<portal port=\"80000\"/>", "portal port", "'80000'");
        assertRejected("<portal smtpPort=\"x\"/>", "<portal> smtpPort", "'x'");
        assertRejected("<portal url=\"ftp://h\"/>", "<portal> url", "'ftp://h'");
        assertRejected("<portal passcodeTtl=\"10m\"/>", "<portal> passcodeTtl", "'10m'");
        assertRejected("<portal maxAttempts=\"0\"/>", "portal maxAttempts", "'0'");
        assertRejected("<portal colour=\"red\"/>", "<portal> colour", "unknown attribute");
        assertRejected("<portal passcodeSender=\"nobody\"/>", "portal passcodeSender", "'nobody'");
        assertRejected("<store url=\"mysql://db\"/>", "<store> url", "'mysql://db'");
        assertRejected(
                "<store url=\"jdbc:postgresql://db/x\" schema=\"Drop Table\"/>",
                "<store> schema",
                "'Drop Table'");
        assertRejected("<subject mode=\"hide\"/>", "<subject> mode", "'hide'");
        assertRejected("<keys signingKey=\"bad key\"/>", "<keys> signingKey", "'bad key'");
        assertRejected(
                "<organisationDomains>mailsec.test, not_a domain!</organisationDomains>",
                "<organisationDomains>",
                "'not_a'");
        assertRejected("<portals/>", "<portals>", "unknown element");
        assertThatThrownBy(
                        () ->
                                RightsSettings.parse(
                                        new ByteArrayInputStream(
                                                "<rights><issuer>a b</issuer></rights>"
                                                        .getBytes(StandardCharsets.UTF_8)),
                                        BASE))
                .hasMessageContaining("<issuer>")
                .hasMessageContaining("'a b'");
        assertThatThrownBy(
                        () ->
                                RightsSettings.parse(
                                        new ByteArrayInputStream(
                                                "<rights/>".getBytes(StandardCharsets.UTF_8)),
                                        BASE))
                .hasMessageContaining("<issuer>: required");
    }

    @Test
    void anUnknownTemplateShouldBeRejectedNamingTheKnownOnes() {
        assertThatThrownBy(() -> parse("").template("secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'secret'")
                .hasMessageContaining("encrypt-only, do-not-forward");
    }

    @Test
    void externalEntitiesShouldBeRefused() {
        String xml =
                "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                        + "<rights><issuer>&x;</issuer></rights>";
        assertThatThrownBy(
                        () ->
                                RightsSettings.parse(
                                        new ByteArrayInputStream(
                                                xml.getBytes(StandardCharsets.UTF_8)),
                                        BASE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not well-formed");
    }

    @Test
    void rightTokensShouldParseBothWays() {
        for (Right r : Right.values()) {
            assertThat(Right.parse(" " + r.token().toUpperCase() + " ")).isEqualTo(r);
        }
        assertThatThrownBy(() -> Right.parse("copy")).hasMessageContaining("'copy'");
        assertThat(RightsTemplate.DO_NOT_FORWARD.tokens()).isEqualTo("view,reply,reply-all");
    }

    @Test
    void insideOrganisationShouldCompareTheDomainCaseInsensitively() {
        RightsSettings s =
                parse("<organisationDomains>mailsec.test corp.test</organisationDomains>");
        assertThat(s.isInsideOrganisation("Bob@MAILSEC.test")).isTrue();
        assertThat(s.isInsideOrganisation("<x@corp.test>")).isTrue();
        assertThat(s.isInsideOrganisation("carol@external.test")).isFalse();
        assertThat(s.isInsideOrganisation("carol@sub.mailsec.test")).isFalse();
        assertThat(s.portalLink("abc")).isEqualTo("http://127.0.0.1:8090/m/abc");
    }
}
