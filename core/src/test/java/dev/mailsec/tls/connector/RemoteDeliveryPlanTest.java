package dev.mailsec.tls.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;

class RemoteDeliveryPlanTest {

    private static OutboundConnector connector(String tls, String extra) throws Exception {
        return ConnectorsFileTest.parse(
                        "<connectors><outbound name=\"bank\"><recipientDomain>bank.test</recipientDomain>"
                                + extra
                                + "<tls "
                                + tls
                                + "/></outbound></connectors>")
                .outbound("bank")
                .orElseThrow();
    }

    @Test
    void verifyShouldRequireStartTlsAndCheckTheServerIdentityWithTheJvmTrustStore()
            throws Exception {
        RemoteDeliveryPlan plan =
                RemoteDeliveryPlan.of(
                        connector(
                                "level=\"verify\" minimumProtocol=\"TLSv1.2\"",
                                "<smartHost>relay.bank.test:2525</smartHost><smartHost>[2001:db8::25]</smartHost>"));

        assertThat(plan.tlsParameters())
                .containsExactly(
                        entry("gateway", "relay.bank.test:2525,[2001:db8::25]:25"),
                        entry("startTLS", "true"),
                        entry("verifyServerIdentity", "true"),
                        entry("mail.smtp.starttls.required", "true"),
                        entry("mail.smtp.ssl.checkserveridentity", "true"),
                        entry("mail.smtp.ssl.protocols", "TLSv1.2 TLSv1.3"));
        assertThat(plan.processorName()).isEqualTo("connector-bank");
        assertThat(plan.queueName()).isEqualTo("outgoing-connector-bank");
    }

    @Test
    void requiredShouldAcceptAnyCertificateButNeverClearText() throws Exception {
        RemoteDeliveryPlan plan = RemoteDeliveryPlan.of(connector("level=\"required\"", ""));

        assertThat(plan.tlsParameters())
                .containsExactly(
                        entry("startTLS", "true"),
                        entry("verifyServerIdentity", "false"),
                        entry("mail.smtp.starttls.required", "true"),
                        entry("mail.smtp.ssl.checkserveridentity", "false"),
                        entry("mail.smtp.ssl.trust", "*"));
    }

    @Test
    void policyDescriptionShouldNameLevelAndMinimum() throws Exception {
        assertThat(
                        connector("level=\"verify\" minimumProtocol=\"TLSv1.2\"", "")
                                .policyDescription())
                .isEqualTo(
                        "verify: STARTTLS required, certificate trusted and issued for the host, TLSv1.2 or newer");
        assertThat(connector("level=\"required\"", "").policyDescription())
                .isEqualTo("required: STARTTLS required, any certificate");
        assertThat(connector("level=\"opportunistic\"", "").policyDescription())
                .isEqualTo("opportunistic: STARTTLS when offered");
    }

    @Test
    void opportunisticShouldNotRequireStartTls() throws Exception {
        assertThat(RemoteDeliveryPlan.of(connector("level=\"opportunistic\"", "")).tlsParameters())
                .containsEntry("mail.smtp.starttls.required", "false")
                .containsEntry("startTLS", "true");
    }

    @Test
    void xmlShouldContainEveryParameterAndTheRoutingStep() throws Exception {
        RemoteDeliveryPlan plan = RemoteDeliveryPlan.of(connector("level=\"verify\"", ""));

        assertThat(plan.processorXml("bounces"))
                .contains("<processor state=\"connector-bank\" enableJmx=\"true\">")
                .contains(
                        "<mailet match=\"All\" class=\"dev.mailsec.mailets.connector.ReportingRemoteDelivery\">")
                .contains("<outgoing>outgoing-connector-bank</outgoing>")
                .contains("<bounceProcessor>bounces</bounceProcessor>")
                .contains("<mail.smtp.starttls.required>true</mail.smtp.starttls.required>");
        assertThat(plan.routingStepXml("file://conf/connectors.xml"))
                .startsWith(
                        "<mailet match=\"dev.mailsec.matchers.connector.RecipientConnectorIs=bank\" class=\"ToProcessor\">")
                .contains("<processor>connector-bank</processor>");
        assertThat(plan.routingStepXml("/etc/james/connectors.xml"))
                .contains("RecipientConnectorIs=bank,/etc/james/connectors.xml");
    }

    @Test
    void everyGeneratedRemoteDeliveryShouldRecordItsSessionsForTlsReports() throws Exception {
        String transport =
                "<mail.smtp.class>dev.mailsec.tls.report.ReportingSmtpTransport</mail.smtp.class>";
        for (OutboundConnector connector :
                new OutboundConnector[] {
                    connector("level=\"opportunistic\"", ""),
                    connector("level=\"required\"", "<smartHost>relay.bank.test</smartHost>"),
                    connector("level=\"verify\" trustStore=\"conf/bank-ca.pem\"", ""),
                    connector("level=\"mta-sts\" fallback=\"opportunistic\"", "")
                }) {
            String xml = RemoteDeliveryPlan.of(connector).processorXml("bounces");
            int mailets = xml.split("RemoteDelivery\">", -1).length - 1;
            assertThat(mailets).as(xml).isPositive();
            assertThat(xml.split(transport, -1).length - 1).as(xml).isEqualTo(mailets);
            assertThat(xml).as(xml).doesNotContain("class=\"RemoteDelivery\"");
        }
    }

    @Test
    void mtaStsShouldRouteEnforcePoliciesToAVerifyingDeliveryAndTheRestToTheFallback()
            throws Exception {
        RemoteDeliveryPlan plan =
                RemoteDeliveryPlan.of(connector("level=\"mta-sts\" fallback=\"required\"", ""));

        assertThat(plan.tlsParameters())
                .containsEntry("mail.smtp.starttls.required", "true")
                .containsEntry("verifyServerIdentity", "false")
                .containsEntry("mail.smtp.ssl.trust", "*");
        assertThat(plan.enforceParameters())
                .containsEntry("mail.smtp.starttls.required", "true")
                .containsEntry("verifyServerIdentity", "true")
                .containsEntry("mail.smtp.ssl.checkserveridentity", "true")
                .doesNotContainKey("mail.smtp.ssl.trust");
        String xml = plan.processorXml("bounces", "1000", "4");
        String first =
                xml.substring(
                        xml.indexOf("<processor state=\"connector-bank\""),
                        xml.indexOf("</processor>"));
        String enforce = xml.substring(xml.indexOf("<processor state=\"connector-bank-mta-sts\""));
        assertThat(first)
                .contains("class=\"dev.mailsec.mailets.connector.RouteByMtaSts\"")
                .contains("<enforceProcessor>connector-bank-mta-sts</enforceProcessor>")
                .contains("class=\"dev.mailsec.mailets.connector.MtaStsRemoteDelivery\"")
                .contains(
                        "<mtaSts>report</mtaSts>\n        <enforceProcessor>connector-bank-mta-sts</enforceProcessor>")
                .contains("<outgoing>outgoing-connector-bank</outgoing>")
                .contains("<maxDnsProblemRetries>0</maxDnsProblemRetries>")
                .contains("<mail.smtp.ssl.trust>*</mail.smtp.ssl.trust>");
        assertThat(enforce)
                .contains("<mtaSts>enforce</mtaSts>")
                .doesNotContain("enforceProcessor")
                .contains("<outgoing>outgoing-connector-bank-mta-sts</outgoing>")
                .contains("<maxRetries>4</maxRetries>")
                .contains("<maxDnsProblemRetries>4</maxDnsProblemRetries>")
                .contains("<verifyServerIdentity>true</verifyServerIdentity>")
                .doesNotContain("mail.smtp.ssl.trust");
        assertThat(plan.routingStepXml("file://conf/connectors.xml"))
                .contains("<processor>connector-bank</processor>");
    }

    private static OutboundConnector daneConnector(String tls) throws Exception {
        return ConnectorsFileTest.parse(
                        "<connectors><dane resolver=\"127.0.0.1\"/>"
                                + "<outbound name=\"bank\"><recipientDomain>bank.test</recipientDomain>"
                                + "<tls "
                                + tls
                                + "/></outbound></connectors>")
                .outbound("bank")
                .orElseThrow();
    }

    private static String processor(String xml, String name) {
        int start = xml.indexOf("<processor state=\"" + name + "\"");
        assertThat(start).as("processor %s in %s", name, xml).isNotNegative();
        return xml.substring(start, xml.indexOf("</processor>", start));
    }

    @Test
    void daneShouldRouteToADaneDeliveryThatTrustsOnlyTlsaAndBackToTheFallback() throws Exception {
        RemoteDeliveryPlan plan =
                RemoteDeliveryPlan.of(
                        daneConnector(
                                "level=\"dane\" fallback=\"required\" minimumProtocol=\"TLSv1.2\""),
                        "file:///etc/james/connectors.xml");

        String xml = plan.processorXml("bounces", "1000", "4");
        String route = processor(xml, "connector-bank");
        String dane = processor(xml, "connector-bank-dane");

        assertThat(route)
                .contains("class=\"dev.mailsec.mailets.connector.RouteByDane\"")
                .contains("<daneProcessor>connector-bank-dane</daneProcessor>")
                .contains("<connectors>file:///etc/james/connectors.xml</connectors>")
                .contains("<dane>fallback</dane>")
                .contains("<outgoing>outgoing-connector-bank</outgoing>")
                .contains("<mail.smtp.starttls.required>true</mail.smtp.starttls.required>")
                .contains("<mail.smtp.ssl.trust>*</mail.smtp.ssl.trust>")
                .doesNotContain("RouteByMtaSts");
        assertThat(route.indexOf("RouteByDane")).isLessThan(route.indexOf("DaneRemoteDelivery"));
        assertThat(dane)
                .contains("class=\"dev.mailsec.mailets.connector.DaneRemoteDelivery\"")
                .contains("<dane>enforce</dane>")
                .contains("<fallbackProcessor>connector-bank</fallbackProcessor>")
                .contains("<outgoing>outgoing-connector-bank-dane</outgoing>")
                .contains("<maxDnsProblemRetries>4</maxDnsProblemRetries>")
                .contains(
                        "<mail.smtp.ssl.socketFactory.class>dev.mailsec.tls.connector.ConnectorSocketFactory</mail.smtp.ssl.socketFactory.class>")
                .contains(
                        "<mail.smtp.class>dev.mailsec.tls.report.ReportingSmtpTransport</mail.smtp.class>")
                .contains(
                        "<mail.smtp.ssl.checkserveridentity>false</mail.smtp.ssl.checkserveridentity>")
                .contains("<mail.smtp.ssl.protocols>TLSv1.2 TLSv1.3</mail.smtp.ssl.protocols>")
                .doesNotContain("mail.smtp.ssl.trust");
        assertThat(plan.daneParameters())
                .containsEntry("startTLS", "true")
                .containsEntry("verifyServerIdentity", "false")
                .containsEntry("mail.smtp.starttls.required", "true");
    }

    @Test
    void daneWithAClientCertificateShouldNameTheConnectorInTheDaneDeliveryOnly() throws Exception {
        RemoteDeliveryPlan plan =
                RemoteDeliveryPlan.of(
                        daneConnector(
                                "level=\"dane\" fallback=\"required\""
                                        + " clientCertificate=\"dkm:tls/bank\""));

        String xml = plan.processorXml("bounces");
        String route = processor(xml, "connector-bank");

        assertThat(processor(xml, "connector-bank-dane"))
                .contains("<dane>enforce</dane>")
                .contains("<connector>bank</connector>");
        // the fallback delivery stays the DANE one (it hands mail back once DANE applies)
        assertThat(route)
                .contains("<dane>fallback</dane>")
                .doesNotContain("ConnectorRemoteDelivery")
                .doesNotContain("<connector>");
    }

    @Test
    void daneWithMtaStsFallbackShouldDecideDaneBeforeMtaSts() throws Exception {
        RemoteDeliveryPlan plan =
                RemoteDeliveryPlan.of(
                        daneConnector(
                                "level=\"dane\" fallback=\"mta-sts\" mtaStsFallback=\"required\""));

        String xml = plan.processorXml("bounces");
        String route = processor(xml, "connector-bank");

        // RFC 8461 section 2: DANE first
        assertThat(route.indexOf("RouteByDane")).isLessThan(route.indexOf("RouteByMtaSts"));
        assertThat(route)
                .contains("<mtaSts>report</mtaSts>")
                .contains("<mail.smtp.starttls.required>true</mail.smtp.starttls.required>");
        assertThat(processor(xml, "connector-bank-mta-sts")).contains("<mtaSts>enforce</mtaSts>");
        assertThat(processor(xml, "connector-bank-dane")).contains("<dane>enforce</dane>");
    }

    @Test
    void mtaStsPolicyDescriptionShouldNameTheFallback() throws Exception {
        assertThat(connector("level=\"mta-sts\"", "").policyDescription())
                .startsWith(
                        "mta-sts: the recipient domain's MTA-STS policy; in enforce mode only the MX hosts it lists")
                .endsWith("without an enforce policy opportunistic: STARTTLS when offered");
    }

    @Test
    void ownTrustShouldUseTheConnectorSocketFactoryInsteadOfJavaMailsNameCheck() throws Exception {
        RemoteDeliveryPlan plan =
                RemoteDeliveryPlan.of(
                        connector(
                                "level=\"verify\" trustStore=\"conf/bank-ca.pem\"",
                                "<smartHost>relay.bank.test</smartHost>"),
                        "file:///etc/james/connectors.xml");

        assertThat(plan.tlsParameters())
                .containsEntry("verifyServerIdentity", "true")
                .containsEntry("mail.smtp.starttls.required", "true")
                .containsEntry("mail.smtp.ssl.checkserveridentity", "false")
                .containsEntry(
                        "mail.smtp.ssl.socketFactory.class",
                        "dev.mailsec.tls.connector.ConnectorSocketFactory");
        assertThat(plan.processorXml("bounces"))
                .contains(
                        "<mailet match=\"All\" class=\"dev.mailsec.mailets.connector.ConnectorRemoteDelivery\">")
                .contains("<connector>bank</connector>")
                .contains("<connectors>file:///etc/james/connectors.xml</connectors>")
                .contains("<gateway>relay.bank.test:25</gateway>");
    }

    @Test
    void aClientCertificateShouldUseTheConnectorSocketFactoryAtRequiredAndVerify()
            throws Exception {
        RemoteDeliveryPlan required =
                RemoteDeliveryPlan.of(
                        connector("level=\"required\" clientCertificate=\"dkm:tls/bank\"", ""));
        RemoteDeliveryPlan verify =
                RemoteDeliveryPlan.of(
                        connector("level=\"verify\" clientCertificate=\"dkm:tls/bank\"", ""));

        assertThat(required.tlsParameters())
                .containsExactly(
                        entry("startTLS", "true"),
                        entry("verifyServerIdentity", "false"),
                        entry("mail.smtp.starttls.required", "true"),
                        entry("mail.smtp.ssl.checkserveridentity", "false"),
                        entry(
                                "mail.smtp.ssl.socketFactory.class",
                                ConnectorSocketFactory.class.getName()));
        assertThat(verify.tlsParameters())
                .containsEntry("verifyServerIdentity", "true")
                .containsEntry("mail.smtp.ssl.checkserveridentity", "false")
                .containsEntry(
                        "mail.smtp.ssl.socketFactory.class",
                        ConnectorSocketFactory.class.getName());
        assertThat(required.processorXml("bounces"))
                .contains(RemoteDeliveryPlan.CONNECTOR_REMOTE_DELIVERY)
                .contains("<connector>bank</connector>");
    }
}
