package dev.mailsec.mailets.mime;

import java.io.IOException;
import java.io.OutputStream;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves header fields a mailet added, replaced or removed, without making the message's MIME
 * structure a condition for it.
 *
 * <p>JavaMail's {@code saveChanges()} re-parses the {@code Content-Type} (and, for a multipart,
 * every part) and throws on a malformed one ({@code text/plain;; charset=utf-8}: "expected
 * parameter name"), which sent hostile mail to the error processor although only a header field
 * changed. Here that failure keeps the message as received: its header block with our changes, its
 * body byte for byte. That holds because {@code MimeMessage.saveChanges()} marks the message saved
 * before it updates the MIME headers (javax.mail 1.6.2), so James 3.8.1's {@code
 * MimeMessageWrapper} writes its in-memory headers followed by the body it received and does not
 * try {@code saveChanges()} again on store. The integration test {@code MalformedContentTypeTest}
 * checks in a real James that the header arrives.
 *
 * <p>Replacing the message by a more tolerant copy would not last: James's {@code Mail.setMessage}
 * wraps whatever it is given in a new {@code MimeMessageWrapper}. James's own header mailets after
 * ours ({@code SetMimeHeader}, {@code RemoveMimeHeader}) still call {@code saveChanges()}
 * unguarded; give them {@code <onMailetException>ignore</onMailetException>} (the header change is
 * made before the failure).
 */
public final class HeaderChanges {

    private static final Logger LOG = LoggerFactory.getLogger(HeaderChanges.class);

    private HeaderChanges() {}

    /**
     * Saves the header changes made to the mail's message. A MIME structure that does not parse is
     * not an error here (the body was not touched); a message that cannot be read at all still
     * throws.
     */
    public static void save(Mail mail) throws MessagingException {
        MimeMessage message = mail.getMessage();
        try {
            message.saveChanges();
        } catch (MessagingException e) {
            if (causedByIo(e)) {
                throw e;
            }
            // the exception's message quotes the sender's header: not logged (it may carry line
            // breaks)
            LOG.info(
                    "MIME structure of mail {} does not parse ({}); header changes saved, body kept as received",
                    mail.getName(),
                    e.getClass().getSimpleName());
        }
    }

    /**
     * Writes the mail's message as it would be sent. A message whose headers changed since it was
     * last saved (by James's own mailets, say) is written through {@code saveChanges()}, which
     * fails on a MIME structure it cannot parse; then the changes are saved as {@link #save} does
     * and the message is written as received. Nothing reaches {@code out} before that failure:
     * JavaMail and James save before they write.
     */
    public static void writeTo(Mail mail, OutputStream out) throws IOException, MessagingException {
        try {
            mail.getMessage().writeTo(out);
        } catch (MessagingException e) {
            if (causedByIo(e)) {
                throw e;
            }
            save(mail);
            mail.getMessage().writeTo(out);
        }
    }

    /** {@code MessagingException.getCause()} is its "next exception", so one chain covers both. */
    static boolean causedByIo(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
