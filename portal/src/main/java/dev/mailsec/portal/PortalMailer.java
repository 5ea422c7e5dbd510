package dev.mailsec.portal;

import dev.mailsec.rights.LicenceTerms;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Date;
import java.util.Properties;
import javax.mail.Address;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Transport;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

/**
 * Sends the portal's mail through James over SMTP: passcodes (from the passcode sender), and the
 * reader's replies and forwards (From the reader). James's pipeline then treats them like any other
 * message.
 */
class PortalMailer {

    private static final String TIMEOUT = "15000";
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final PortalConfig config;
    private final Session session;

    PortalMailer(PortalConfig config) {
        this.config = config;
        Properties p = new Properties();
        p.put("mail.smtp.host", config.smtpHost());
        p.put("mail.smtp.port", Integer.toString(config.smtpPort()));
        p.put("mail.smtp.connectiontimeout", TIMEOUT);
        p.put("mail.smtp.timeout", TIMEOUT);
        p.put("mail.smtp.writetimeout", TIMEOUT);
        p.put("mail.smtp.localhost", config.publicUrl().getHost());
        this.session = Session.getInstance(p);
    }

    Session session() {
        return session;
    }

    /**
     * The passcode mail. The code is in the body only (not the subject, which notifications show).
     */
    void sendPasscode(LicenceTerms licence, String address, String code, Instant expires)
            throws MessagingException {
        sendPasscodeMail(
                address,
                passcodeSubject(licence.sender()),
                "passcode; licence=" + licence.licenceId(),
                "Your one-time passcode for the protected message from " + licence.sender(),
                "/m/" + licence.licenceId(),
                code,
                expires,
                "If you did not ask for a passcode, ignore this message; nobody can read the message without it.\r\n");
    }

    /** The passcode mail of the sender pages (the code in the body only). */
    void sendSenderPasscode(String address, String code, Instant expires)
            throws MessagingException {
        sendPasscodeMail(
                address,
                SENDER_PASSCODE_SUBJECT,
                "passcode; sender",
                "Your one-time passcode to see the protected messages you sent",
                "/sender",
                code,
                expires,
                "If you did not ask for a passcode, ignore this message.\r\n");
    }

    /**
     * One passcode mail: {@code intro} " is:", the code, when it expires, the page it is for
     * ({@code path} under the public URL), then {@code closing}.
     */
    private void sendPasscodeMail(
            String address,
            String subject,
            String marker,
            String intro,
            String path,
            String code,
            Instant expires,
            String closing)
            throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(config.passcodeSender(), true));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(address, true));
        m.setSubject(subject, "UTF-8");
        m.setHeader("Auto-Submitted", "auto-generated");
        m.setHeader("X-Mailsec-Portal", marker);
        String link = config.publicUrl().toString().replaceAll("/+$", "") + path;
        String text =
                intro
                        + " is:\r\n\r\n"
                        + "    "
                        + code
                        + "\r\n\r\n"
                        + "It can be used once and expires at "
                        + TIME.format(expires)
                        + ".\r\n"
                        + "Enter it on the page where you asked for it ("
                        + link
                        + ").\r\n\r\n"
                        + closing;
        m.setText(text, "UTF-8");
        m.setSentDate(new Date());
        m.saveChanges();
        send(m, m.getAllRecipients());
    }

    static final String SENDER_PASSCODE_SUBJECT =
            "Your passcode to see the protected messages you sent";

    static String passcodeSubject(String sender) {
        return "Your passcode for the protected message from " + sender;
    }

    /**
     * A reply (or reply-all) from the reader, threaded to the original by In-Reply-To/References.
     */
    MimeMessage reply(
            LicenceTerms licence,
            MessageView view,
            String reader,
            Collection<String> to,
            String body)
            throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(reader, true));
        for (String t : to) {
            m.addRecipient(Message.RecipientType.TO, new InternetAddress(t, true));
        }
        String subject =
                view.subject.regionMatches(true, 0, "Re:", 0, 3)
                        ? view.subject
                        : "Re: " + view.subject;
        m.setSubject(subject, "UTF-8");
        if (licence.messageId() != null && !licence.messageId().isEmpty()) {
            m.setHeader("In-Reply-To", "<" + licence.messageId() + ">");
            m.setHeader("References", "<" + licence.messageId() + ">");
        }
        m.setHeader("X-Mailsec-Portal", "reply; licence=" + licence.licenceId());
        m.setText(body, "UTF-8");
        m.setSentDate(new Date());
        m.saveChanges();
        return m;
    }

    /** The forward to protect: the reader's note and the original attached as message/rfc822. */
    MimeMessage forward(
            LicenceTerms licence,
            MimeMessage original,
            MessageView view,
            String reader,
            Collection<String> to,
            String note)
            throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(reader, true));
        for (String t : to) {
            m.addRecipient(Message.RecipientType.TO, new InternetAddress(t, true));
        }
        m.setSubject("Fwd: " + view.subject, "UTF-8");
        m.setHeader("X-Forwarded-Message-Id", "<" + licence.messageId() + ">");
        m.setHeader("X-Mailsec-Portal", "forward; licence=" + licence.licenceId());
        MimeMultipart mixed = new MimeMultipart("mixed");
        MimeBodyPart text = new MimeBodyPart();
        text.setText(note.isBlank() ? "Forwarded message attached." : note, "UTF-8");
        mixed.addBodyPart(text);
        MimeBodyPart attached = new MimeBodyPart();
        attached.setContent(new MimeMessage(original), "message/rfc822");
        attached.setFileName("forwarded.eml");
        mixed.addBodyPart(attached);
        m.setContent(mixed);
        m.setSentDate(new Date());
        m.saveChanges();
        return m;
    }

    void send(MimeMessage m, Address[] recipients) throws MessagingException {
        try (Transport t = session.getTransport("smtp")) {
            t.connect();
            t.sendMessage(m, recipients);
        }
    }
}
