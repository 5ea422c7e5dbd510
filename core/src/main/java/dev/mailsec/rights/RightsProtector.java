package dev.mailsec.rights;

import dev.mailsec.metrics.Metrics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Properties;
import java.util.Set;
import javax.mail.Address;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

/**
 * Protects a message: encrypts the complete original (JWE, A256GCMKW + A256GCM under the DKM
 * content key), signs a use licence bound to that ciphertext (JWS ES256, claim {@code cth}),
 * records both in the {@link RightsStore}, and builds the wrapper that travels instead: a short
 * explanation with the portal link, and the package as attachment {@value
 * ProtectedPackage#FILE_NAME}. Thread-safe; share one per process. Rooms: {@link LicenceSealer}
 * encrypts and signs, {@link ProtectedWrapper} builds the wrapper.
 */
public final class RightsProtector {
    /** Header of the wrapper: {@code licence=<jti>; template=<name>}. */
    public static final String PROTECTED_HEADER = "X-Mailsec-Protected";

    private final RightsSettings settings;
    private final RightsKeyring keys;
    private final RightsStore store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Session session = Session.getInstance(new Properties());
    private final ProtectedWrapper wrappers;

    public RightsProtector(
            RightsSettings settings, RightsKeyring keys, RightsStore store, Clock clock) {
        this.settings = settings;
        this.keys = keys;
        this.store = store;
        this.clock = clock;
        this.wrappers = new ProtectedWrapper(settings, session);
    }

    /**
     * Protects a message for its sender and recipients.
     *
     * @param original the message to protect (written out as is: call saveChanges first if you
     *     changed it)
     * @param sender the envelope sender; when null or empty, the From address
     * @param recipients the envelope recipients; To and Cc addresses are added to the licence too
     * @throws RightsKeyUnavailableException DKM cannot give the keys now (retry later)
     * @throws RightsStoreUnavailableException the rights store cannot record the message (retry
     *     later)
     * @throws MessagingException the original cannot be read or the wrapper not built
     */
    public Protection protect(
            MimeMessage original,
            String sender,
            Collection<String> recipients,
            RightsTemplate template)
            throws RightsKeyUnavailableException,
                    RightsStoreUnavailableException,
                    MessagingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            original.writeTo(out);
        } catch (IOException e) {
            throw new MessagingException(
                    "cannot read the message to protect: " + e.getMessage(), e);
        }
        return protect(out.toByteArray(), original, sender, recipients, template);
    }

    /**
     * {@link #protect(MimeMessage, String, Collection, RightsTemplate)} over the raw RFC 5322
     * bytes.
     */
    public Protection protect(
            byte[] raw, String sender, Collection<String> recipients, RightsTemplate template)
            throws RightsKeyUnavailableException,
                    RightsStoreUnavailableException,
                    MessagingException {
        return protect(
                raw,
                new MimeMessage(session, new ByteArrayInputStream(raw)),
                sender,
                recipients,
                template);
    }

    private Protection protect(
            byte[] raw,
            MimeMessage original,
            String sender,
            Collection<String> recipients,
            RightsTemplate template)
            throws RightsKeyUnavailableException,
                    RightsStoreUnavailableException,
                    MessagingException {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String jti = newLicenceId(random);
        String from = senderOf(original, sender);
        String mid =
                original.getMessageID() == null
                        ? jti + "@" + settings.issuer()
                        : Rights.messageId(original.getMessageID());
        Set<String> rcpt = new LinkedHashSet<>();
        if (recipients != null) {
            for (String r : recipients) {
                if (r != null && !r.trim().isEmpty()) {
                    rcpt.add(Rights.address(r));
                }
            }
        }
        addAddresses(rcpt, original, Message.RecipientType.TO);
        addAddresses(rcpt, original, Message.RecipientType.CC);
        Instant expires = template.expiry().isPresent() ? now.plus(template.expiry().get()) : null;

        LicenceSealer.Sealed sealed =
                LicenceSealer.seal(
                        raw,
                        keys,
                        settings.issuer(),
                        jti,
                        mid,
                        from,
                        new ArrayList<>(rcpt),
                        template,
                        now,
                        expires);
        UseLicence ul = sealed.licence;
        ProtectedPackage pkg = sealed.pkg;
        store.record(ul, pkg);
        Protection protection = new Protection(ul, pkg, wrappers.wrap(original, ul, pkg));
        Metrics.global().rightsProtected();
        return protection;
    }

    /**
     * 128 random bits, base64url. Never starting with {@code -}: an operator gives the id to {@code
     * ./mailsec rights log|revoke}, whose parser would take it for an option (one id in 64).
     */
    static String newLicenceId(SecureRandom random) {
        byte[] b = new byte[16];
        String id;
        do {
            random.nextBytes(b);
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        } while (id.charAt(0) == '-');
        return id;
    }

    private static String senderOf(MimeMessage m, String sender) throws MessagingException {
        if (sender != null && !sender.trim().isEmpty()) {
            return Rights.address(sender);
        }
        Address[] from = m.getFrom();
        if (from != null) {
            for (Address a : from) {
                if (a instanceof InternetAddress) {
                    return Rights.address(((InternetAddress) a).getAddress());
                }
            }
        }
        throw new MessagingException(
                "sender: no envelope sender and no From address to name in the licence");
    }

    private static void addAddresses(Set<String> out, MimeMessage m, Message.RecipientType type) {
        try {
            Address[] as = m.getRecipients(type);
            if (as != null) {
                for (Address a : as) {
                    if (a instanceof InternetAddress
                            && ((InternetAddress) a).getAddress() != null) {
                        out.add(Rights.address(((InternetAddress) a).getAddress()));
                    }
                }
            }
        } catch (MessagingException e) {
            // an unparsable To/Cc adds nobody; the envelope recipients are in the licence anyway
        }
    }

    @Override
    public String toString() {
        return "RightsProtector[" + settings.issuer() + "]";
    }
}
