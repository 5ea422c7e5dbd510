package dev.mailsec.mailets.connector;

import java.util.Set;
import javax.inject.Inject;
import javax.mail.MessagingException;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.transport.mailets.RemoteDelivery;
import org.apache.mailet.MailetConfig;

/**
 * James's own {@code RemoteDelivery}, every parameter and behaviour unchanged, whose sessions count
 * in the TLS reports ({@code SendTlsReports}, docs/tls-reports.md): each MX lookup starts the
 * recipient domain's {@code no-policy-found} context and JavaMail delivers through the recording
 * transport. Use it in place of {@code RemoteDelivery} (the sample pipeline's {@code relay} and the
 * generated connector processors do):
 *
 * <pre>{@code
 * <mailet match="All" class="dev.mailsec.mailets.connector.ReportingRemoteDelivery">
 *     <outgoing>outgoing</outgoing>
 *     <delayTime>5000, 100000, 500000</delayTime>
 *     <maxRetries>3</maxRetries>
 *     <bounceProcessor>bounces</bounceProcessor>
 * </mailet>
 * }</pre>
 *
 * Deliveries to a {@code gateway} (smart host) are not sessions with a recipient domain's MX hosts
 * and are not counted (RFC 8460 section 4.3: the report is about the policy domain's MX). A
 * parameter James's RemoteDelivery does not read (e.g. James's sample's {@code outgoingQueue},
 * which 3.8.1 ignores) fails the start instead of being silently ignored.
 */
public class ReportingRemoteDelivery extends RemoteDelivery {

    @Inject
    public ReportingRemoteDelivery(
            DNSService dnsServer,
            DomainList domainList,
            MailQueueFactory<?> queueFactory,
            MetricFactory metricFactory) {
        super(new TlsReportingDns(dnsServer), domainList, queueFactory, metricFactory);
    }

    @Override
    public void init(MailetConfig config) throws MessagingException {
        super.init(RecordingTransport.config("ReportingRemoteDelivery", config));
    }

    @Override
    public void init() throws MessagingException {
        RemoteDeliveryParameters.check(
                "ReportingRemoteDelivery", getInitParameterNames(), Set.of());
        super.init();
    }

    @Override
    public String getMailetInfo() {
        return "ReportingRemoteDelivery: RemoteDelivery whose TLS sessions count in the TLS reports";
    }
}
