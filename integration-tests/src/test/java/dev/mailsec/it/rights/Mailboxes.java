package dev.mailsec.it.rights;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Store;
import javax.mail.Transport;
import javax.mail.internet.MimeMessage;

/** Reads users' INBOXes over IMAP and sends over SMTP, as a user's mail program would. */
final class Mailboxes {

    private final int imapPort;
    private final int smtpPort;

    Mailboxes(int imapPort, int smtpPort) {
        this.imapPort = imapPort;
        this.smtpPort = smtpPort;
    }

    /**
     * Every message in the INBOX whose subject starts with {@code prefix}, oldest first (detached
     * copies). James 3.8.1 can announce a message that is being delivered (EXISTS) a moment before
     * it answers a FETCH for it ("BAD FETCH failed. Invalid messageset", seen once here): such a
     * listing is read again.
     */
    List<MimeMessage> list(String user, String password, String prefix) throws MessagingException {
        for (int attempt = 1; ; attempt++) {
            try {
                return listOnce(user, password, prefix);
            } catch (MessagingException e) {
                if (attempt == 5
                        || !String.valueOf(e.getMessage()).contains("Invalid messageset")) {
                    throw e;
                }
                try {
                    Thread.sleep(100L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private List<MimeMessage> listOnce(String user, String password, String prefix)
            throws MessagingException {
        Properties props = new Properties();
        props.put("mail.imap.connectiontimeout", "15000");
        props.put("mail.imap.timeout", "15000");
        Store store = Session.getInstance(props).getStore("imap");
        store.connect("127.0.0.1", imapPort, user, password);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                List<MimeMessage> out = new ArrayList<>();
                for (Message m : inbox.getMessages()) {
                    String s = m.getSubject();
                    if (s != null && s.startsWith(prefix)) {
                        out.add(new MimeMessage((MimeMessage) m));
                    }
                }
                return out;
            } finally {
                inbox.close(false);
            }
        } finally {
            store.close();
        }
    }

    /** Waits until there are more than {@code known} such messages and returns the newest. */
    MimeMessage awaitNew(String user, String password, String prefix, int known)
            throws MessagingException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            List<MimeMessage> all = list(user, password, prefix);
            if (all.size() > known) {
                return all.get(all.size() - 1);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(
                        "no new message '" + prefix + "...' for " + user + " after 30 s");
            }
            Thread.sleep(150);
        }
    }

    int count(String user, String password, String prefix) throws MessagingException {
        return list(user, password, prefix).size();
    }

    void send(MimeMessage m) throws MessagingException {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", Integer.toString(smtpPort));
        props.put("mail.smtp.localhost", "client.mailsec.test");
        Session session = Session.getInstance(props);
        try (Transport t = session.getTransport("smtp")) {
            t.connect();
            t.sendMessage(m, m.getAllRecipients());
        }
    }

    static String raw(MimeMessage m) throws IOException, MessagingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
