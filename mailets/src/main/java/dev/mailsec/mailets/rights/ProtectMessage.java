package dev.mailsec.mailets.rights;

import dev.mailsec.config.ConfigException;
import dev.mailsec.config.InitParameters;
import dev.mailsec.config.Parameters;
import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.mailets.mime.HeaderChanges;
import dev.mailsec.rights.LiveRightsSettings;
import dev.mailsec.rights.Protection;
import dev.mailsec.rights.RightsAttributeNames;
import dev.mailsec.rights.RightsException;
import dev.mailsec.rights.RightsSettings;
import dev.mailsec.rights.RightsTemplate;
import dev.mailsec.rights.RightsUnavailableException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rights-protects a message with a template ({@code encrypt-only}, {@code do-not-forward} or one of
 * {@code conf/rights.xml}): the original (all headers, body, attachments) is encrypted under a
 * fresh content key wrapped by the DKM rights key, a signed use licence names the sender, the
 * recipients and the rights, and the mail becomes the wrapper: a short text and HTML note with the
 * portal link, and the protected package {@code message.mailsec}. Nothing of the original body or
 * attachments stays in clear. Sets {@code mailsec.rights.licence} (the licence id) and {@code
 * mailsec.rights.template}. Mail that is already a wrapper passes unchanged.
 *
 * <pre>{@code
 * <mailet match="dev.mailsec.matchers.SubjectHasTag=[encrypt]" class="dev.mailsec.mailets.rights.ProtectMessage">
 *     <config>conf/rights.xml</config>
 *     <template>encrypt-only</template>
 *     <subject>keep</subject>
 *     <onKeyStoreFailure>rights-key-store-down</onKeyStoreFailure>
 * </mailet>
 * }</pre>
 *
 * Parameters: {@code template} (required; a template of the configuration), {@code config} (default
 * {@code conf/rights.xml}, relative to James's working directory), {@code subject} ({@code keep} or
 * {@code replace}; default: the configuration's {@code <subject mode>}), {@code onKeyStoreFailure}
 * (formerly {@code onKeyStoreDown}; processor for mail that cannot be protected because the rights
 * keys (DKM) or the rights store are unreachable; the mail goes there unchanged, never on in clear;
 * without it the mailet throws and James applies its {@code onMailetException}, {@code propagate}
 * makes the spool retry), {@code errorProcessor} (default {@code error}: a message the engine
 * cannot protect). Unknown parameters and bad values fail the start.
 */
public class ProtectMessage extends GenericMailet {
    private static final Logger LOG = LoggerFactory.getLogger(ProtectMessage.class);

    public static final AttributeName LICENCE = AttributeName.of(RightsAttributeNames.LICENCE);
    public static final AttributeName TEMPLATE = AttributeName.of(RightsAttributeNames.TEMPLATE);

    static final String TEMPLATE_PARAM = "template";
    static final String SUBJECT = "subject";
    static final String ON_KEY_STORE_FAILURE = "onKeyStoreFailure";

    /** The old name of {@link #ON_KEY_STORE_FAILURE}, still read, with a warning. */
    static final String ON_KEY_STORE_DOWN = "onKeyStoreDown";

    static final String ERROR_PROCESSOR = "errorProcessor";
    static final Set<String> PARAMETERS =
            Collections.unmodifiableSet(
                    new LinkedHashSet<>(
                            Arrays.asList(
                                    RightsServices.CONFIG,
                                    TEMPLATE_PARAM,
                                    SUBJECT,
                                    ON_KEY_STORE_FAILURE,
                                    ON_KEY_STORE_DOWN,
                                    ERROR_PROCESSOR)));

    private final RightsServices injected;
    private RightsServices rights;
    private RightsTemplate template;
    private Optional<RightsSettings.SubjectMode> subjectMode;
    private String keyStoreDown;
    private String errorProcessor;

    @Inject
    public ProtectMessage() {
        this(null);
    }

    /** For tests: ready services instead of the shared ones of {@code config}. */
    public ProtectMessage(RightsServices services) {
        this.injected = services;
    }

    @Override
    public void init() throws MessagingException {
        InitParameters.checkKnown("ProtectMessage", getInitParameterNames(), PARAMETERS);
        String t = getInitParameter(TEMPLATE_PARAM);
        if (t == null || t.trim().isEmpty()) {
            throw new MessagingException(
                    "ProtectMessage: " + TEMPLATE_PARAM + " is required, e.g. encrypt-only");
        }
        String s = getInitParameter(SUBJECT);
        if (s == null) {
            subjectMode = Optional.empty();
        } else if (s.trim().equalsIgnoreCase("keep")) {
            subjectMode = Optional.of(RightsSettings.SubjectMode.KEEP);
        } else if (s.trim().equalsIgnoreCase("replace")) {
            subjectMode = Optional.of(RightsSettings.SubjectMode.REPLACE);
        } else {
            throw new MessagingException(
                    "ProtectMessage: " + SUBJECT + ": must be keep or replace, got '" + s + "'");
        }
        Parameters p = Parameters.of("ProtectMessage", this::getInitParameter);
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
                                "ProtectMessage",
                                getInitParameter(
                                        RightsServices.CONFIG, RightsSettings.DEFAULT_CONFIG));
        String unknown =
                "ProtectMessage: " + TEMPLATE_PARAM + ": no such template '" + t + "'; known: ";
        try {
            template = rights.settings().template(t.trim());
        } catch (IllegalArgumentException x) {
            throw new MessagingException(unknown + rights.settings().templates().keySet(), x);
        }
        // a reload of rights.xml must keep the template (refused with the same words otherwise)
        rights.live()
                .ifPresent(
                        live ->
                                LiveRightsSettings.requireTemplate(
                                        live, "ProtectMessage", template.name(), unknown));
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        PerMailGuard.run(getClass().getSimpleName(), () -> process(mail));
    }

    private void process(Mail mail) throws MessagingException {
        if (RightsMail.packagePart(mail.getMessage()).isPresent()) {
            LOG.debug("ProtectMessage: {} is already rights-protected, left as is", mail.getName());
            return;
        }
        // the template as the rights.xml generation in force defines it now
        RightsServices now = rights.current();
        protect(
                mail,
                now.settings().template(template.name()),
                now,
                subjectMode,
                keyStoreDown,
                errorProcessor,
                "ProtectMessage");
    }

    /**
     * Protects the mail in hand with {@code with}; on a fault sends it to the processor for it (or
     * throws). Returns true if the mail now carries the wrapper. Shared with {@code EnforceRights}.
     */
    static boolean protect(
            Mail mail,
            RightsTemplate with,
            RightsServices rights,
            Optional<RightsSettings.SubjectMode> subjectMode,
            String keyStoreDown,
            String errorProcessor,
            String who)
            throws MessagingException {
        Optional<String> sender = RightsMail.sender(mail);
        if (sender.isEmpty()) {
            LOG.warn(
                    "{}: {} has neither envelope sender nor From: address; sent to {} unprotected",
                    who,
                    mail.getName(),
                    errorProcessor);
            mail.setState(errorProcessor);
            return false;
        }
        MimeMessage original = mail.getMessage();
        boolean changed = false;
        // blind copies must not be readable by everyone who opens the message (James drops Bcc
        // later, too late)
        if (original.getHeader("Bcc") != null) {
            original.removeHeader("Bcc");
            changed = true;
        }
        if (original.getHeader("Message-ID") == null) {
            // the licence binds the Message-ID (replies and forwards are recognised by it)
            original.setHeader(
                    "Message-ID", "<" + UUID.randomUUID() + "@" + rights.settings().issuer() + ">");
            changed = true;
        }
        if (changed) {
            // saved here, so that writing the original into the package does not re-parse a
            // malformed Content-Type
            HeaderChanges.save(mail);
        }
        Protection p;
        try {
            p =
                    rights.protector()
                            .protect(
                                    original,
                                    sender.get(),
                                    RightsMail.addresses(mail.getRecipients()),
                                    with);
        } catch (RightsUnavailableException e) {
            String why =
                    "rights keys or store unavailable ("
                            + e.getClass().getSimpleName()
                            + ": "
                            + e.getMessage()
                            + ")";
            if (keyStoreDown != null) {
                LOG.warn(
                        "{}: {} sent to processor {} unprotected: {}",
                        who,
                        mail.getName(),
                        keyStoreDown,
                        why);
                mail.setState(keyStoreDown);
                return false;
            }
            throw new MessagingException(
                    who + ": " + why + "; mail " + mail.getName() + " not protected", e);
        } catch (RightsException | MessagingException e) {
            LOG.warn(
                    "{}: cannot protect {} ({}); sent to {} unchanged",
                    who,
                    mail.getName(),
                    e.getMessage(),
                    errorProcessor);
            mail.setState(errorProcessor);
            return false;
        }
        MimeMessage wrapper = p.wrapper();
        applySubject(wrapper, original, sender.get(), rights.settings(), subjectMode);
        mail.setMessage(wrapper);
        mail.setAttribute(new Attribute(LICENCE, AttributeValue.of(p.licence().licenceId())));
        mail.setAttribute(new Attribute(TEMPLATE, AttributeValue.of(with.name())));
        LOG.info(
                "{}: {} protected with {} (licence {}) for {} recipient(s)",
                who,
                mail.getName(),
                with.name(),
                p.licence().licenceId(),
                mail.getRecipients().size());
        return true;
    }

    private static void applySubject(
            MimeMessage wrapper,
            MimeMessage original,
            String sender,
            RightsSettings settings,
            Optional<RightsSettings.SubjectMode> subjectMode)
            throws MessagingException {
        if (subjectMode.isEmpty() || subjectMode.get() == settings.subjectMode()) {
            return;
        }
        if (subjectMode.get() == RightsSettings.SubjectMode.KEEP) {
            String[] s = original.getHeader("Subject");
            if (s == null) {
                wrapper.removeHeader("Subject");
            } else {
                wrapper.setHeader("Subject", s[0]);
            }
        } else {
            wrapper.setSubject(settings.replacementSubject().replace("{sender}", sender), "UTF-8");
        }
    }

    RightsServices services() {
        return rights;
    }

    @Override
    public String getMailetInfo() {
        return "ProtectMessage: rights-protects mail with a template (encrypt-only, do-not-forward, ...)";
    }
}
