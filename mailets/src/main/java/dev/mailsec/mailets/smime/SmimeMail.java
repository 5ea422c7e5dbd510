package dev.mailsec.mailets.smime;

import dev.mailsec.mailets.mime.HeaderChanges;
import dev.mailsec.smime.SmimeBuffer;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import javax.mail.util.SharedByteArrayInputStream;
import org.apache.mailet.Mail;

/** Moves a mail's message to and from the bytes the S/MIME engine works on, without re-encoding. */
final class SmimeMail {

    private static final Session SESSION = Session.getInstance(new Properties());

    private SmimeMail() {}

    /**
     * The message as it would be sent, in a buffer sized from the mail's size (read it in place,
     * {@link SmimeBuffer#in()}).
     */
    static SmimeBuffer bytes(Mail mail) throws MessagingException {
        SmimeBuffer out =
                new SmimeBuffer(
                        Math.max(1024, (int) Math.min(Integer.MAX_VALUE - 16, safeSize(mail))));
        try {
            // a malformed Content-Type must not stop the message from being written as received
            HeaderChanges.writeTo(mail, out);
        } catch (IOException e) {
            throw new MessagingException("cannot read the message", e);
        }
        return out;
    }

    private static long safeSize(Mail mail) {
        try {
            return mail.getMessageSize() + 1024;
        } catch (MessagingException e) {
            return 64 * 1024;
        }
    }

    /**
     * Replaces the message with what the engine wrote, read in place and kept as it is (see {@link
     * PreservedMimeMessage}): for a 1 MB message each copy saved ({@code toByteArray}, a
     * default-sized buffer growing by doubling) is ~1.4 MB less to move.
     */
    static void replace(Mail mail, SmimeBuffer written) throws MessagingException {
        mail.setMessage(
                new PreservedMimeMessage(
                        new SharedByteArrayInputStream(written.array(), 0, written.size())));
    }

    /** The first address of the From: field, lower-cased; empty when missing or unparseable. */
    static Optional<String> from(MimeMessage message) throws MessagingException {
        String[] values = message.getHeader("From");
        if (values == null || values.length == 0) {
            return Optional.empty();
        }
        try {
            InternetAddress[] addresses = InternetAddress.parseHeader(values[0], false);
            return addresses.length == 0
                    ? Optional.empty()
                    : Optional.of(addresses[0].getAddress().toLowerCase(Locale.ROOT));
        } catch (AddressException e) {
            return Optional.empty();
        }
    }

    /**
     * A message whose bytes are final: JavaMail's saveChanges() would otherwise re-encode a
     * multipart (breaking the signature) and replace the Message-ID. Header edits by later mailets
     * still work; the body is always written as it was read.
     */
    static final class PreservedMimeMessage extends MimeMessage {
        PreservedMimeMessage(InputStream in) throws MessagingException {
            super(SESSION, in);
        }

        @Override
        protected void updateHeaders() {
            // nothing to update: the content is written back byte for byte
        }
    }
}
