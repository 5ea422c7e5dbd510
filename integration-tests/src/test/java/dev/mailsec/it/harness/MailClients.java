package dev.mailsec.it.harness;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Store;
import javax.mail.Transport;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import javax.mail.search.SubjectTerm;
import javax.net.ssl.SSLSocketFactory;

/**
 * Standard clients (JavaMail's SMTP and IMAP) talking to the James under test, as a user's mail
 * program would.
 */
final class MailClients {

    private static final String TIMEOUT_MILLIS = "15000";

    private MailClients() {}

    static void send(Delivery delivery, int port, SSLSocketFactory tlsSocketFactory)
            throws MessagingException {
        Properties props = new Properties();
        // "localhost", not "127.0.0.1": JavaMail 1.6's server identity check matches DNS names only
        props.put("mail.smtp.host", "localhost");
        props.put("mail.smtp.port", Integer.toString(port));
        props.put("mail.smtp.localhost", "client.mailsec.test");
        props.put("mail.smtp.connectiontimeout", TIMEOUT_MILLIS);
        props.put("mail.smtp.timeout", TIMEOUT_MILLIS);
        switch (delivery.mode()) {
            case PLAIN:
                props.put("mail.smtp.starttls.enable", "false");
                break;
            case STARTTLS:
            case STARTTLS_CLIENT_AUTH:
                props.put("mail.smtp.starttls.enable", "true");
                props.put("mail.smtp.starttls.required", "true");
                break;
            case IMPLICIT_TLS:
                props.put("mail.smtp.ssl.enable", "true");
                break;
            default:
                throw new IllegalArgumentException("unknown mode " + delivery.mode());
        }
        if (delivery.mode() != Delivery.Mode.PLAIN) {
            props.put("mail.smtp.ssl.socketFactory", tlsSocketFactory);
            props.put("mail.smtp.ssl.checkserveridentity", "true");
            delivery.protocols()
                    .ifPresent(
                            protocols ->
                                    props.put(
                                            "mail.smtp.ssl.protocols",
                                            String.join(" ", protocols)));
        }
        props.put("mail.debug", System.getProperty("mailsec.it.mail.debug", "false"));
        Session session = Session.getInstance(props);
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(delivery.from()));
        for (String recipient : delivery.to()) {
            message.addRecipient(Message.RecipientType.TO, new InternetAddress(recipient));
        }
        message.setSubject(delivery.subject());
        for (Map.Entry<String, String> header : delivery.headers().entrySet()) {
            message.addHeader(header.getKey(), header.getValue());
        }
        message.setText(delivery.body());
        message.saveChanges();
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect();
            transport.sendMessage(message, message.getAllRecipients());
        }
    }

    /**
     * Polls {@code user}'s INBOX over IMAP until a message with exactly {@code subject} is there,
     * and returns a detached copy of it.
     */
    static MimeMessage awaitMessage(
            int imapPort, String user, String password, String subject, Duration timeout)
            throws MessagingException, InterruptedException {
        Properties props = new Properties();
        props.put("mail.imap.connectiontimeout", TIMEOUT_MILLIS);
        props.put("mail.imap.timeout", TIMEOUT_MILLIS);
        Session session = Session.getInstance(props);
        Instant deadline = Instant.now().plus(timeout);
        Store store = session.getStore("imap");
        store.connect("127.0.0.1", imapPort, user, password);
        try {
            while (true) {
                Optional<MimeMessage> found = find(store, subject);
                if (found.isPresent()) {
                    return found.get();
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError(
                            "no message with subject '"
                                    + subject
                                    + "' in "
                                    + user
                                    + "'s INBOX after "
                                    + timeout.toSeconds()
                                    + " s");
                }
                Thread.sleep(100);
            }
        } finally {
            store.close();
        }
    }

    private static Optional<MimeMessage> find(Store store, String subject)
            throws MessagingException {
        Folder inbox = store.getFolder("INBOX");
        inbox.open(Folder.READ_ONLY);
        try {
            for (Message candidate : inbox.search(new SubjectTerm(subject))) {
                if (subject.equals(candidate.getSubject())) {
                    return Optional.of(new MimeMessage((MimeMessage) candidate));
                }
            }
            return Optional.empty();
        } finally {
            inbox.close(false);
        }
    }

    /**
     * Sends prepared MIME bytes unchanged over plain SMTP (a mail client's own S/MIME output), as
     * client.mailsec.test.
     */
    static void sendRaw(int port, byte[] message, String... to) throws MessagingException {
        Properties props = new Properties();
        props.put("mail.smtp.host", "localhost");
        props.put("mail.smtp.port", Integer.toString(port));
        props.put("mail.smtp.localhost", "client.mailsec.test");
        props.put("mail.smtp.connectiontimeout", TIMEOUT_MILLIS);
        props.put("mail.smtp.timeout", TIMEOUT_MILLIS);
        Session session = Session.getInstance(props);
        MimeMessage m = new MimeMessage(session, new ByteArrayInputStream(message));
        InternetAddress[] recipients = new InternetAddress[to.length];
        for (int i = 0; i < to.length; i++) {
            recipients[i] = new InternetAddress(to[i]);
        }
        try (Transport t = session.getTransport("smtp")) {
            t.connect();
            t.sendMessage(m, recipients);
        }
    }

    /** The subjects in the user's INBOX now, read over IMAP. */
    static List<String> subjects(int imapPort, String user, String password)
            throws MessagingException {
        Store store = Session.getInstance(new Properties()).getStore("imap");
        store.connect("127.0.0.1", imapPort, user, password);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            List<String> subjects = new ArrayList<>();
            for (Message m : inbox.getMessages()) {
                subjects.add(m.getSubject());
            }
            inbox.close(false);
            return subjects;
        } finally {
            store.close();
        }
    }
}
