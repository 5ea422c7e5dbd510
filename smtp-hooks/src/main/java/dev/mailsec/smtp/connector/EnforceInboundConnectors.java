package dev.mailsec.smtp.connector;

import dev.mailsec.config.Parameters;
import dev.mailsec.config.reload.ReloadableFile;
import dev.mailsec.metrics.Metrics;
import dev.mailsec.smtp.HookParameters;
import dev.mailsec.tls.TlsFacts;
import dev.mailsec.tls.connector.ConnectorRoutes;
import dev.mailsec.tls.connector.Connectors;
import dev.mailsec.tls.connector.ConnectorsFile;
import dev.mailsec.tls.connector.InboundSession;
import dev.mailsec.tls.connector.InboundVerdict;
import dev.mailsec.tls.connector.InvalidConnectorsException;
import dev.mailsec.tls.connector.LiveConnectors;
import java.io.FileNotFoundException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import javax.inject.Inject;
import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MailHook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses, at {@code MAIL FROM}, mail from a partner whose session breaks its inbound connector
 * (see {@code docs/tls-connectors.md}): the envelope sender's domain, the client address and the
 * client certificate are known there, and so is the TLS state. The sending server keeps the message
 * and reports the reason, e.g. {@code 530 5.7.10 partner.test requires TLSv1.2 or newer (connector
 * partner)}. Mail that no connector covers, or that complies, passes untouched. What can only be
 * judged after DATA (the {@code From:} header) is left to the {@code CheckInboundConnector} mailet.
 *
 * <p>In {@code smtpserver.xml}, in each {@code <smtpserver>}'s handler chain:
 *
 * <pre>{@code
 * <handlerchain>
 *     <handler class="org.apache.james.smtpserver.fastfail.ValidRcptHandler"/>
 *     <handler class="org.apache.james.smtpserver.CoreCmdHandlerLoader"/>
 *     <handler class="dev.mailsec.smtp.RecordTlsFacts"/>
 *     <handler class="dev.mailsec.smtp.connector.EnforceInboundConnectors">
 *         <connectors>file://conf/connectors.xml</connectors>
 *     </handler>
 * </handlerchain>
 * }</pre>
 *
 * {@code connectors} (required): the connectors file; {@code file://conf/...} and relative paths
 * are resolved against James's working directory. A missing or invalid file, or any other
 * parameter, fails James's start with a message naming the connector, field and value. The file is
 * watched and can be reloaded from WebAdmin (docs/tls-connectors.md, "Reload"); each {@code MAIL
 * FROM} is judged by one generation of it.
 */
public class EnforceInboundConnectors implements MailHook {

    static final String CONNECTORS = "connectors";
    private static final Logger LOGGER = LoggerFactory.getLogger(EnforceInboundConnectors.class);

    private ReloadableFile<Connectors> live;
    private FileSystem fileSystem;

    /**
     * James's file system, to find the configuration James started with; outside James (unit tests)
     * there is none and the start-time check of {@link ConnectorRoutes} is skipped.
     */
    @Inject
    public void setFileSystem(FileSystem fileSystem) {
        this.fileSystem = fileSystem;
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        Parameters p = HookParameters.read(getClass().getName(), config, Set.of(CONNECTORS));
        String location = HookParameters.reading(() -> p.required(CONNECTORS));
        Path connectorsFile;
        try {
            connectorsFile = ConnectorsFile.locate(location);
            live = LiveConnectors.shared(connectorsFile);
        } catch (InvalidConnectorsException e) {
            throw new ConfigurationException(
                    getClass().getName() + ": " + CONNECTORS + ": " + e.getMessage(), e);
        }
        if (fileSystem != null) {
            // a connector James would not enforce (an outbound one without a route, an inbound one
            // some SMTP
            // server accepts without this hook) stops the start, rather than being silently ignored
            try {
                Path workingDirectory = fileSystem.getBasedir().toPath();
                ConnectorRoutes.requireEnforced(
                        live.current().value(), live.file(), workingDirectory);
                // and so must every reload of the file
                LiveConnectors.requireEnforced(live, workingDirectory);
            } catch (InvalidConnectorsException | FileNotFoundException e) {
                throw new ConfigurationException(getClass().getName() + ": " + e.getMessage(), e);
            }
        }
        live.watch();
        LOGGER.info(
                "Enforcing {} inbound connector(s) from {}",
                live.current().value().inbound().size(),
                location);
    }

    @Override
    public HookResult doMail(SMTPSession session, MaybeSender sender) {
        // one generation of the file for the whole decision
        InboundVerdict verdict =
                live.current()
                        .value()
                        .evaluate(
                                InboundSession.atMailFrom(
                                        clientAddress(session),
                                        sender.asOptional()
                                                .map(MailAddress::getDomain)
                                                .map(domain -> domain.asString()),
                                        session.getSSLSession()
                                                .map(ssl -> TlsFacts.fromSession(ssl, true))));
        if (!verdict.isViolation()) {
            return HookResult.DECLINED;
        }
        LOGGER.info(
                "Refused MAIL FROM in session {}: {}", session.getSessionID(), verdict.reason());
        Metrics.global().inboundRefused(verdict.connector().orElse(null));
        return HookResult.builder()
                .hookReturnCode(HookReturnCode.deny())
                .smtpReturnCode(verdict.violation().orElseThrow().replyCode())
                .smtpDescription(verdict.replyText())
                .build();
    }

    private static Optional<InetAddress> clientAddress(SMTPSession session) {
        InetSocketAddress remote = session.getRemoteAddress();
        return remote == null ? Optional.empty() : Optional.ofNullable(remote.getAddress());
    }
}
