package dev.mailsec.tls.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every connector a connectors file declares is enforced by James's configuration, or the check
 * names it.
 */
class ConnectorRoutesTest {

    private static final String STRICT =
            "  <outbound name=\"strict\">\n"
                    + "    <recipientDomain>strict.test</recipientDomain>\n"
                    + "    <tls level=\"required\"/>\n"
                    + "  </outbound>\n";
    private static final String PARTNER_IN =
            "  <inbound name=\"partner\">\n"
                    + "    <senderDomain>partner.test</senderDomain>\n"
                    + "    <requires tls=\"true\"/>\n"
                    + "  </inbound>\n";
    private static final String ROUTE =
            "<mailet match=\"dev.mailsec.matchers.connector.RecipientConnectorIs=strict\" "
                    + "class=\"ToProcessor\"><processor>connector-strict</processor></mailet>";
    private static final String HOOK =
            "<handler class=\"dev.mailsec.smtp.connector.EnforceInboundConnectors\">"
                    + "<connectors>file://conf/connectors.xml</connectors></handler>";

    @TempDir Path james;

    @Test
    void theSampleConfigurationShouldEnforceEveryConnectorItDeclares() throws Exception {
        Path repository = Paths.get("..").toAbsolutePath().normalize();
        Path connectorsFile = repository.resolve("conf/connectors.xml");

        assertThat(
                        ConnectorRoutes.problems(
                                ConnectorsFile.load(connectorsFile), connectorsFile, repository))
                .isEmpty();
    }

    @Test
    void anOutboundConnectorAddedToTheSampleShouldBeServedByItsGenericRouteAsReadmeStep4Says()
            throws Exception {
        Path repository = Paths.get("..").toAbsolutePath().normalize();
        Path conf = Files.createDirectories(james.resolve("conf"));
        for (String name : new String[] {"mailetcontainer.xml", "smtpserver.xml"}) {
            Files.copy(repository.resolve("conf").resolve(name), conf.resolve(name));
        }
        Path file = conf.resolve("connectors.xml");
        Files.writeString(
                file,
                Files.readString(repository.resolve("conf/connectors.xml"))
                        .replace("</connectors>", STRICT + "</connectors>"));
        assertThat(ConnectorRoutes.problems(ConnectorsFile.load(file), file, james)).isEmpty();

        Files.writeString(
                file,
                Files.readString(file)
                        .replace(
                                "</connectors>",
                                "<outbound name=\"sts\"><recipientDomain>*</recipientDomain><tls level=\"mta-sts\"/></outbound></connectors>"));
        assertThat(ConnectorRoutes.problems(ConnectorsFile.load(file), file, james))
                .singleElement()
                .asString()
                .contains("outbound connector 'sts'");
    }

    @Test
    void anOutboundConnectorWithoutARouteShouldBeNamed() throws Exception {
        Path file = write(STRICT, "", HOOK, HOOK);

        assertThatThrownBy(
                        () ->
                                ConnectorRoutes.requireEnforced(
                                        ConnectorsFile.load(file), file, james))
                .isInstanceOf(InvalidConnectorsException.class)
                .hasMessageContaining("outbound connector 'strict'")
                .hasMessageContaining("has no route")
                .hasMessageContaining("RecipientConnectorIs=strict");
    }

    @Test
    void aRoutedOutboundConnectorShouldPass() throws Exception {
        Path file = write(STRICT, ROUTE, HOOK, HOOK);

        assertThat(ConnectorRoutes.problems(ConnectorsFile.load(file), file, james)).isEmpty();
    }

    @Test
    void aRouteForAnotherConnectorsFileShouldNotCount() throws Exception {
        Path file =
                write(
                        STRICT,
                        ROUTE.replace("=strict", "=strict,file:///elsewhere/connectors.xml"),
                        HOOK,
                        HOOK);

        assertThat(ConnectorRoutes.problems(ConnectorsFile.load(file), file, james))
                .singleElement()
                .asString()
                .contains("outbound connector 'strict'");
    }

    @Test
    void aRouteInsideACompositeMatcherShouldCount() throws Exception {
        Path file =
                write(
                        STRICT,
                        "<matcher name=\"to-strict\" match=\"org.apache.james.mailetcontainer.impl.matchers.And\">"
                                + "<matcher match=\"dev.mailsec.matchers.connector.RecipientConnectorIs=strict\"/>"
                                + "<matcher match=\"All\"/></matcher>",
                        HOOK,
                        HOOK);

        assertThat(ConnectorRoutes.problems(ConnectorsFile.load(file), file, james)).isEmpty();
    }

    @Test
    void theGenericRouteShouldServeEveryConnectorButMtaSts() throws Exception {
        String generic =
                "<mailet match=\"dev.mailsec.matchers.connector.RecipientConnectorIs=*\" class=\"ToProcessor\">"
                        + "<processor>connectors-outbound</processor></mailet>"
                        + "<mailet match=\"All\" class=\"dev.mailsec.mailets.connector.ConnectorsRemoteDelivery\">"
                        + "<bounceProcessor>bounces</bounceProcessor></mailet>";
        Path file =
                write(
                        STRICT
                                + "  <outbound name=\"sts\"><recipientDomain>*</recipientDomain>"
                                + "<tls level=\"mta-sts\"/></outbound>\n",
                        generic,
                        HOOK,
                        HOOK);

        assertThat(ConnectorRoutes.problems(ConnectorsFile.load(file), file, james))
                .singleElement()
                .asString()
                .contains("outbound connector 'sts'")
                .doesNotContain("'strict'");
    }

    @Test
    void aDaneConnectorShouldNeedItsOwnRouteNotTheGenericOne() throws Exception {
        String generic =
                "<mailet match=\"dev.mailsec.matchers.connector.RecipientConnectorIs=*\" class=\"ToProcessor\">"
                        + "<processor>connectors-outbound</processor></mailet>"
                        + "<mailet match=\"All\" class=\"dev.mailsec.mailets.connector.ConnectorsRemoteDelivery\">"
                        + "<bounceProcessor>bounces</bounceProcessor></mailet>";
        String dane =
                "  <dane resolver=\"127.0.0.1\"/>\n"
                        + "  <outbound name=\"dane\"><recipientDomain>*</recipientDomain>"
                        + "<tls level=\"dane\"/></outbound>\n";
        Path file = write(dane, generic, HOOK, HOOK);

        assertThat(ConnectorRoutes.problems(ConnectorsFile.load(file), file, james))
                .singleElement()
                .asString()
                .contains("outbound connector 'dane'")
                .contains("has no route")
                .doesNotContain("or the generic route");

        Path routed = write(dane, generic + ROUTE.replace("strict", "dane"), HOOK, HOOK);
        assertThat(ConnectorRoutes.problems(ConnectorsFile.load(routed), routed, james)).isEmpty();
    }

    @Test
    void theGenericMatcherWithoutItsDeliveryShouldNotCount() throws Exception {
        Path file =
                write(
                        STRICT,
                        "<mailet match=\"dev.mailsec.matchers.connector.RecipientConnectorIs=*\" "
                                + "class=\"ToProcessor\"><processor>relay</processor></mailet>",
                        HOOK,
                        HOOK);

        assertThat(ConnectorRoutes.problems(ConnectorsFile.load(file), file, james))
                .singleElement()
                .asString()
                .contains("outbound connector 'strict'");
    }

    @Test
    void anInboundConnectorWithRequirementsShouldNeedTheHookInEverySmtpServer() throws Exception {
        Path file = write(PARTNER_IN, "", HOOK, "");

        assertThatThrownBy(
                        () ->
                                ConnectorRoutes.requireEnforced(
                                        ConnectorsFile.load(file), file, james))
                .hasMessageContaining("inbound connector(s) 'partner'")
                .hasMessageContaining("SMTP server 'smtp-2'")
                .hasMessageContaining(
                        "has no dev.mailsec.smtp.connector.EnforceInboundConnectors handler")
                .hasMessageNotContaining("'smtp-1'");
    }

    @Test
    void aHookReadingAnotherFileShouldNotCount() throws Exception {
        String other = HOOK.replace("file://conf/connectors.xml", "/elsewhere/connectors.xml");
        Path file = write(PARTNER_IN, "", other, other);

        assertThat(ConnectorRoutes.problems(ConnectorsFile.load(file), file, james)).hasSize(2);
    }

    @Test
    void aDisabledSmtpServerAndALabellingConnectorShouldNeedNothing() throws Exception {
        Path labelling =
                write(
                        "<inbound name=\"friend\"><senderDomain>friend.test</senderDomain></inbound>",
                        "",
                        "",
                        "");
        assertThat(ConnectorRoutes.problems(ConnectorsFile.load(labelling), labelling, james))
                .isEmpty();

        Path file = write(PARTNER_IN, "", HOOK, "");
        Path smtp = james.resolve("conf/smtpserver.xml");
        Files.writeString(
                smtp,
                Files.readString(smtp)
                        .replace(
                                "<smtpserver enabled=\"true\"><jmxName>smtp-2",
                                "<smtpserver enabled=\"false\"><jmxName>smtp-2"));
        assertThat(ConnectorRoutes.problems(ConnectorsFile.load(file), file, james)).isEmpty();
    }

    @Test
    void aMissingJamesFileShouldBeAProblemNotASilentPass() throws Exception {
        Path file = write(STRICT, ROUTE, HOOK, HOOK);
        Files.delete(james.resolve("conf/mailetcontainer.xml"));

        assertThat(ConnectorRoutes.problems(ConnectorsFile.load(file), file, james))
                .singleElement()
                .asString()
                .contains("'strict'")
                .contains("no such file");
    }

    /**
     * Writes conf/connectors.xml, conf/mailetcontainer.xml (relay holding {@code steps}) and two
     * SMTP servers.
     */
    private Path write(String connectors, String steps, String hook1, String hook2)
            throws Exception {
        Path conf = Files.createDirectories(james.resolve("conf"));
        Path file = conf.resolve("connectors.xml");
        Files.writeString(
                file, "<connectors>\n" + connectors + "</connectors>\n", StandardCharsets.UTF_8);
        Files.writeString(
                conf.resolve("mailetcontainer.xml"),
                "<?xml version=\"1.0\"?>\n<mailetcontainer><processors>"
                        + "<processor state=\"relay\">"
                        + steps
                        + "<mailet match=\"All\" class=\"RemoteDelivery\"/></processor>"
                        + "</processors></mailetcontainer>\n",
                StandardCharsets.UTF_8);
        Files.writeString(
                conf.resolve("smtpserver.xml"),
                "<smtpservers>"
                        + "<smtpserver enabled=\"true\"><jmxName>smtp-1</jmxName><handlerchain>"
                        + hook1
                        + "</handlerchain></smtpserver>"
                        + "<smtpserver enabled=\"true\"><jmxName>smtp-2</jmxName><handlerchain>"
                        + hook2
                        + "</handlerchain></smtpserver>"
                        + "</smtpservers>\n",
                StandardCharsets.UTF_8);
        return file;
    }
}
