package dev.mailsec.matchers.connector;

import dev.mailsec.config.reload.ReloadableFile;
import dev.mailsec.config.reload.Snapshot;
import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.tls.connector.ConnectorAttributeNames;
import dev.mailsec.tls.connector.Connectors;
import dev.mailsec.tls.connector.LiveConnectors;
import dev.mailsec.tls.connector.OutboundConnector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

/**
 * Matches the recipients whose domain goes through the named outbound connector (the first
 * connector in the file that covers the domain), so that James splits the mail and only those
 * recipients take the connector's route. Used in the processor holding the general {@code
 * RemoteDelivery} (stock James: {@code relay}, which only relay-allowed mail reaches), before it,
 * to hand covered mail to the connector's own processor, whose {@code RemoteDelivery} enforces its
 * TLS policy (see {@code docs/tls-connectors.md}).
 *
 * <pre>{@code
 * <mailet match="dev.mailsec.matchers.connector.RecipientConnectorIs=bank" class="ToProcessor">
 *     <processor>connector-bank</processor>
 * </mailet>
 * <!-- another connectors file than file://conf/connectors.xml: -->
 * <mailet match="dev.mailsec.matchers.connector.RecipientConnectorIs=bank,file:///etc/james/connectors.xml" ...
 * }</pre>
 *
 * {@code RecipientConnectorIs=*} matches the recipients covered by any outbound connector: the
 * generic route to a processor holding {@code ConnectorsRemoteDelivery}, which delivers each with
 * its connector's policy. The condition is an outbound connector name (or {@code *}), optionally
 * followed by a comma and the connectors file (default {@code file://conf/connectors.xml}, relative
 * to James's working directory). An unknown connector (the message lists the outbound connectors
 * the file defines) or an invalid file fails the start.
 *
 * <p>The connectors file can be reloaded while James runs (docs/tls-connectors.md, "Reload"): the
 * first of these matchers a mail meets stamps it with the generation in force ({@code
 * dev.mailsec.tls.connector.outbound.generation}); every later one, and {@code
 * ConnectorsRemoteDelivery}, decides under that same generation.
 */
public class RecipientConnectorIs extends GenericMatcher {

    /** The condition of the generic route: recipients covered by any outbound connector. */
    static final String ANY = "*";

    private static final AttributeName GENERATION =
            AttributeName.of(ConnectorAttributeNames.OUTBOUND_GENERATION);

    private ReloadableFile<Connectors> live;

    /** The connector routed, or null for {@code *} (any connector). */
    private String connector;

    @Override
    public void init() throws MessagingException {
        ConnectorCondition condition =
                ConnectorCondition.parse("RecipientConnectorIs", "outbound", getCondition());
        live = condition.live;
        Connectors connectors = condition.connectors;
        if (condition.name.equals(ANY)) {
            // the generic route: every covered recipient, for ConnectorsRemoteDelivery
            connector = null;
            return;
        }
        connectors
                .outbound(condition.name)
                .orElseThrow(
                        () ->
                                condition.unknown(
                                        "outbound",
                                        connectors.outbound().stream()
                                                .map(OutboundConnector::name)
                                                .collect(Collectors.toList())));
        connector = condition.name;
    }

    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        return PerMailGuard.call(getClass().getSimpleName(), () -> matchRecipients(mail));
    }

    /**
     * Decides under the generation of the connectors file the mail was first routed under (stamped
     * on it), so that a reload between two of these matchers, or before the delivery, never routes
     * one recipient by two generations.
     */
    private Collection<MailAddress> matchRecipients(Mail mail) {
        Snapshot<Connectors> generation =
                LiveConnectors.forStamp(
                        live,
                        AttributeUtils.getValueAndCastFromMail(mail, GENERATION, String.class));
        List<MailAddress> covered = new ArrayList<>();
        for (MailAddress recipient : mail.getRecipients()) {
            Optional<OutboundConnector> route =
                    generation.value().outboundFor(recipient.getDomain().asString());
            if (route.isPresent() && (connector == null || route.get().name().equals(connector))) {
                covered.add(recipient);
            }
        }
        // before James splits the mail, so both parts carry it
        mail.setAttribute(
                new Attribute(
                        GENERATION, AttributeValue.of(LiveConnectors.stamp(live, generation))));
        return covered;
    }

    @Override
    public String getMatcherInfo() {
        return "RecipientConnectorIs: matches recipients whose domain goes through the named outbound connector";
    }
}
