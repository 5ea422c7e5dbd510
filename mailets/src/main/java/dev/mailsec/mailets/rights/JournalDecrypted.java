package dev.mailsec.mailets.rights;

import dev.mailsec.config.ConfigException;
import dev.mailsec.config.InitParameters;
import dev.mailsec.config.Parameters;
import dev.mailsec.dkm.Credential;
import dev.mailsec.dkm.Dkm;
import dev.mailsec.dkm.DkmConfig;
import dev.mailsec.dkm.DkmInvalidRequestException;
import dev.mailsec.dkmclient.DkmClients;
import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.rights.Channel;
import dev.mailsec.rights.DiscoveryAuthority;
import dev.mailsec.rights.DiscoveryOpener;
import dev.mailsec.rights.DiscoveryRole;
import dev.mailsec.rights.DkmRightsKeyring;
import dev.mailsec.rights.OpenedMessage;
import dev.mailsec.rights.ProtectedPackage;
import dev.mailsec.rights.RightsDeniedException;
import dev.mailsec.rights.RightsException;
import dev.mailsec.rights.RightsHeaders;
import dev.mailsec.rights.RightsSettings;
import dev.mailsec.rights.RightsUnavailableException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.Part;
import javax.mail.internet.AddressException;
import javax.mail.internet.MimeMessage;
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
 * Journal decryption: for every rights-protected mail, a decrypted copy goes to one journal
 * mailbox, opened by the eDiscovery role ({@link DiscoveryOpener}, logged as {@code
 * discovery:<identity>} with the reason {@code journal copy to <journal>}) and marked with {@code
 * X-Mailsec-Journal: decrypted; licence=<jti>; by=discovery:<identity>} and {@code
 * X-Mailsec-Rights}. The mail itself goes on untouched (its recipients get the protected wrapper);
 * the copy is addressed to the journal mailbox only and sent into {@code processor}. The role's DKM
 * identity ({@code dkmConfig}) must be a member service of the role's group and of the rights
 * group. Keys or store unavailable, or the role not held: the journal copy, still protected and
 * addressed to the journal only, goes to {@code onKeyStoreFailure}; reprocessed into this mailet's
 * processor it is decrypted then. A package that is not ours or was tampered with gets no decrypted
 * copy.
 *
 * <pre>{@code
 * <mailet match="dev.mailsec.matchers.rights.IsRightsProtected" class="dev.mailsec.mailets.rights.JournalDecrypted">
 *     <journal>journal@mailsec.test</journal>
 *     <dkmConfig>conf/dkm-journal.properties</dkmConfig>
 *     <config>conf/rights.xml</config>
 *     <processor>local-delivery</processor>
 *     <onKeyStoreFailure>rights-journal-held</onKeyStoreFailure>
 * </mailet>
 * }</pre>
 *
 * Parameters: {@code journal} (required, the journal mailbox), {@code dkmConfig} (required, the
 * discovery service identity's dkm.properties), {@code config} (default {@code conf/rights.xml}),
 * {@code roleSecret} (default {@code rights-discovery/role}), {@code processor} (default {@code
 * local-delivery}), {@code onKeyStoreFailure} (required: where a journal copy waits).
 */
public class JournalDecrypted extends GenericMailet {
    private static final Logger LOG = LoggerFactory.getLogger(JournalDecrypted.class);

    /** Set on every journal copy (decrypted or held), so it is never journalled again. */
    public static final AttributeName JOURNAL_COPY = AttributeName.of("mailsec.rights.journal");

    static final String JOURNAL = "journal";
    static final String DKM_CONFIG = "dkmConfig";
    static final String ROLE_SECRET = "roleSecret";
    static final String PROCESSOR = "processor";
    static final String ON_KEY_STORE_FAILURE = "onKeyStoreFailure";
    static final Set<String> PARAMETERS =
            Collections.unmodifiableSet(
                    new LinkedHashSet<>(
                            Arrays.asList(
                                    JOURNAL,
                                    DKM_CONFIG,
                                    RightsServices.CONFIG,
                                    ROLE_SECRET,
                                    PROCESSOR,
                                    ON_KEY_STORE_FAILURE)));
    static final String CLIENT = "james journal";

    private final Engine injected;
    private Engine engine;
    private MailAddress journal;
    private String processor;
    private String held;

    /** The opener and the role it acts in. */
    public static final class Engine {
        final DiscoveryOpener opener;
        final DiscoveryAuthority role;

        public Engine(DiscoveryOpener opener, DiscoveryAuthority role) {
            this.opener = opener;
            this.role = role;
        }
    }

    @Inject
    public JournalDecrypted() {
        this(null);
    }

    /** For tests: a ready opener and role instead of the ones of {@code dkmConfig}. */
    public JournalDecrypted(Engine engine) {
        this.injected = engine;
    }

    @Override
    public void init() throws MessagingException {
        InitParameters.checkKnown("JournalDecrypted", getInitParameterNames(), PARAMETERS);
        Parameters p = Parameters.of("JournalDecrypted", this::getInitParameter);
        Path dkmConfig;
        String roleSecret;
        try {
            String address = p.required(JOURNAL);
            try {
                journal = new MailAddress(address);
            } catch (AddressException e) {
                throw new MessagingException(
                        "JournalDecrypted: " + JOURNAL + ": not a mail address: '" + address + "'",
                        e);
            }
            processor = p.processor(PROCESSOR, "local-delivery");
            held = p.processor(ON_KEY_STORE_FAILURE);
            roleSecret = p.optional(ROLE_SECRET, DiscoveryRole.DEFAULT_SECRET);
            dkmConfig = injected != null ? null : p.path(DKM_CONFIG).orElse(null);
            if (injected == null && dkmConfig == null) {
                throw new MessagingException(
                        "JournalDecrypted: "
                                + DKM_CONFIG
                                + ": required (the discovery service identity's dkm.properties)");
            }
        } catch (ConfigException e) {
            throw new MessagingException(e.getMessage(), e);
        }
        engine = injected != null ? injected : open(dkmConfig, roleSecret);
    }

    private Engine open(Path dkmConfig, String roleSecret) throws MessagingException {
        RightsServices rights =
                RightsServices.shared(
                        "JournalDecrypted",
                        getInitParameter(RightsServices.CONFIG, RightsSettings.DEFAULT_CONFIG));
        Dkm dkm;
        String identity;
        try {
            DkmConfig cfg = DkmConfig.load(dkmConfig);
            Path credential =
                    cfg.identity()
                            .orElseThrow(
                                    () -> new DkmInvalidRequestException("identity: required"));
            identity = Credential.load(credential).identity();
            dkm = DkmClients.client(dkmConfig);
        } catch (DkmInvalidRequestException e) {
            throw new MessagingException(
                    "JournalDecrypted: " + DKM_CONFIG + " (" + dkmConfig + "): " + e.getMessage(),
                    e);
        }
        RightsSettings s = rights.settings();
        return new Engine(
                new DiscoveryOpener(
                        s, new DkmRightsKeyring(dkm, s), rights.store(), rights.clock()),
                DiscoveryRole.viaMembership(dkm, identity, roleSecret));
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        PerMailGuard.run(getClass().getSimpleName(), () -> process(mail));
    }

    private void process(Mail mail) throws MessagingException {
        boolean heldCopy = mail.getAttribute(JOURNAL_COPY).isPresent();
        if (heldCopy && !mail.getRecipients().equals(List.of(journal))) {
            return; // a copy of ours already decrypted, or someone else's: leave it
        }
        Optional<Part> part = RightsMail.packagePart(mail.getMessage());
        if (part.isEmpty()) {
            return;
        }
        ProtectedPackage pkg;
        try {
            pkg = ProtectedPackage.decode(RightsMail.decoded(part.get()));
        } catch (RightsException | IOException e) {
            LOG.info("JournalDecrypted: {}: no journal copy, malformed package", mail.getName());
            return;
        }
        Mail copy = heldCopy ? mail : mail.duplicate();
        copy.setRecipients(List.of(journal));
        copy.setAttribute(new Attribute(JOURNAL_COPY, AttributeValue.of(true)));
        try {
            OpenedMessage o =
                    engine.opener.open(
                            pkg,
                            engine.role,
                            "journal copy to " + journal.asString(),
                            Channel.TRANSPORT,
                            CLIENT);
            MimeMessage marked =
                    RightsMail.preserved(RightsMarking.mark(o.raw(), o.licence(), false));
            marked.removeHeader(RightsHeaders.JOURNAL);
            marked.addHeader(
                    RightsHeaders.JOURNAL,
                    RightsHeaders.journalValue(o.licence(), engine.role.identity()));
            copy.setMessage(marked);
            LOG.info(
                    "JournalDecrypted: {} (licence {}) journalled decrypted to {}",
                    mail.getName(),
                    o.licence().licenceId(),
                    journal);
            route(mail, copy, heldCopy, processor);
        } catch (RightsUnavailableException | RightsDeniedException e) {
            LOG.warn(
                    "JournalDecrypted: {}: journal copy held in {} still protected: {}: {}",
                    mail.getName(),
                    held,
                    e.getClass().getSimpleName(),
                    e.getMessage());
            route(mail, copy, heldCopy, held);
        } catch (RightsException e) {
            LOG.warn(
                    "JournalDecrypted: {}: no journal copy, not a package of ours: {}",
                    mail.getName(),
                    e.getMessage());
            if (heldCopy) {
                mail.setState(Mail.GHOST);
            } else {
                LifecycleUtil.dispose(copy);
            }
        }
    }

    private void route(Mail mail, Mail copy, boolean heldCopy, String state)
            throws MessagingException {
        if (heldCopy) {
            mail.setState(state);
        } else {
            try {
                getMailetContext().sendMail(copy, state);
            } finally {
                // the spool holds its own copy now; release this one's message source
                LifecycleUtil.dispose(copy);
            }
        }
    }

    @Override
    public String getMailetInfo() {
        return "JournalDecrypted: a decrypted, marked copy of protected mail to the journal mailbox";
    }
}
