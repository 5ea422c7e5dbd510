package dev.mailsec.mailets.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.dkmclient.DkmClients;
import dev.mailsec.mailets.dkm.TestDkmStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigurationCheckTest {

    @TempDir Path home;

    private List<String> check(String processors) throws Exception {
        return check(processors, new ArrayList<>());
    }

    private List<String> check(String processors, List<Map<String, String>> mailets)
            throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(
                home.resolve("conf/mailetcontainer.xml"),
                "<?xml version=\"1.0\"?>\n<mailetcontainer>"
                        + "<processors>"
                        + processors
                        + "</processors></mailetcontainer>");
        Files.writeString(
                home.resolve("conf/smtpserver.xml"),
                "<smtpservers><smtpserver><jmxName>s</jmxName>"
                        + "<handlerchain><handler class=\"org.apache.james.smtpserver.CoreCmdHandlerLoader\"/></handlerchain>"
                        + "</smtpserver></smtpservers>");
        return run(mailets);
    }

    private List<String> run(List<Map<String, String>> mailets) {
        List<String> lines = new ArrayList<>();
        ConfigurationCheck.run(home, mailets, lines::add);
        return lines;
    }

    @Test
    void packMailetsShouldBeInitialisedWithTheirParametersAndOthersLeftToJames() throws Exception {
        List<Map<String, String>> mailets = new ArrayList<>();
        List<String> lines =
                check(
                        "<processor state=\"root\">"
                                + "<mailet match=\"All\" class=\"ToProcessor\"><processor>transport</processor></mailet>"
                                + "<mailet match=\"All\" class=\"dev.mailsec.mailets.AddTlsTrace\"><headerName>X-Tls</headerName></mailet>"
                                + "<mailet match=\"All\" class=\"dev.mailsec.mailets.HoldInRepository\">"
                                + "<repositoryPath>file://var/mail/held/</repositoryPath></mailet>"
                                + "</processor>",
                        mailets);

        assertThat(lines)
                .containsExactly(
                        "ok read conf/mailetcontainer.xml",
                        "ok mailet root/AddTlsTrace",
                        "ok mailet root/HoldInRepository",
                        "ok read conf/smtpserver.xml");
        assertThat(mailets)
                .containsExactly(
                        Map.of(
                                "headerName",
                                "X-Tls",
                                "class",
                                "dev.mailsec.mailets.AddTlsTrace",
                                "processor",
                                "root"),
                        Map.of(
                                "repositoryPath",
                                "file://var/mail/held/",
                                "class",
                                "dev.mailsec.mailets.HoldInRepository",
                                "processor",
                                "root"));
    }

    @Test
    void aMisspeltParameterShouldBeNamedAsTheMailetsInitNamesIt() throws Exception {
        List<String> lines =
                check(
                        "<processor state=\"relay\">"
                                + "<mailet match=\"All\" class=\"dev.mailsec.mailets.AddTlsTrace\"><headerNmae>X-Tls</headerNmae></mailet>"
                                + "<mailet match=\"All\" class=\"dev.mailsec.mailets.AddTlsTrace\"><headerName>X-Tls</headerName></mailet>"
                                + "</processor>");

        assertThat(lines)
                .filteredOn(l -> l.startsWith("error "))
                .singleElement()
                .asString()
                .startsWith("error mailet relay/AddTlsTrace: ")
                .contains("headerNmae");
        assertThat(lines).contains("ok mailet relay/AddTlsTrace#2");
    }

    @Test
    void aPackClassThatDoesNotExistShouldBeNamedForMailetsAndMatchers() throws Exception {
        List<String> lines =
                check(
                        "<processor state=\"root\">"
                                + "<matcher name=\"both\" match=\"org.apache.james.mailetcontainer.impl.matchers.And\">"
                                + "<matcher match=\"dev.mailsec.matchers.IsReceivedOverTsl=TLSv1.2\"/></matcher>"
                                + "<mailet match=\"both\" class=\"dev.mailsec.mailets.AddTlsTrce\"/>"
                                + "</processor>");

        assertThat(lines)
                .contains(
                        "error matcher root/IsReceivedOverTsl=TLSv1.2: no class dev.mailsec.matchers.IsReceivedOverTsl in "
                                + "extensions-jars/ (misspelt, or from another version of the pack?)",
                        "error mailet root/AddTlsTrce: no class dev.mailsec.mailets.AddTlsTrce in extensions-jars/ (misspelt, "
                                + "or from another version of the pack?)");
    }

    @Test
    void aProcessorTheMailetSendsMailToThatDoesNotExistShouldBeAnError() throws Exception {
        List<String> lines =
                check(
                        "<processor state=\"root\">"
                                + "<mailet match=\"All\" class=\"dev.mailsec.mailets.HoldInRepository\">"
                                + "<repositoryPath>file://var/mail/held/</repositoryPath><onMailetException>held-errors</onMailetException>"
                                + "</mailet></processor><processor state=\"error\"/>");

        assertThat(lines)
                .contains(
                        "error mailet root/HoldInRepository: it sends mail to processor(s) 'held-errors', "
                                + "which conf/mailetcontainer.xml does not define, so James would refuse to start");
    }

    @Test
    void aMissingConfigurationFileShouldBeAnError() throws Exception {
        List<String> lines = run(new ArrayList<>());

        assertThat(lines)
                .containsExactly(
                        "error read conf/mailetcontainer.xml: no such file: "
                                + home.toAbsolutePath().resolve("conf/mailetcontainer.xml"),
                        "error read conf/smtpserver.xml: no such file: "
                                + home.toAbsolutePath().resolve("conf/smtpserver.xml"));
    }

    @Test
    void aRolloverConfigShouldBeValidated() throws Exception {
        try (TestDkmStore store = TestDkmStore.create(home.resolve("dkm"), "PT0S")) {
            Path admin = home.resolve("dkm/admin-dkm.properties");

            List<String> lines =
                    check(
                            "<processor state=\"relay\">"
                                    + "<mailet match=\"All\" class=\"dev.mailsec.mailets.dkim.SignDkim\">"
                                    + "<dkmConfig>"
                                    + store.properties
                                    + "</dkmConfig><rolloverConfig>"
                                    + admin
                                    + "</rolloverConfig>"
                                    + "</mailet><mailet match=\"All\" class=\"dev.mailsec.mailets.dkim.SignDkim\">"
                                    + "<dkmConfig>"
                                    + store.properties
                                    + "</dkmConfig><rolloverConfig>"
                                    + store.properties
                                    + "</rolloverConfig></mailet></processor>");

            assertThat(lines).contains("ok mailet relay/SignDkim");
            assertThat(lines)
                    .filteredOn(l -> l.startsWith("error mailet relay/SignDkim#2: "))
                    .singleElement()
                    .asString()
                    .contains("rolloverConfig")
                    .contains("rootKey");
            assertThat(DkmClients.rolloverRunning(admin)).as("nothing left running").isFalse();
        } finally {
            DkmClients.closeAll();
        }
    }

    @Test
    void aConnectorsClientCertificateMissingFromDkmShouldBeReportedNamingConnectorAndField()
            throws Exception {
        try (TestDkmStore store = TestDkmStore.create(home.resolve("dkm"), "PT0S")) {
            Path connectors =
                    Files.writeString(
                            home.resolve("connectors.xml"),
                            "<connectors><outbound name=\"bank\"><recipientDomain>bank.test</recipientDomain>"
                                    + "<smartHost>relay.bank.test:25</smartHost>"
                                    + "<tls level=\"required\" clientCertificate=\"dkm:tls/missing\"/>"
                                    + "</outbound></connectors>");

            List<String> lines =
                    check(
                            "<processor state=\"relay\">"
                                    + "<mailet match=\"All\" class=\"dev.mailsec.mailets.connector.ConnectorRemoteDelivery\">"
                                    + "<connector>bank</connector><connectors>"
                                    + connectors
                                    + "</connectors><dkmConfig>"
                                    + store.properties
                                    + "</dkmConfig><outgoing>outgoing-connector-bank</outgoing>"
                                    + "<bounceProcessor>bounces</bounceProcessor><startTLS>true</startTLS>"
                                    + "<mail.smtp.starttls.required>true</mail.smtp.starttls.required>"
                                    + "<mail.smtp.ssl.socketFactory.class>dev.mailsec.tls.connector.ConnectorSocketFactory"
                                    + "</mail.smtp.ssl.socketFactory.class>"
                                    + "</mailet></processor><processor state=\"bounces\"/>");

            assertThat(lines)
                    .filteredOn(l -> l.startsWith("error mailet relay/ConnectorRemoteDelivery: "))
                    .singleElement()
                    .asString()
                    .contains("outbound connector 'bank': clientCertificate: dkm:tls/missing: ");
        } finally {
            DkmClients.closeAll();
        }
    }

    @Test
    void checkingShouldLeaveTheWorkingDirectoryAsItWas() throws Exception {
        String before = System.getProperty("working.directory");

        check("<processor state=\"root\"/>");

        assertThat(System.getProperty("working.directory")).isEqualTo(before);
    }
}
