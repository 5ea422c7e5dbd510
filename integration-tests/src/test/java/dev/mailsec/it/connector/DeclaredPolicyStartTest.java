package dev.mailsec.it.connector;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.it.harness.JamesExtension;
import dev.mailsec.it.harness.JamesHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connector the configuration would not enforce stops a real James 3.8.1 from starting, naming
 * it, instead of being silently ignored (issue 14, item 10): an {@code <outbound>} connector added
 * to the connectors file without its {@code RecipientConnectorIs} route (its mail would leave by
 * the general RemoteDelivery, in clear when the partner offers no STARTTLS), and an {@code
 * <inbound>} connector requiring TLS while an SMTP server lacks the {@code
 * EnforceInboundConnectors} hook. Binds no fixed port.
 */
class DeclaredPolicyStartTest {

    @TempDir Path workingDirectory;

    @TempDir Path connectorsDirectory;

    @Test
    void outboundConnectorWithoutRouteShouldStopTheStartNamingIt() throws Exception {
        Path connectors =
                connectors(
                        ""
                                + "  <outbound name=\"strict\">\n"
                                + "    <recipientDomain>strict.test</recipientDomain>\n"
                                + "    <smartHost>localhost:2</smartHost>\n"
                                + "    <tls level=\"required\"/>\n"
                                + "  </outbound>\n");
        JamesExtension.Builder builder =
                JamesExtension.builder()
                        .rootMailets(checkInboundConnector(connectors))
                        .extraProcessors(violationProcessor());

        assertThatThrownBy(() -> startAndClose(builder))
                .hasStackTraceContaining(
                        "CheckInboundConnector: outbound connector 'strict' of " + connectors)
                .hasStackTraceContaining("has no route")
                .hasStackTraceContaining("RecipientConnectorIs=strict");
    }

    @Test
    void outboundConnectorWithoutRouteShouldStopTheStartThroughTheHookToo() throws Exception {
        Path connectors =
                connectors(
                        ""
                                + "  <outbound name=\"strict\">\n"
                                + "    <recipientDomain>strict.test</recipientDomain>\n"
                                + "    <tls level=\"required\"/>\n"
                                + "  </outbound>\n");
        JamesExtension.Builder builder =
                JamesExtension.builder().extraSmtpHandlers(hook(connectors));

        assertThatThrownBy(() -> startAndClose(builder))
                .hasStackTraceContaining("EnforceInboundConnectors: outbound connector 'strict'")
                .hasStackTraceContaining("has no route");
    }

    @Test
    void inboundConnectorRequiringTlsWithoutTheHookShouldStopTheStartNamingIt() throws Exception {
        Path connectors =
                connectors(
                        ""
                                + "  <inbound name=\"partner\">\n"
                                + "    <senderDomain>partner.test</senderDomain>\n"
                                + "    <requires tls=\"true\" minimumProtocol=\"TLSv1.2\"/>\n"
                                + "  </inbound>\n");
        JamesExtension.Builder builder =
                JamesExtension.builder()
                        .rootMailets(checkInboundConnector(connectors))
                        .extraProcessors(violationProcessor());

        assertThatThrownBy(() -> startAndClose(builder))
                .hasStackTraceContaining(
                        "inbound connector(s) 'partner' of "
                                + connectors
                                + " require TLS, but SMTP server 'smtp-starttls'")
                .hasStackTraceContaining(
                        "has no dev.mailsec.smtp.connector.EnforceInboundConnectors handler");
    }

    private Path connectors(String body) throws Exception {
        Path file = connectorsDirectory.resolve("connectors.xml");
        Files.write(
                file,
                ("<connectors>\n" + body + "</connectors>\n").getBytes(StandardCharsets.UTF_8));
        return file;
    }

    private static String checkInboundConnector(Path connectors) {
        return "<mailet match=\"All\" class=\"dev.mailsec.mailets.connector.CheckInboundConnector\">\n"
                + "  <connectors>"
                + connectors
                + "</connectors>\n"
                + "  <violationProcessor>connector-violation</violationProcessor>\n"
                + "</mailet>\n";
    }

    private static String hook(Path connectors) {
        return "<handler class=\"dev.mailsec.smtp.connector.EnforceInboundConnectors\"><connectors>"
                + connectors
                + "</connectors></handler>";
    }

    private static String violationProcessor() {
        return "<processor state=\"connector-violation\" enableJmx=\"false\">\n"
                + "  <mailet match=\"All\" class=\"Null\"/>\n"
                + "</processor>\n";
    }

    private void startAndClose(JamesExtension.Builder builder) throws Exception {
        try (JamesHarness started = builder.start(workingDirectory)) {
            throw new AssertionError(
                    "James started although a declared connector is not enforced: "
                            + started.imapPort());
        }
    }
}
