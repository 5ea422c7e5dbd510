package dev.mailsec.mailets.rights;

import dev.mailsec.config.ConfigException;
import dev.mailsec.config.InitParameters;
import dev.mailsec.config.Parameters;
import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.rights.Channel;
import dev.mailsec.rights.OpenedMessage;
import dev.mailsec.rights.ProtectedPackage;
import dev.mailsec.rights.RightsAttributeNames;
import dev.mailsec.rights.RightsDeniedException;
import dev.mailsec.rights.RightsException;
import dev.mailsec.rights.RightsFormatException;
import dev.mailsec.rights.RightsSettings;
import dev.mailsec.rights.RightsUnavailableException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.Part;
import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transport decryption: a rights-protected wrapper addressed to local recipients of the
 * organisation ({@code organisationDomains} of the rights configuration, hosted by this James) is
 * opened for each of them and delivered as the readable original, marked with its rights: the
 * header {@code X-Mailsec-Rights: template=<t>; rights=<tokens>; licence=<jti>} and a short note
 * above the message (the original MIME entity is kept byte for byte as the second part); attributes
 * {@code mailsec.rights.licence} and {@code mailsec.rights.template}. Every opening is recorded in
 * the rights store's access log. Refused (revoked, expired, not a party of the licence, unknown) or
 * not ours (tampered, not signed by our key): the wrapper is delivered unchanged, {@code
 * mailsec.rights.refused} says why, and a log line records it. Recipients outside the organisation,
 * or not local, always get the wrapper. Key store or rights store down: the mail, still wrapped,
 * goes to {@code onKeyStoreFailure}.
 *
 * <pre>{@code
 * <mailet match="dev.mailsec.matchers.rights.IsRightsProtected" class="dev.mailsec.mailets.rights.DecryptRightsProtected">
 *     <config>conf/rights.xml</config>
 *     <note>true</note>
 *     <onKeyStoreFailure>rights-key-store-down</onKeyStoreFailure>
 * </mailet>
 * }</pre>
 *
 * Parameters: {@code config} (default {@code conf/rights.xml}), {@code note} ({@code true}: the
 * note part above the original; {@code false}: the header only, the original's structure
 * unchanged), {@code onKeyStoreFailure} (processor, formerly {@code onKeyStoreDown}; without it the
 * mailet throws and James applies {@code onMailetException}). Place it in the local-delivery
 * processor, before {@code LocalDelivery}.
 */
public class DecryptRightsProtected extends GenericMailet {
    private static final Logger LOG = LoggerFactory.getLogger(DecryptRightsProtected.class);

    public static final AttributeName LICENCE = ProtectMessage.LICENCE;
    public static final AttributeName TEMPLATE = ProtectMessage.TEMPLATE;
    public static final AttributeName REFUSED = AttributeName.of(RightsAttributeNames.REFUSED);

    /** Set on the opened copy, so it is never opened twice. */
    static final AttributeName DECRYPTED = AttributeName.of(RightsAttributeNames.DECRYPTED);

    static final String NOTE = "note";
    static final String ON_KEY_STORE_FAILURE = "onKeyStoreFailure";

    /** The old name of {@link #ON_KEY_STORE_FAILURE}, still read, with a warning. */
    static final String ON_KEY_STORE_DOWN = "onKeyStoreDown";

    static final Set<String> PARAMETERS =
            Collections.unmodifiableSet(
                    new LinkedHashSet<>(
                            Arrays.asList(
                                    RightsServices.CONFIG,
                                    NOTE,
                                    ON_KEY_STORE_FAILURE,
                                    ON_KEY_STORE_DOWN)));
    static final String CLIENT = "james transport decryption";

    private final RightsServices injected;
    private final Predicate<MailAddress> localCheck;
    private RightsServices rights;
    private boolean note;
    private String keyStoreDown;

    @Inject
    public DecryptRightsProtected() {
        this(null);
    }

    /** For tests: ready services instead of the shared ones of {@code config}. */
    public DecryptRightsProtected(RightsServices services) {
        this(services, null);
    }

    /** For tests: also which recipients count as local (default: James's {@code isLocalEmail}). */
    public DecryptRightsProtected(RightsServices services, Predicate<MailAddress> isLocal) {
        this.injected = services;
        this.localCheck = isLocal;
    }

    @Override
    public void init() throws MessagingException {
        InitParameters.checkKnown("DecryptRightsProtected", getInitParameterNames(), PARAMETERS);
        Parameters p = Parameters.of("DecryptRightsProtected", this::getInitParameter);
        try {
            note = p.bool(NOTE, true);
            keyStoreDown = p.processor(p.renamed(ON_KEY_STORE_FAILURE, ON_KEY_STORE_DOWN), null);
        } catch (ConfigException e) {
            throw new MessagingException(e.getMessage(), e);
        }
        rights =
                injected != null
                        ? injected
                        : RightsServices.shared(
                                "DecryptRightsProtected",
                                getInitParameter(
                                        RightsServices.CONFIG, RightsSettings.DEFAULT_CONFIG));
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        PerMailGuard.run(getClass().getSimpleName(), () -> process(mail));
    }

    private void process(Mail mail) throws MessagingException {
        // one rights.xml generation for the whole mail
        RightsServices rights = this.rights.current();
        if (mail.getAttribute(DECRYPTED).isPresent()) {
            return;
        }
        Optional<Part> part = RightsMail.packagePart(mail.getMessage());
        if (part.isEmpty()) {
            return;
        }
        ProtectedPackage pkg;
        try {
            pkg = ProtectedPackage.decode(RightsMail.decoded(part.get()));
        } catch (RightsFormatException | IOException e) {
            refused(mail, "malformed package: " + e.getMessage());
            return;
        }
        List<MailAddress> opened = new ArrayList<>();
        List<MailAddress> others = new ArrayList<>();
        OpenedMessage first = null;
        String refusal = null;
        for (MailAddress r : mail.getRecipients()) {
            String reader = r.asString();
            if (!rights.settings().isInsideOrganisation(reader) || !isLocal(r)) {
                others.add(r);
                continue;
            }
            try {
                OpenedMessage o = rights.opener().open(pkg, reader, Channel.TRANSPORT, CLIENT);
                if (first == null) {
                    first = o;
                }
                opened.add(r);
            } catch (RightsDeniedException e) {
                refusal = e.reason() + " for " + reader;
                others.add(r);
            } catch (RightsUnavailableException e) {
                keyStoreDown(mail, e);
                return;
            } catch (RightsFormatException e) {
                refused(mail, "not a valid package of ours: " + e.getMessage());
                return;
            } catch (RightsException e) {
                refused(mail, e.getClass().getSimpleName() + ": " + e.getMessage());
                return;
            }
        }
        if (first == null) {
            if (refusal != null) {
                refused(mail, refusal);
            }
            return;
        }
        Mail readable = others.isEmpty() ? mail : mail.duplicate();
        readable.setRecipients(opened);
        readable.setMessage(
                RightsMail.preserved(RightsMarking.mark(first.raw(), first.licence(), note)));
        readable.setAttribute(
                new Attribute(LICENCE, AttributeValue.of(first.licence().licenceId())));
        readable.setAttribute(
                new Attribute(TEMPLATE, AttributeValue.of(first.licence().template())));
        readable.setAttribute(new Attribute(DECRYPTED, AttributeValue.of(true)));
        LOG.info(
                "DecryptRightsProtected: {} (licence {}, {}) opened for {}",
                mail.getName(),
                first.licence().licenceId(),
                first.licence().template(),
                opened);
        if (!others.isEmpty()) {
            // the readable copy goes through this processor again (skipped here); the wrapper goes
            // on for the others
            try {
                getMailetContext().sendMail(readable, mail.getState());
            } finally {
                LifecycleUtil.dispose(readable);
            }
            mail.setRecipients(others);
            if (refusal != null) {
                refused(mail, refusal);
            }
        }
    }

    private boolean isLocal(MailAddress r) {
        return localCheck != null ? localCheck.test(r) : getMailetContext().isLocalEmail(r);
    }

    private void refused(Mail mail, String why) {
        LOG.info("DecryptRightsProtected: {} stays protected: {}", mail.getName(), why);
        mail.setAttribute(new Attribute(REFUSED, AttributeValue.of(why)));
    }

    private void keyStoreDown(Mail mail, RightsUnavailableException e) throws MessagingException {
        String why =
                "rights keys or store unavailable ("
                        + e.getClass().getSimpleName()
                        + ": "
                        + e.getMessage()
                        + ")";
        if (keyStoreDown != null) {
            LOG.warn(
                    "DecryptRightsProtected: {} sent to processor {} still protected: {}",
                    mail.getName(),
                    keyStoreDown,
                    why);
            mail.setState(keyStoreDown);
            return;
        }
        throw new MessagingException(
                "DecryptRightsProtected: " + why + "; mail " + mail.getName() + " not opened", e);
    }

    @Override
    public String getMailetInfo() {
        return "DecryptRightsProtected: delivers rights-protected mail readable to the organisation's local recipients";
    }
}
