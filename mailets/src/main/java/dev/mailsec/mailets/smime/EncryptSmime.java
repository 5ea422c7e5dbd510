package dev.mailsec.mailets.smime;

import dev.mailsec.config.InitParameters;
import dev.mailsec.config.Parameters;
import dev.mailsec.dkm.Dkm;
import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.mailets.metrics.JamesMetrics;
import dev.mailsec.metrics.Metrics;
import dev.mailsec.smime.CertificateDirectory;
import dev.mailsec.smime.ContentEncryption;
import dev.mailsec.smime.EncryptionRecipient;
import dev.mailsec.smime.KeyTransport;
import dev.mailsec.smime.PeerCapabilities;
import dev.mailsec.smime.PeerCapabilityCache;
import dev.mailsec.smime.RecipientCertificates;
import dev.mailsec.smime.SmimeAttributeNames;
import dev.mailsec.smime.SmimeBuffer;
import dev.mailsec.smime.SmimeEncryptor;
import dev.mailsec.smime.SmimeException;
import dev.mailsec.smime.SmimeKind;
import dev.mailsec.smime.SmimeMessages;
import dev.mailsec.smime.SmimeSettings;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.inject.Inject;
import javax.mail.MessagingException;
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
 * Encrypts mail for each recipient's certificate from the certificate directory (and, optionally,
 * the sender's own). AES-256-GCM when every recipient announced it in a signed message we verified,
 * AES-256-CBC otherwise; RSA-OAEP for peers that announced it, {@code keyTransport} for the others;
 * ECDH for EC certificates. Recipients without a usable certificate follow {@code policy}:
 *
 * <ul>
 *   <li>{@code bounce} (default): a copy for them is bounced with the reason; they never get clear
 *       text.
 *   <li>{@code processor}: a copy for them goes, unencrypted, to {@code processor} (e.g. for rights
 *       protection or quarantine).
 *   <li>{@code clear}: a copy for them goes on unencrypted to {@code processor} (default {@code
 *       transport}); when no recipient has a certificate the mail simply continues.
 * </ul>
 *
 * Mail that is already S/MIME encrypted (by the sender's client) passes unchanged. Pipelines
 * usually split first with {@code HasRecipientCertificate}; this mailet still enforces the policy
 * for whatever reaches it. A directory or CRL fault is never treated as "no certificate": the mail
 * goes to {@code errorProcessor} unchanged.
 *
 * <p>The directory is a folder ({@code certificateFolder}) or LDAP / Active Directory ({@code
 * ldapUrl}, {@code ldapBaseDn}, optional {@code ldapBindDn} + {@code ldapPasswordSecret} (an OPAQUE
 * DKM secret read through {@code dkmConfig}, default {@code conf/dkm.properties}; {@code
 * ldapPassword} in clear is accepted with a warning), {@code ldapFilter} with {@code {0}} for the
 * address, default {@code (|(mail={0})(proxyAddresses=smtp:{0}))}). With {@code trustAnchors}, LDAP
 * CRLs are read from {@code crlLdapUrl}, bound as {@code crlLdapBindDn} + {@code
 * crlLdapPasswordSecret} when set. For {@code ldaps://} servers whose certificate the JVM does not
 * trust (an enterprise CA), {@code ldapTlsTrustAnchors} / {@code crlLdapTlsTrustAnchors} name the
 * CA certificates to trust.
 *
 * <pre>{@code
 * <mailet match="dev.mailsec.matchers.smime.HasRecipientCertificate=/etc/james/smime/certs" class="dev.mailsec.mailets.smime.EncryptSmime">
 *     <certificateFolder>/etc/james/smime/certs</certificateFolder>
 *     <trustAnchors>/etc/james/smime/ca.pem</trustAnchors>
 *     <checkRevocation>true</checkRevocation>
 *     <policy>bounce</policy>
 *     <keyTransport>rsa-pkcs1</keyTransport>
 *     <copyToSender>true</copyToSender>
 * </mailet>
 * }</pre>
 */
public class EncryptSmime extends GenericMailet {

    private static final Logger LOGGER = LoggerFactory.getLogger(EncryptSmime.class);
    static final AttributeName ENCRYPTION = AttributeName.of(SmimeAttributeNames.ENCRYPTION);

    enum Policy {
        CLEAR,
        BOUNCE,
        PROCESSOR
    }

    private RecipientCertificates certificates;
    private final PeerCapabilityCache capabilities;
    private final SmimeEncryptor encryptor = new SmimeEncryptor();
    private Policy policy;
    private String processor;
    private String errorProcessor;
    private KeyTransport rsaFallback;
    private Optional<ContentEncryption> forcedContent;
    private boolean copyToSender;
    private Metrics metrics = Metrics.NONE;

    public EncryptSmime() {
        this(null, PeerCapabilityCache.shared());
    }

    /** For tests: a ready certificate selector (the folder parameters are then not read). */
    public EncryptSmime(RecipientCertificates certificates, PeerCapabilityCache capabilities) {
        this.certificates = certificates;
        this.capabilities = capabilities;
    }

    @Override
    public void init() throws MessagingException {
        Set<String> known = new HashSet<>(SmimeSettings.DIRECTORY_PARAMETERS);
        known.addAll(SmimeSettings.CRL_LDAP_PARAMETERS);
        known.addAll(
                Set.of(
                        "trustAnchors",
                        "checkRevocation",
                        "policy",
                        "processor",
                        "errorProcessor",
                        "keyTransport",
                        "contentEncryption",
                        "copyToSender",
                        SmimeKeys.DKM_CONFIG));
        InitParameters.checkKnown("EncryptSmime", getInitParameterNames(), known);
        Parameters params = Parameters.of(this::getInitParameter);
        try {
            if (certificates == null) {
                String anchors = params.optional("trustAnchors").orElse(null);
                Supplier<Dkm> dkm = SmimeKeys.dkm(this::getInitParameter);
                CertificateDirectory directory =
                        SmimeSettings.directory(this::getInitParameter, dkm);
                if (anchors == null) {
                    for (String p : SmimeSettings.CRL_LDAP_PARAMETERS) {
                        if (params.optional(p).isPresent()) {
                            throw new IllegalArgumentException(
                                    p
                                            + ": only used with trustAnchors (certificates are not checked without it)");
                        }
                    }
                }
                certificates =
                        new RecipientCertificates(
                                directory,
                                anchors == null
                                        ? null
                                        : SmimeSettings.chains(
                                                SmimeSettings.trustAnchors("trustAnchors", anchors),
                                                params.bool("checkRevocation", true),
                                                SmimeSettings.crlLdapServer(
                                                        this::getInitParameter, dkm)),
                                Clock.systemUTC());
            }
            copyToSender = params.bool("copyToSender", false);
            errorProcessor = params.processor("errorProcessor", Mail.ERROR);
            policy = params.optional("policy", EncryptSmime::policy).orElse(Policy.BOUNCE);
            if (policy == Policy.PROCESSOR && params.optional("processor").isEmpty()) {
                throw new IllegalArgumentException(
                        "processor is required when policy is processor");
            }
            processor = params.processor("processor", policy == Policy.CLEAR ? "transport" : null);
            rsaFallback =
                    params.optional("keyTransport", EncryptSmime::rsaKeyTransport)
                            .orElse(KeyTransport.RSA_PKCS1);
            forcedContent =
                    params.optional("contentEncryption", EncryptSmime::contentEncryption)
                            .orElse(Optional.empty());
        } catch (IllegalArgumentException e) {
            throw new MessagingException("EncryptSmime: " + e.getMessage(), e);
        }
    }

    private static Policy policy(String value) {
        try {
            return Policy.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be clear, bounce or processor");
        }
    }

    /** ecdh is chosen automatically for EC certificates, so only the RSA ones may be configured. */
    private static KeyTransport rsaKeyTransport(String value) {
        KeyTransport t;
        try {
            t = KeyTransport.parse(value);
        } catch (IllegalArgumentException e) {
            t = KeyTransport.ECDH;
        }
        if (t == KeyTransport.ECDH) {
            throw new IllegalArgumentException("must be rsa-pkcs1 or rsa-oaep");
        }
        return t;
    }

    private static Optional<ContentEncryption> contentEncryption(String value) {
        if ("auto".equalsIgnoreCase(value)) {
            return Optional.empty();
        }
        try {
            return Optional.of(ContentEncryption.parse(value));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be auto, aes256-cbc or aes256-gcm");
        }
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
        if (SmimeMessages.classify(mail.getMessage().getContentType()) == SmimeKind.ENCRYPTED) {
            // already encrypted end to end by the sender's client: wrapping it again protects
            // nothing
            LOGGER.debug(
                    "EncryptSmime: {} is already S/MIME encrypted, left as is", mail.getName());
            return;
        }
        List<MailAddress> withCertificate = new ArrayList<>();
        List<MailAddress> without = new ArrayList<>();
        List<EncryptionRecipient> recipients = new ArrayList<>();
        boolean allGcm = true;
        try {
            for (MailAddress r : mail.getRecipients()) {
                Optional<X509Certificate> cert = certificates.usableFor(r.asString());
                if (cert.isEmpty()) {
                    without.add(r);
                    continue;
                }
                withCertificate.add(r);
                PeerCapabilities caps =
                        capabilities.lookup(r.asString()).orElse(PeerCapabilities.UNKNOWN);
                allGcm &= caps.aesGcm();
                recipients.add(
                        EncryptionRecipient.of(cert.get(), caps.rsaKeyTransport(rsaFallback)));
            }
            if (copyToSender && !recipients.isEmpty()) {
                Optional<String> from = SmimeMail.from(mail.getMessage());
                Optional<X509Certificate> own =
                        from.isPresent() ? certificates.usableFor(from.get()) : Optional.empty();
                if (own.isPresent()) {
                    recipients.add(EncryptionRecipient.of(own.get(), rsaFallback));
                }
            }
        } catch (IOException e) {
            LOGGER.warn(
                    "EncryptSmime: certificate lookup failed for {} ({}); sent to {} unchanged",
                    mail.getName(),
                    e.getMessage(),
                    errorProcessor);
            mail.setState(errorProcessor);
            metrics.smimeFailure("encrypt");
            return;
        }
        if (withCertificate.isEmpty()) {
            applyPolicy(mail, without, true);
            return;
        }
        if (!without.isEmpty()) {
            Mail copy = mail.duplicate();
            copy.setRecipients(without);
            applyPolicy(copy, without, false);
        }
        ContentEncryption content =
                forcedContent.orElse(
                        allGcm ? ContentEncryption.AES256_GCM : ContentEncryption.AES256_CBC);
        SmimeBuffer message = SmimeMail.bytes(mail);
        SmimeBuffer out = SmimeBuffer.sizedFor(message.size(), 140);
        try {
            encryptor.encrypt(message.in(), out, recipients, content);
        } catch (SmimeException | IOException e) {
            // never fall back to clear text: hold the mail for the operator
            LOGGER.warn(
                    "EncryptSmime: cannot encrypt {}: {}; sent to {} unchanged",
                    mail.getName(),
                    e.getMessage(),
                    errorProcessor);
            mail.setState(errorProcessor);
            metrics.smimeFailure("encrypt");
            return;
        }
        mail.setRecipients(withCertificate);
        SmimeMail.replace(mail, out);
        StringBuilder summary = new StringBuilder(content.configName());
        for (EncryptionRecipient r : recipients) {
            summary.append(' ').append(r.keyTransport().configName());
        }
        mail.setAttribute(new Attribute(ENCRYPTION, AttributeValue.of(summary.toString())));
        metrics.smime("encrypt");
    }

    /**
     * {@code isOriginal}: the mail in hand (continue/ghost it) rather than a copy (send it
     * somewhere).
     */
    private void applyPolicy(Mail mail, List<MailAddress> without, boolean isOriginal)
            throws MessagingException {
        LOGGER.info(
                "EncryptSmime: no usable certificate for {} in {}: policy {}",
                without,
                mail.getName(),
                policy);
        switch (policy) {
            case CLEAR:
                if (!isOriginal) {
                    getMailetContext().sendMail(mail, processor);
                }
                return;
            case PROCESSOR:
                if (isOriginal) {
                    mail.setState(processor);
                } else {
                    getMailetContext().sendMail(mail, processor);
                }
                return;
            case BOUNCE:
            default:
                getMailetContext()
                        .bounce(
                                mail,
                                "This message could not be delivered to "
                                        + join(without)
                                        + ": the recipient has no usable S/MIME certificate, and our policy requires encryption.");
                if (isOriginal) {
                    mail.setState(Mail.GHOST);
                }
        }
    }

    private static String join(List<MailAddress> addresses) {
        StringBuilder sb = new StringBuilder();
        for (MailAddress a : addresses) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(a.asString());
        }
        return sb.toString();
    }

    @Override
    public String getMailetInfo() {
        return "EncryptSmime: encrypts mail for the recipients' S/MIME certificates";
    }
}
