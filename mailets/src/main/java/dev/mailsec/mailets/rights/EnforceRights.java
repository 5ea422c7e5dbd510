package dev.mailsec.mailets.rights;

import dev.mailsec.config.ConfigException;
import dev.mailsec.config.InitParameters;
import dev.mailsec.config.Parameters;
import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.mailets.metrics.JamesMetrics;
import dev.mailsec.metrics.Metrics;
import dev.mailsec.rights.AccessEvent;
import dev.mailsec.rights.Channel;
import dev.mailsec.rights.EventType;
import dev.mailsec.rights.ForwardingPolicy;
import dev.mailsec.rights.ForwardingPolicy.Use;
import dev.mailsec.rights.ProtectedPackage;
import dev.mailsec.rights.RightsAttributeNames;
import dev.mailsec.rights.RightsException;
import dev.mailsec.rights.RightsSettings;
import dev.mailsec.rights.RightsTemplate;
import dev.mailsec.rights.RightsUnavailableException;
import dev.mailsec.rights.StoredMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import org.apache.james.core.MailAddress;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces the rights of protected messages on mail our users send. A message <em>carries</em>
 * protected content when it
 *
 * <ul>
 *   <li><b>forwards</b> it: an attached {@code message/rfc822} whose {@code X-Mailsec-Rights}
 *       licence or {@code Message-ID} is a protected message, an attached protected package, or an
 *       {@code X-Forwarded-Message-Id} naming one;
 *   <li><b>re-sends</b> it: its own {@code Message-ID} or {@code X-Mailsec-Rights} is a protected
 *       message's;
 *   <li><b>refers</b> to it: {@code References} / {@code In-Reply-To} name a protected message (a
 *       reply, or a forward inline).
 * </ul>
 *
 * The rights come from the rights store (what was issued), never from the message's headers.
 * Content whose licence does not grant {@code forward} (Do-Not-Forward): a forward or re-send by
 * anyone but its sender, or any mail carrying it to someone who is not a party of the licence, is
 * <b>bounced</b> to the sender with the reason (and recorded as {@code FORWARD_BLOCKED} in the
 * access log); nobody receives it. Otherwise the mail leaves <b>protected again with the same
 * template</b> (Encrypt-Only content forwarded stays protected; replies to Do-Not-Forward mail stay
 * Do-Not-Forward). Sets {@code mailsec.rights.enforced}. The decision is {@link
 * ForwardingPolicy}'s; this mailet gathers what the mail carries and acts on it.
 *
 * <pre>{@code
 * <mailet match="SenderIsLocal" class="dev.mailsec.mailets.rights.EnforceRights">
 *     <config>conf/rights.xml</config>
 *     <onKeyStoreFailure>rights-key-store-down</onKeyStoreFailure>
 * </mailet>
 * }</pre>
 *
 * Parameters: {@code config} (default {@code conf/rights.xml}), {@code onKeyStoreFailure} (formerly
 * {@code onKeyStoreDown}; processor for mail that cannot be checked or re-protected because the
 * rights store or keys are unreachable; without it the mailet throws), {@code errorProcessor}
 * (default {@code error}: mail that cannot be re-protected). Limits: text copied by hand into a new
 * message, without References, cannot be recognised.
 */
public class EnforceRights extends GenericMailet {
    private static final Logger LOG = LoggerFactory.getLogger(EnforceRights.class);

    public static final AttributeName ENFORCED = AttributeName.of(RightsAttributeNames.ENFORCED);

    static final String ON_KEY_STORE_FAILURE = "onKeyStoreFailure";

    /** The old name of {@link #ON_KEY_STORE_FAILURE}, still read, with a warning. */
    static final String ON_KEY_STORE_DOWN = "onKeyStoreDown";

    static final String ERROR_PROCESSOR = "errorProcessor";
    static final Set<String> PARAMETERS =
            Collections.unmodifiableSet(
                    new LinkedHashSet<>(
                            Arrays.asList(
                                    RightsServices.CONFIG,
                                    ON_KEY_STORE_FAILURE,
                                    ON_KEY_STORE_DOWN,
                                    ERROR_PROCESSOR)));
    static final String CLIENT = "james rights enforcement";
    private static final int MAX_IDS = CarriedContent.MAX_IDS;

    private final RightsServices injected;
    private RightsServices rights;
    private String keyStoreDown;
    private String errorProcessor;
    private Metrics metrics = Metrics.NONE;

    @Inject
    public EnforceRights() {
        this(null);
    }

    /** For tests: ready services instead of the shared ones of {@code config}. */
    public EnforceRights(RightsServices services) {
        this.injected = services;
    }

    @Override
    public void init() throws MessagingException {
        InitParameters.checkKnown("EnforceRights", getInitParameterNames(), PARAMETERS);
        Parameters p = Parameters.of("EnforceRights", this::getInitParameter);
        try {
            keyStoreDown = p.processor(p.renamed(ON_KEY_STORE_FAILURE, ON_KEY_STORE_DOWN), null);
            errorProcessor = p.processor(ERROR_PROCESSOR, Mail.ERROR);
        } catch (ConfigException e) {
            throw new MessagingException(e.getMessage(), e);
        }
        rights =
                injected != null
                        ? injected
                        : RightsServices.shared(
                                "EnforceRights",
                                getInitParameter(
                                        RightsServices.CONFIG, RightsSettings.DEFAULT_CONFIG));
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

    private void process(Mail mail) throws MessagingException {
        // one rights.xml generation for the whole mail
        RightsServices rights = this.rights.current();
        if (!mail.hasSender() || mail.getAttribute(DecryptRightsProtected.DECRYPTED).isPresent()) {
            return; // bounces and notifications; a copy transport decryption just opened
        }
        MimeMessage message = mail.getMessage();
        if (RightsMail.packagePart(message).isPresent()) {
            return; // already a wrapper: nothing readable leaves
        }
        List<ProtectedPackage> packages = new ArrayList<>();
        Map<String, Use> evidence = CarriedContent.evidence(message, packages);
        if (evidence.isEmpty() && packages.isEmpty()) {
            return;
        }
        if (evidence.size() > MAX_IDS) {
            // not checked is not allowed: padding References must not hide a protected message
            LOG.info("EnforceRights: {} bounced: {} message ids", mail.getName(), evidence.size());
            bounce(
                    mail,
                    "Your message was not sent: it names more than "
                            + MAX_IDS
                            + " other messages (References, attachments), too many to check against protected mail.");
            return;
        }
        ForwardingPolicy.Carried carried = new ForwardingPolicy.Carried();
        try {
            for (ProtectedPackage pkg : packages) {
                try {
                    CarriedContent.put(
                            evidence, rights.opener().verify(pkg).licenceId(), Use.FORWARD);
                } catch (RightsUnavailableException e) {
                    throw e;
                } catch (RightsException e) {
                    // not a package of ours (or tampered): it opens nowhere, nothing to enforce
                    LOG.debug(
                            "EnforceRights: attached package of {} ignored: {}",
                            mail.getName(),
                            e.getMessage());
                }
            }
            for (Map.Entry<String, Use> e : evidence.entrySet()) {
                Optional<StoredMessage> m = rights.store().find(e.getKey());
                if (m.isPresent()) {
                    carried.add(m.get(), e.getValue());
                }
            }
        } catch (RightsUnavailableException e) {
            keyStoreDown(mail, e);
            return;
        }
        String sender = RightsMail.sender(mail).orElse("");
        List<String> recipients = new ArrayList<>();
        for (MailAddress r : mail.getRecipients()) {
            recipients.add(r.asString());
        }
        ForwardingPolicy.Decision d =
                new ForwardingPolicy(rights.settings()).decide(carried, sender, recipients);
        switch (d.kind()) {
            case ALLOW:
                return;
            case BOUNCE:
                for (ForwardingPolicy.Violation v : d.violations()) {
                    log(v.licenceId(), sender, v.reason());
                }
                LOG.info(
                        "EnforceRights: {} from {} bounced: {}",
                        mail.getName(),
                        sender,
                        d.bounceReason());
                bounce(mail, d.bounceReason());
                return;
            default:
                RightsTemplate template = d.template();
                mail.setAttribute(
                        new Attribute(ENFORCED, AttributeValue.of("protected " + template.name())));
                ProtectMessage.protect(
                        mail,
                        template,
                        rights,
                        Optional.empty(),
                        keyStoreDown,
                        errorProcessor,
                        "EnforceRights");
        }
    }

    private void bounce(Mail mail, String reason) throws MessagingException {
        mail.setAttribute(new Attribute(ENFORCED, AttributeValue.of("bounced")));
        getMailetContext().bounce(mail, reason);
        mail.setState(Mail.GHOST);
        metrics.rightsRefused("forward");
    }

    private void log(String licenceId, String sender, String detail) {
        try {
            rights.store()
                    .log(
                            new AccessEvent(
                                    rights.clock().instant(),
                                    licenceId,
                                    sender,
                                    EventType.FORWARD_BLOCKED,
                                    Channel.TRANSPORT,
                                    CLIENT,
                                    detail));
        } catch (RightsException e) {
            LOG.warn(
                    "EnforceRights: cannot record the blocked forward of licence {}: {}",
                    licenceId,
                    e.getMessage());
        }
    }

    private void keyStoreDown(Mail mail, RightsUnavailableException e) throws MessagingException {
        String why =
                "rights store unavailable ("
                        + e.getClass().getSimpleName()
                        + ": "
                        + e.getMessage()
                        + ")";
        if (keyStoreDown != null) {
            LOG.warn(
                    "EnforceRights: {} sent to processor {} unchecked: {}",
                    mail.getName(),
                    keyStoreDown,
                    why);
            mail.setState(keyStoreDown);
            return;
        }
        throw new MessagingException(
                "EnforceRights: " + why + "; mail " + mail.getName() + " not checked", e);
    }

    @Override
    public String getMailetInfo() {
        return "EnforceRights: bounces forwards of Do-Not-Forward content, keeps forwarded protected content protected";
    }
}
