package dev.mailsec.cli.rights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.cli.MailsecCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./mailsec portal}: refusals before anything listens (starting is covered by
 * DistributionSmokeTest).
 */
class PortalCommandTest {
    @TempDir Path tmp;
    String err;

    int run(String... args) {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            return MailsecCommand.execute(args);
        } finally {
            System.setErr(oldErr);
            err = e.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void aMissingConfigurationIsBadInputNamingTheFile() {
        assertThat(run("portal", "--config", tmp.resolve("nope.xml").toString())).isEqualTo(2);
        assertThat(err).contains("--config").contains("nope.xml").doesNotContain("Exception");
    }

    @Test
    void aBadPortalPortIsBadInputNamingTheAttributeAndValue() throws Exception {
        Path xml = tmp.resolve("rights.xml");
        Files.writeString(
                xml,
                "<rights><issuer>mailsec.test</issuer><organisationDomains>mailsec.test</organisationDomains>"
                        + "<portal url=\"http://127.0.0.1:8090\" port=\"99999\"/><store url=\"file:state\"/></rights>");
        assertThat(run("portal", "--config", xml.toString())).isEqualTo(2);
        assertThat(err).contains("port").contains("99999").doesNotContain("\tat ");
    }

    @Test
    void aMissingPortalCredentialIsBadInputNamingTheFile() throws Exception {
        // --james-home: conf/rights.xml, its default conf/dkm.properties and the relative identity
        // inside that are
        // all found in the James home, not in the current directory (docs/paths.md)
        Path conf = Files.createDirectories(tmp.resolve("conf"));
        Files.writeString(
                conf.resolve("dkm.properties"),
                "store=jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2\n"
                        + "identity=conf/missing.cred\n");
        Files.writeString(
                conf.resolve("rights.xml"),
                "<rights><issuer>mailsec.test</issuer><organisationDomains>mailsec.test"
                        + "</organisationDomains><portal url=\"http://127.0.0.1:8090\" port=\"1\"/><store url=\"file:state\"/></rights>");
        String saved = System.getProperty("working.directory");
        try {
            int code = run("portal", "--james-home", tmp.toString());
            assertThat(code).as(err).isEqualTo(2);
            assertThat(err)
                    .startsWith("portal: ")
                    .contains(conf.resolve("missing.cred").toString())
                    .doesNotContain("\tat ");
        } finally {
            if (saved == null) {
                System.clearProperty("working.directory");
            } else {
                System.setProperty("working.directory", saved);
            }
        }
    }

    @Test
    void aJamesHomeThatIsNoFolderIsBadInput() {
        assertThat(run("portal", "--james-home", tmp.resolve("nope").toString())).isEqualTo(2);
        assertThat(err).contains("--james-home").contains("nope").doesNotContain("Exception");
    }

    @Test
    void theDkmConfigOptionReplacesTheOneRightsXmlNames() throws Exception {
        // rights.xml names James's configuration; --dkm-config names the portal's own, whose
        // credential is missing
        Path xml = tmp.resolve("rights.xml");
        Files.writeString(
                tmp.resolve("dkm.properties"),
                "store=jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2\n"
                        + "identity="
                        + tmp.resolve("james-transport.cred")
                        + "\n");
        Files.writeString(
                tmp.resolve("portal-dkm.properties"),
                "store=jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2\n"
                        + "identity="
                        + tmp.resolve("rights-portal.cred")
                        + "\n");
        Files.writeString(
                xml,
                "<rights><issuer>mailsec.test</issuer><organisationDomains>mailsec.test</organisationDomains>"
                        + "<portal url=\"http://127.0.0.1:8090\" port=\"1\"/><store url=\"file:state\"/></rights>");
        assertThat(
                        run(
                                "portal",
                                "--config",
                                xml.toString(),
                                "--dkm-config",
                                tmp.resolve("portal-dkm.properties").toString()))
                .as(err)
                .isEqualTo(2);
        assertThat(err).contains("rights-portal.cred").doesNotContain("james-transport.cred");
        assertThat(
                        run(
                                "portal",
                                "--config",
                                xml.toString(),
                                "--dkm-config",
                                tmp.resolve("nope.properties").toString()))
                .isEqualTo(2);
        assertThat(err).contains("--dkm-config: no such file: " + tmp.resolve("nope.properties"));
    }
}
