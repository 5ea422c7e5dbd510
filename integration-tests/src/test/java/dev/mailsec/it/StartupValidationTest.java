package dev.mailsec.it;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.it.harness.JamesExtension;
import dev.mailsec.it.harness.JamesHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A wrong parameter of ours stops a real James 3.8.1 from starting, with a message naming it. */
class StartupValidationTest {

    @TempDir Path workingDirectory;

    @Test
    void wrongMatcherConditionShouldFailStartNamingMatcherAndValue() {
        JamesExtension.Builder builder =
                JamesExtension.builder()
                        .rootMailets(
                                "<mailet match=\"dev.mailsec.matchers.IsReceivedOverTls=TLSv9\" class=\"Null\"/>");

        assertThatThrownBy(() -> startAndClose(builder))
                .hasStackTraceContaining("IsReceivedOverTls")
                .hasStackTraceContaining("'TLSv9'");
    }

    @Test
    void badHookParameterValueShouldFailStartNamingParameterAndValue() {
        JamesExtension.Builder builder =
                JamesExtension.builder()
                        .recordTlsFactsHandler(
                                "<handler class=\"dev.mailsec.smtp.RecordTlsFacts\">"
                                        + "<recordPeerCertificate>maybe</recordPeerCertificate></handler>");

        assertThatThrownBy(() -> startAndClose(builder))
                .hasStackTraceContaining(
                        "recordPeerCertificate: must be true or false, got 'maybe'");
    }

    @Test
    void unknownHookParameterShouldFailStartNamingIt() {
        JamesExtension.Builder builder =
                JamesExtension.builder()
                        .recordTlsFactsHandler(
                                "<handler class=\"dev.mailsec.smtp.RecordTlsFacts\">"
                                        + "<recordPeerCert>true</recordPeerCert></handler>");

        assertThatThrownBy(() -> startAndClose(builder))
                .hasStackTraceContaining(
                        "dev.mailsec.smtp.RecordTlsFacts: unknown parameter 'recordPeerCert'");
    }

    @Test
    void unknownMailetParameterShouldFailStartNamingIt() {
        JamesExtension.Builder builder =
                JamesExtension.builder()
                        .rootMailets(
                                "<mailet match=\"All\" class=\"dev.mailsec.mailets.AddTlsTrace\">"
                                        + "<header>X-Tls</header></mailet>");

        assertThatThrownBy(() -> startAndClose(builder))
                .hasStackTraceContaining(
                        "AddTlsTrace: unknown parameter 'header'; known: headerName");
    }

    @Test
    void misspeltRemoteDeliveryParameterShouldFailStartNamingIt() {
        // James's own RemoteDelivery ignores a parameter it does not know; ours must not
        JamesExtension.Builder builder =
                JamesExtension.builder()
                        .rootMailets(
                                "<mailet match=\"All\" class=\"dev.mailsec.mailets.connector.MtaStsRemoteDelivery\">"
                                        + "<mtaSts>enforce</mtaSts><verifyServerIdentiy>true</verifyServerIdentiy></mailet>");

        assertThatThrownBy(() -> startAndClose(builder))
                .hasStackTraceContaining(
                        "MtaStsRemoteDelivery: unknown parameter 'verifyServerIdentiy'; known: ");
    }

    @Test
    void connectorIsNamingNoConnectorOfTheFileShouldFailStartListingThem() throws Exception {
        Path connectors =
                Files.write(
                        workingDirectory.resolve("connectors.xml"),
                        ("<connectors><inbound name=\"partner\">"
                                        + "<senderDomain>partner.test</senderDomain><requires tls=\"true\"/></inbound></connectors>")
                                .getBytes(StandardCharsets.UTF_8));
        JamesExtension.Builder builder =
                JamesExtension.builder()
                        .rootMailets(
                                "<mailet match=\"dev.mailsec.matchers.connector.ConnectorIs=parnter,"
                                        + connectors
                                        + "\" class=\"Null\"/>");

        assertThatThrownBy(() -> startAndClose(builder))
                .hasStackTraceContaining(
                        "ConnectorIs: no inbound connector 'parnter' in "
                                + connectors
                                + "; defined: partner");
    }

    private void startAndClose(JamesExtension.Builder builder) throws Exception {
        try (JamesHarness started = builder.start(workingDirectory)) {
            throw new AssertionError(
                    "James started although its configuration is wrong: " + started.imapPort());
        }
    }
}
