package dev.mailsec.mailets.connector;

import dev.mailsec.config.ConfigException;
import dev.mailsec.config.InitParameters;
import dev.mailsec.config.Parameters;
import dev.mailsec.config.reload.ReloadableFile;
import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.mailets.metrics.JamesMetrics;
import dev.mailsec.metrics.Metrics;
import dev.mailsec.tls.TlsAttributeNames;
import dev.mailsec.tls.TlsFacts;
import dev.mailsec.tls.connector.ConnectorAttributeNames;
import dev.mailsec.tls.connector.Connectors;
import dev.mailsec.tls.connector.ConnectorsFile;
import dev.mailsec.tls.connector.InboundSession;
import dev.mailsec.tls.connector.InboundVerdict;
import dev.mailsec.tls.connector.InvalidConnectorsException;
import dev.mailsec.tls.connector.LiveConnectors;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * Decides which inbound connector covers a mail once its {@code From:} header is known, and sends
 * mail that breaks its connector to {@code violationProcessor}. Coverage and requirements are those
 * of the {@code EnforceInboundConnectors} SMTP hook (which refuses what it can at {@code MAIL
 * FROM}); here the {@code From:} domains count too, so a partner's mail sent in clear with a
 * foreign envelope sender is still caught. TLS facts come from the attributes of the {@code
 * dev.mailsec.smtp.RecordTlsFacts} hook: without them a mail counts as received in clear, so a
 * covered mail fails closed.
 *
 * <p>Sets {@code dev.mailsec.tls.connector.inbound} (connector name, read by {@code ConnectorIs}),
 * {@code dev.mailsec.tls.connector.inbound.verdict} ({@code compliant} or {@code violation}) and
 * {@code dev.mailsec.tls.connector.inbound.reason} on covered mail; uncovered mail, and mail made
 * by a mailet (bounces, forwards, the same attribute James's {@code SentByMailet} matcher reads),
 * are left untouched.
 *
 * <pre>{@code
 * <mailet match="All" class="dev.mailsec.mailets.connector.CheckInboundConnector">
 *     <connectors>file://conf/connectors.xml</connectors>
 *     <violationProcessor>connector-violation</violationProcessor>
 * </mailet>
 * }</pre>
 *
 * Both parameters are required; others, a missing or invalid file fail the start.
 */
public class CheckInboundConnector extends GenericMailet {

    static final String CONNECTORS = "connectors";
    static final String VIOLATION_PROCESSOR = "violationProcessor";

    public static final AttributeName CONNECTOR =
            AttributeName.of(ConnectorAttributeNames.INBOUND_CONNECTOR);
    public static final AttributeName VERDICT =
            AttributeName.of(ConnectorAttributeNames.INBOUND_VERDICT);
    public static final AttributeName REASON =
            AttributeName.of(ConnectorAttributeNames.INBOUND_REASON);

    private static final AttributeName PROTOCOL = AttributeName.of(TlsAttributeNames.PROTOCOL);
    private static final AttributeName CIPHER = AttributeName.of(TlsAttributeNames.CIPHER);
    private static final AttributeName PEER_SUBJECT =
            AttributeName.of(TlsAttributeNames.PEER_SUBJECT);
    private static final AttributeName PEER_SANS =
            AttributeName.of(TlsAttributeNames.PEER_SUBJECT_ALT_NAMES);

    private ReloadableFile<Connectors> live;
    private Metrics metrics = Metrics.NONE;
    private FileSystem fileSystem;

    /**
     * James's file system, to find the configuration James started with ({@link DeclaredPolicies}).
     */
    @Inject
    public void setFileSystem(FileSystem fileSystem) {
        this.fileSystem = fileSystem;
    }

    private String violationProcessor;

    @Override
    public void init() throws MessagingException {
        InitParameters.checkKnown(
                "CheckInboundConnector",
                getInitParameterNames(),
                Set.of(CONNECTORS, VIOLATION_PROCESSOR));
        Parameters p = Parameters.of("CheckInboundConnector", this::getInitParameter);
        String location;
        try {
            location = p.required(CONNECTORS);
            violationProcessor = p.processor(VIOLATION_PROCESSOR);
        } catch (ConfigException e) {
            throw new MessagingException(e.getMessage(), e);
        }
        Path connectorsFile;
        try {
            connectorsFile = ConnectorsFile.locate(location);
            live = LiveConnectors.shared(connectorsFile);
        } catch (InvalidConnectorsException e) {
            throw new MessagingException(
                    "CheckInboundConnector: " + CONNECTORS + ": " + e.getMessage(), e);
        }
        // a connector James would not enforce stops the start, rather than being silently ignored
        DeclaredPolicies.requireEnforced("CheckInboundConnector", fileSystem, live);
    }

    /** James's metrics (docs/metrics.md); none outside James. */
    @Inject
    public void setMetricFactory(MetricFactory factory) {
        metrics = JamesMetrics.of(factory);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        PerMailGuard.run(getClass().getSimpleName(), () -> process(mail));
    }

    private void process(Mail mail) {
        if (mail.getAttribute(Mail.SENT_BY_MAILET_ATTRIBUTE.getName()).isPresent()) {
            // made by a mailet (a bounce, a forward, a Sieve redirect): no partner session to
            // judge; the
            // mail it came from was judged when it arrived
            return;
        }
        InboundVerdict verdict =
                live.current()
                        .value()
                        .evaluate(
                                InboundSession.afterData(
                                        clientAddress(mail),
                                                mail.getMaybeSender()
                                                        .asOptional()
                                                        .map(
                                                                sender ->
                                                                        sender.getDomain()
                                                                                .asString()),
                                        fromDomains(mail), tlsFacts(mail)));
        if (verdict.connector().isEmpty()) {
            return;
        }
        mail.setAttribute(new Attribute(CONNECTOR, AttributeValue.of(verdict.connector().get())));
        mail.setAttribute(
                new Attribute(
                        VERDICT,
                        AttributeValue.of(verdict.isViolation() ? "violation" : "compliant")));
        mail.setAttribute(new Attribute(REASON, AttributeValue.of(verdict.reason())));
        if (verdict.isViolation()) {
            mail.setState(violationProcessor);
            metrics.inboundRefused(verdict.connector().get());
        }
    }

    private static Optional<InetAddress> clientAddress(Mail mail) {
        String remote = mail.getRemoteAddr();
        if (remote == null || !remote.matches("[0-9A-Fa-f:.]+")) {
            return Optional.empty();
        }
        try {
            // only literals reach here, so no DNS lookup is made
            return Optional.of(InetAddress.getByName(remote));
        } catch (UnknownHostException notALiteral) {
            return Optional.empty();
        }
    }

    /**
     * Domains of every address in every {@code From:} field; a broken header yields none, never an
     * error.
     */
    private static List<String> fromDomains(Mail mail) {
        String[] fields;
        try {
            fields = mail.getMessage() == null ? null : mail.getMessage().getHeader("From");
        } catch (MessagingException unreadableMessage) {
            return Collections.emptyList();
        }
        if (fields == null) {
            return Collections.emptyList();
        }
        List<String> domains = new ArrayList<>();
        for (String field : fields) {
            try {
                for (InternetAddress address : InternetAddress.parseHeader(field, false)) {
                    String text = address.getAddress();
                    int at = text == null ? -1 : text.lastIndexOf('@');
                    if (at >= 0) {
                        domains.add(text.substring(at + 1).toLowerCase(Locale.ROOT));
                    }
                }
            } catch (AddressException unparsable) {
                // a From: we cannot parse covers nothing; the envelope and the session still do
            }
        }
        return domains;
    }

    private static Optional<TlsFacts> tlsFacts(Mail mail) {
        Optional<String> protocol =
                AttributeUtils.getValueAndCastFromMail(mail, PROTOCOL, String.class);
        if (protocol.isEmpty()) {
            return Optional.empty();
        }
        List<String> altNames = new ArrayList<>();
        mail.getAttribute(PEER_SANS)
                .map(Attribute::getValue)
                .map(AttributeValue::value)
                .ifPresent(
                        value -> {
                            if (value instanceof Collection) {
                                for (Object element : (Collection<?>) value) {
                                    Object name =
                                            element instanceof AttributeValue
                                                    ? ((AttributeValue<?>) element).value()
                                                    : element;
                                    if (name instanceof String) {
                                        altNames.add((String) name);
                                    }
                                }
                            }
                        });
        return Optional.of(
                TlsFacts.of(
                        protocol.get(),
                        AttributeUtils.getValueAndCastFromMail(mail, CIPHER, String.class)
                                .orElse(""),
                        AttributeUtils.getValueAndCastFromMail(mail, PEER_SUBJECT, String.class),
                        altNames));
    }

    @Override
    public String getMailetInfo() {
        return "CheckInboundConnector: routes mail breaking its inbound TLS connector to a processor";
    }
}
