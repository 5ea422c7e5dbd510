package dev.mailsec.mailets.connector;

import dev.mailsec.config.ConfigException;
import dev.mailsec.config.InitParameters;
import dev.mailsec.config.Parameters;
import dev.mailsec.config.reload.ReloadableFile;
import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.tls.connector.ConnectorAttributeNames;
import dev.mailsec.tls.connector.Connectors;
import dev.mailsec.tls.connector.ConnectorsFile;
import dev.mailsec.tls.connector.InvalidConnectorsException;
import dev.mailsec.tls.connector.LiveConnectors;
import dev.mailsec.tls.connector.OutboundConnector;
import dev.mailsec.tls.connector.OutboundTlsLevel;
import dev.mailsec.tls.connector.mtasts.MtaStsCache;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.inject.Inject;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * Makes a bounce say which outbound connector held the mail back. RemoteDelivery bounces a mail
 * that failed every retry with "Too many retries failure" and drops the last error, so the sender
 * cannot tell a TLS policy from a dead host; placed in the bounce processor before {@code
 * DSNBounce}, this mailet puts the connector and its policy in front of the error message and the
 * {@code delivery-error} attribute that {@code DSNBounce} shows as the diagnostic:
 *
 * <pre>
 * Not delivered to bank.test: outbound connector 'bank' allows delivery only with TLS
 * (verify: STARTTLS required, certificate trusted and issued for the host, TLSv1.2 or newer),
 * and no attempt succeeded under that policy. Too many retries failure. Bouncing after 5 retries.
 * </pre>
 *
 * For an {@code mta-sts} connector the DSN also shows the recipient domain's policy as last fetched
 * (mode, {@code mx} patterns, {@code max_age}, id), e.g. that no MX host of the domain is in its
 * {@code mx} list. Mail to domains no connector covers passes unchanged.
 *
 * <pre>{@code
 * <processor state="bounces" enableJmx="true">
 *     <mailet match="All" class="dev.mailsec.mailets.connector.ExplainConnectorBounce">
 *         <connectors>file://conf/connectors.xml</connectors>
 *     </mailet>
 *     <mailet match="All" class="DSNBounce">
 *         <passThrough>false</passThrough>
 *     </mailet>
 * </processor>
 * }</pre>
 *
 * {@code connectors} is required; other parameters, a missing or invalid file fail the start.
 */
public class ExplainConnectorBounce extends GenericMailet {

    static final String CONNECTORS = "connectors";

    /**
     * RemoteDelivery's own attribute ({@code Bouncer.DELIVERY_ERROR}), shown by DSNBounce as
     * Diagnostic-Code.
     */
    static final AttributeName DELIVERY_ERROR = AttributeName.of("delivery-error");

    private static final AttributeName GENERATION =
            AttributeName.of(ConnectorAttributeNames.OUTBOUND_GENERATION);

    private ReloadableFile<Connectors> live;
    private FileSystem fileSystem;

    /**
     * James's file system, to find the configuration James started with ({@link DeclaredPolicies}).
     */
    @Inject
    public void setFileSystem(FileSystem fileSystem) {
        this.fileSystem = fileSystem;
    }

    @Override
    public void init() throws MessagingException {
        InitParameters.checkKnown(
                "ExplainConnectorBounce", getInitParameterNames(), Set.of(CONNECTORS));
        String location;
        try {
            location =
                    Parameters.of("ExplainConnectorBounce", this::getInitParameter)
                            .required(CONNECTORS);
        } catch (ConfigException e) {
            throw new MessagingException(e.getMessage(), e);
        }
        Path connectorsFile;
        try {
            connectorsFile = ConnectorsFile.locate(location);
            live = LiveConnectors.shared(connectorsFile);
        } catch (InvalidConnectorsException e) {
            throw new MessagingException(
                    "ExplainConnectorBounce: " + CONNECTORS + ": " + e.getMessage(), e);
        }
        // a connector James would not enforce stops the start, rather than being silently ignored
        DeclaredPolicies.requireEnforced("ExplainConnectorBounce", fileSystem, live);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        PerMailGuard.run(getClass().getSimpleName(), () -> process(mail));
    }

    private void process(Mail mail) {
        // the generation the mail was routed under, as RecipientConnectorIs stamped it
        Connectors connectors =
                LiveConnectors.forStamp(
                                live,
                                AttributeUtils.getValueAndCastFromMail(
                                        mail, GENERATION, String.class))
                        .value();
        Map<OutboundConnector, Set<String>> domainsByConnector = new LinkedHashMap<>();
        for (MailAddress recipient : mail.getRecipients()) {
            String domain = recipient.getDomain().asString();
            connectors
                    .outboundFor(domain)
                    .ifPresent(
                            connector ->
                                    domainsByConnector
                                            .computeIfAbsent(connector, c -> new LinkedHashSet<>())
                                            .add(domain));
        }
        if (domainsByConnector.isEmpty()) {
            return;
        }
        StringBuilder explanation = new StringBuilder();
        domainsByConnector.forEach(
                (connector, domains) -> {
                    explanation
                            .append("Not delivered to ")
                            .append(String.join(", ", domains))
                            .append(": outbound connector '")
                            .append(connector.name());
                    if (connector.tlsLevel() == OutboundTlsLevel.MTA_STS) {
                        explanation
                                .append("' delivers by MTA-STS (")
                                .append(connector.policyDescription())
                                .append(")");
                        for (String domain : domains) {
                            MtaStsCache.shared()
                                    .get(domain)
                                    .ifPresent(
                                            cached ->
                                                    explanation
                                                            .append("; MTA-STS policy of ")
                                                            .append(domain)
                                                            .append(": ")
                                                            .append(cached.policy())
                                                            .append(" (id ")
                                                            .append(cached.id())
                                                            .append(")"));
                        }
                        explanation.append(", and no attempt succeeded under that policy. ");
                    } else if (connector.tlsLevel() == OutboundTlsLevel.DANE) {
                        // held by DNSSEC (bogus answers), by a certificate its TLSA records do not
                        // match, or by an MX host offering no STARTTLS: the delivery error says
                        // which
                        explanation
                                .append("' delivers by DANE (")
                                .append(connector.policyDescription())
                                .append("), and no attempt succeeded under that policy. ");
                    } else {
                        explanation
                                .append("' allows delivery only with TLS (")
                                .append(connector.policyDescription())
                                .append("), and no attempt succeeded under that policy. ");
                    }
                });
        Optional<String> deliveryError =
                AttributeUtils.getValueAndCastFromMail(mail, DELIVERY_ERROR, String.class);
        String previous =
                mail.getErrorMessage() != null ? mail.getErrorMessage() : deliveryError.orElse("");
        mail.setErrorMessage(explanation + previous);
        mail.setAttribute(
                new Attribute(
                        DELIVERY_ERROR,
                        AttributeValue.of(explanation + deliveryError.orElse(previous))));
    }

    @Override
    public String getMailetInfo() {
        return "ExplainConnectorBounce: names the outbound connector policy in bounces of mail it held back";
    }
}
