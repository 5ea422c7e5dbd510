package dev.mailsec.it.connector;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Store;

/**
 * Reads a user's INBOX over IMAP, as a mail program would, looking for a message containing some
 * text.
 */
final class Inbox {

    private Inbox() {}

    /**
     * The raw text of the first message containing {@code text}, waiting up to {@code timeout}. A
     * read that fails on the way (a busy machine: IMAP timeouts) is tried again, with a new
     * connection, until then.
     */
    static String awaitMessageContaining(
            int imapPort, String user, String password, String text, Duration timeout)
            throws MessagingException, IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            try {
                String found = findOnce(imapPort, user, password, text);
                if (found != null) {
                    return found;
                }
            } catch (MessagingException | IOException readFailed) {
                if (Instant.now().isAfter(deadline)) {
                    throw readFailed;
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(
                        "no message containing '"
                                + text
                                + "' in "
                                + user
                                + "'s INBOX after "
                                + timeout.toSeconds()
                                + " s");
            }
            Thread.sleep(200);
        }
    }

    private static String findOnce(int imapPort, String user, String password, String text)
            throws MessagingException, IOException {
        Properties props = new Properties();
        props.put("mail.imap.connectiontimeout", "15000");
        props.put("mail.imap.timeout", "15000");
        Store store = Session.getInstance(props).getStore("imap");
        store.connect("127.0.0.1", imapPort, user, password);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                for (Message message : inbox.getMessages()) {
                    ByteArrayOutputStream raw = new ByteArrayOutputStream();
                    message.writeTo(raw);
                    String content = new String(raw.toByteArray(), StandardCharsets.UTF_8);
                    if (content.contains(text)) {
                        return content;
                    }
                }
                return null;
            } finally {
                if (inbox.isOpen()) {
                    inbox.close(false);
                }
            }
        } finally {
            store.close();
        }
    }
}
