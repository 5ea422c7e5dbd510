package dev.mailsec.rights;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.AESEncrypter;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.Properties;
import java.util.Set;
import javax.activation.DataHandler;
import javax.crypto.SecretKey;
import javax.mail.Address;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.util.ByteArrayDataSource;

/**
 * Protects a message: encrypts the complete original (JWE, A256GCMKW + A256GCM under the DKM
 * content key), signs a use licence bound to that ciphertext (JWS ES256, claim {@code cth}),
 * records both in the {@link RightsStore}, and builds the wrapper that travels instead: a short
 * explanation with the portal link, and the package as attachment {@value
 * ProtectedPackage#FILE_NAME}. Thread-safe; share one per process.
 */
public final class RightsProtector {
    /** Header of the wrapper: {@code licence=<jti>; template=<name>}. */
    public static final String PROTECTED_HEADER = "X-Mailsec-Protected";

    /** The licence's JOSE type. */
    static final JOSEObjectType LICENCE_TYPE = new JOSEObjectType("mailsec-licence+jwt");

    private static final String[] KEPT_HEADERS = {
        "From", "Sender", "Reply-To", "To", "Cc", "Date", "In-Reply-To", "References"
    };

    private final RightsSettings settings;
    private final RightsKeyring keys;
    private final RightsStore store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Session session = Session.getInstance(new Properties());

    public RightsProtector(
            RightsSettings settings, RightsKeyring keys, RightsStore store, Clock clock) {
        this.settings = settings;
        this.keys = keys;
        this.store = store;
        this.clock = clock;
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

        RightsKey<SecretKey> ck = keys.contentKey();
        RightsKey<ECPrivateKey> sk = keys.signingKey();
        String content;
        try {
            JWEHeader h =
                    new JWEHeader.Builder(JWEAlgorithm.A256GCMKW, EncryptionMethod.A256GCM)
                            .keyID(ck.kid())
                            .contentType("message/rfc822")
                            .customParam("lid", jti)
                            .customParam("mid", mid)
                            .build();
            JWEObject jwe = new JWEObject(h, new Payload(raw));
            jwe.encrypt(new AESEncrypter(ck.key()));
            content = jwe.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(
                    "cannot encrypt with " + ck.kid() + ": " + e.getMessage(), e);
        }
        String cth = contentHash(content);
        JWTClaimsSet.Builder cb =
                new JWTClaimsSet.Builder()
                        .issuer(settings.issuer())
                        .jwtID(jti)
                        .claim("mid", mid)
                        .subject(from)
                        .claim("rcpt", new ArrayList<>(rcpt))
                        .claim("tpl", template.name())
                        .claim("rights", Rights.tokenList(template.rights()))
                        .issueTime(Date.from(now))
                        .claim("cth", cth);
        if (expires != null) {
            cb.expirationTime(Date.from(expires));
        }
        String licence;
        try {
            SignedJWT jwt =
                    new SignedJWT(
                            new JWSHeader.Builder(JWSAlgorithm.ES256)
                                    .keyID(sk.kid())
                                    .type(LICENCE_TYPE)
                                    .build(),
                            cb.build());
            jwt.sign(new ECDSASigner(sk.key()));
            licence = jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(
                    "cannot sign with " + sk.kid() + ": " + e.getMessage(), e);
        }
        UseLicence ul =
                new UseLicence(
                        jti,
                        mid,
                        settings.issuer(),
                        from,
                        new ArrayList<>(rcpt),
                        template.name(),
                        template.rights(),
                        now,
                        expires,
                        cth,
                        sk.kid(),
                        licence);
        ProtectedPackage pkg = ProtectedPackage.ofTrusted(licence, content);
        store.record(ul, pkg);
        return new Protection(ul, pkg, wrapper(original, ul, pkg));
    }

    private MimeMessage wrapper(MimeMessage original, UseLicence licence, ProtectedPackage pkg)
            throws MessagingException {
        MimeMessage w = new WrapperMessage(session);
        for (String name : KEPT_HEADERS) {
            String[] values = original.getHeader(name);
            if (values != null) {
                for (String v : values) {
                    w.addHeader(name, v);
                }
            }
        }
        if (w.getHeader("From") == null) {
            w.setFrom(new InternetAddress(licence.sender()));
        }
        if (w.getHeader("Date") == null) {
            w.setSentDate(Date.from(licence.issuedAt()));
        }
        if (settings.subjectMode() == RightsSettings.SubjectMode.KEEP) {
            String[] s = original.getHeader("Subject");
            if (s != null && s.length > 0) {
                w.setHeader("Subject", s[0]);
            }
        } else {
            w.setSubject(
                    settings.replacementSubject().replace("{sender}", licence.sender()), "UTF-8");
        }
        w.setHeader("Message-ID", "<" + licence.messageId() + ">");
        w.setHeader(PROTECTED_HEADER, RightsHeaders.protectedValue(licence));

        String link = settings.portalLink(licence.licenceId());
        String expiry =
                licence.expiresAt().isPresent()
                        ? "It can be opened until " + licence.expiresAt().get() + "."
                        : "";
        String text =
                licence.sender()
                        + " sent you a protected message.\r\n\r\n"
                        + "Open it in your browser:\r\n"
                        + link
                        + "\r\n\r\n"
                        + "You will be asked for a one-time passcode, which is mailed to you.\r\n"
                        + (expiry.isEmpty() ? "" : expiry + "\r\n")
                        + "\r\nThe message is encrypted; the attached "
                        + ProtectedPackage.FILE_NAME
                        + " holds it and its use licence ("
                        + licence.template()
                        + ": "
                        + licence.rightsTokens()
                        + ").\r\n";
        String html =
                "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Protected message</title></head><body>"
                        + "<p><strong>"
                        + escape(licence.sender())
                        + "</strong> sent you a protected message.</p>"
                        + "<p><a href=\""
                        + escape(link)
                        + "\">Read the message</a></p>"
                        + "<p>You will be asked for a one-time passcode, which is mailed to you.</p>"
                        + (expiry.isEmpty() ? "" : "<p>" + escape(expiry) + "</p>")
                        + "<p><small>Protected with mailsec ("
                        + escape(licence.template())
                        + ": "
                        + escape(licence.rightsTokens())
                        + ").</small></p></body></html>";
        MimeBodyPart textPart = new MimeBodyPart();
        textPart.setText(text, "UTF-8", "plain");
        MimeBodyPart htmlPart = new MimeBodyPart();
        htmlPart.setText(html, "UTF-8", "html");
        MimeMultipart alt = new MimeMultipart("alternative", textPart, htmlPart);
        MimeBodyPart altPart = new MimeBodyPart();
        altPart.setContent(alt);
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setDataHandler(
                new DataHandler(
                        new ByteArrayDataSource(pkg.encode(), ProtectedPackage.MEDIA_TYPE)));
        attachment.setFileName(ProtectedPackage.FILE_NAME);
        attachment.setDisposition(MimeBodyPart.ATTACHMENT);
        attachment.setHeader("Content-Transfer-Encoding", "base64");
        w.setContent(new MimeMultipart("mixed", altPart, attachment));
        w.saveChanges();
        return w;
    }

    /** base64url (no padding) SHA-256 of the JWE compact string: the licence's {@code cth}. */
    static String contentHash(String jweCompact) {
        try {
            byte[] d =
                    MessageDigest.getInstance("SHA-256")
                            .digest(jweCompact.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
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

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<':
                    sb.append("&lt;");
                    break;
                case '>':
                    sb.append("&gt;");
                    break;
                case '&':
                    sb.append("&amp;");
                    break;
                case '"':
                    sb.append("&quot;");
                    break;
                case '\'':
                    sb.append("&#39;");
                    break;
                default:
                    sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Keeps the original's Message-ID through {@code saveChanges()}, so replies thread. */
    static final class WrapperMessage extends MimeMessage {
        WrapperMessage(Session session) {
            super(session);
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            if (getHeader("Message-ID") == null) {
                super.updateMessageID();
            }
        }
    }

    @Override
    public String toString() {
        return "RightsProtector[" + settings.issuer() + "]";
    }
}
