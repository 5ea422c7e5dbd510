package dev.mailsec.matchers.connector;

import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.tls.connector.ConnectorAttributeNames;
import dev.mailsec.tls.connector.InboundConnector;
import java.util.Collection;
import java.util.Collections;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

/**
 * Matches mail covered by the named inbound connector, as decided by the {@code
 * dev.mailsec.mailets.connector.CheckInboundConnector} mailet (which must run earlier, in the root
 * processor). Returns all recipients, or none.
 *
 * <pre>{@code
 * <mailet match="dev.mailsec.matchers.connector.ConnectorIs=partner" class="SetMimeHeader">
 *     <name>X-Mailsec-Connector</name>
 *     <value>partner</value>
 * </mailet>
 * <!-- another connectors file than file://conf/connectors.xml: -->
 * <mailet match="dev.mailsec.matchers.connector.ConnectorIs=partner,file:///etc/james/connectors.xml" ...
 * }</pre>
 *
 * The condition, an inbound connector name, is required, optionally followed by a comma and the
 * connectors file (default {@code file://conf/connectors.xml}, relative to James's working
 * directory: the file {@code CheckInboundConnector} reads). A name the file does not define as an
 * inbound connector (the message lists those it does), a missing or invalid file fail the start.
 */
public class ConnectorIs extends GenericMatcher {

    private static final AttributeName CONNECTOR =
            AttributeName.of(ConnectorAttributeNames.INBOUND_CONNECTOR);

    private String connector;

    @Override
    public void init() throws MessagingException {
        ConnectorCondition condition =
                ConnectorCondition.parse("ConnectorIs", "inbound", getCondition());
        if (!condition.connectors.inbound(condition.name).isPresent()) {
            throw condition.unknown(
                    "inbound",
                    condition.connectors.inbound().stream()
                            .map(InboundConnector::name)
                            .collect(Collectors.toList()));
        }
        connector = condition.name;
    }

    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        return PerMailGuard.call(getClass().getSimpleName(), () -> matchRecipients(mail));
    }

    private Collection<MailAddress> matchRecipients(Mail mail) {
        Optional<String> covering =
                AttributeUtils.getValueAndCastFromMail(mail, CONNECTOR, String.class);
        return covering.filter(connector::equals).isPresent()
                ? mail.getRecipients()
                : Collections.emptyList();
    }

    @Override
    public String getMatcherInfo() {
        return "ConnectorIs: matches mail covered by the named inbound connector";
    }
}
