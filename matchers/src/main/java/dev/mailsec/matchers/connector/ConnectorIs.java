package dev.mailsec.matchers.connector;

import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.tls.connector.ConnectorAttributeNames;
import java.util.Collection;
import java.util.Collections;
import java.util.Optional;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

/**
 * Matches mail covered by the named inbound connector, as decided by the
 * {@code dev.mailsec.mailets.connector.CheckInboundConnector} mailet (which must run earlier, in the root
 * processor). Returns all recipients, or none.
 *
 * <pre>{@code
 * <mailet match="dev.mailsec.matchers.connector.ConnectorIs=partner" class="SetMimeHeader">
 *     <name>X-Mailsec-Connector</name>
 *     <value>partner</value>
 * </mailet>
 * }</pre>
 * The condition, a connector name (letters, digits, '.', '_', '-'), is required; anything else fails the start.
 */
public class ConnectorIs extends GenericMatcher {

    private static final AttributeName CONNECTOR = AttributeName.of(ConnectorAttributeNames.INBOUND_CONNECTOR);

    private String connector;

    @Override
    public void init() throws MessagingException {
        String condition = getCondition() == null ? "" : getCondition().trim();
        if (!condition.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new MessagingException("ConnectorIs: the condition must be an inbound connector name, got '"
                + condition + "'");
        }
        connector = condition;
    }

    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        return PerMailGuard.call(getClass().getSimpleName(), () -> matchRecipients(mail));
    }

    private Collection<MailAddress> matchRecipients(Mail mail) {
        Optional<String> covering = AttributeUtils.getValueAndCastFromMail(mail, CONNECTOR, String.class);
        return covering.filter(connector::equals).isPresent() ? mail.getRecipients() : Collections.emptyList();
    }

    @Override
    public String getMatcherInfo() {
        return "ConnectorIs: matches mail covered by the named inbound connector";
    }
}
