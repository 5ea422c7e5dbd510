package dev.mailsec.mailets.rights;

import dev.mailsec.rights.ProtectedPackage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.Session;
import javax.mail.internet.AddressException;
import javax.mail.internet.ContentType;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.ParseException;
import javax.mail.util.SharedByteArrayInputStream;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;

/** Small helpers the rights mailets share: message bytes, addresses, parameter values. */
final class RightsMail {

    static final Session SESSION = Session.getInstance(new Properties());

    private RightsMail() {}

    static byte[] bytes(MimeMessage message) throws MessagingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            message.writeTo(out);
        } catch (IOException e) {
            throw new MessagingException("cannot read the message", e);
        }
        return out.toByteArray();
    }

    /**
     * A message whose bytes stay as they are (JavaMail would re-encode a multipart and replace the
     * Message-ID).
     */
    static MimeMessage preserved(byte[] bytes) throws MessagingException {
        return new PreservedMimeMessage(new SharedByteArrayInputStream(bytes));
    }

    /** The envelope sender, else the first From: address; lower-cased. */
    static Optional<String> sender(Mail mail) throws MessagingException {
        if (mail.getMaybeSender().asOptional().isPresent()) {
            return Optional.of(mail.getMaybeSender().get().asString().toLowerCase(Locale.ROOT));
        }
        return from(mail.getMessage());
    }

    static Optional<String> from(MimeMessage message) throws MessagingException {
        String[] values = message.getHeader("From");
        if (values == null || values.length == 0) {
            return Optional.empty();
        }
        try {
            InternetAddress[] addresses = InternetAddress.parseHeader(values[0], false);
            return addresses.length == 0 || addresses[0].getAddress() == null
                    ? Optional.empty()
                    : Optional.of(addresses[0].getAddress().toLowerCase(Locale.ROOT));
        } catch (AddressException e) {
            return Optional.empty();
        }
    }

    static List<String> addresses(Collection<MailAddress> recipients) {
        List<String> out = new ArrayList<>(recipients.size());
        for (MailAddress r : recipients) {
            out.add(r.asString().toLowerCase(Locale.ROOT));
        }
        return out;
    }

    static String join(Collection<?> items) {
        StringBuilder sb = new StringBuilder();
        for (Object o : items) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(o);
        }
        return sb.toString();
    }

    /** Message ids in a References / In-Reply-To style field, without the angle brackets. */
    static List<String> messageIds(String[] values) {
        List<String> ids = new ArrayList<>();
        if (values == null) {
            return ids;
        }
        for (String v : values) {
            int i = 0;
            while ((i = v.indexOf('<', i)) >= 0) {
                int end = v.indexOf('>', i);
                if (end < 0) {
                    break;
                }
                String id = v.substring(i + 1, end).trim();
                if (!id.isEmpty() && id.length() <= 998) {
                    ids.add(id);
                }
                i = end + 1;
            }
        }
        return ids;
    }

    /**
     * The protected package part of a wrapper: in the message's own multipart tree (not inside an
     * attached message), of type {@link ProtectedPackage#MEDIA_TYPE}. Empty for anything else,
     * including a structure that cannot be parsed.
     */
    static Optional<Part> packagePart(Part part) {
        return packagePart(part, 0);
    }

    private static Optional<Part> packagePart(Part part, int depth) {
        try {
            String type = baseType(part.getContentType());
            if (ProtectedPackage.MEDIA_TYPE.equals(type)) {
                return Optional.of(part);
            }
            if (depth >= 8 || !type.startsWith("multipart/")) {
                return Optional.empty();
            }
            Object content = part.getContent();
            if (!(content instanceof Multipart)) {
                return Optional.empty();
            }
            Multipart multipart = (Multipart) content;
            for (int i = 0; i < multipart.getCount(); i++) {
                Optional<Part> found = packagePart(multipart.getBodyPart(i), depth + 1);
                if (found.isPresent()) {
                    return found;
                }
            }
            return Optional.empty();
        } catch (MessagingException | IOException e) {
            return Optional.empty();
        }
    }

    /** The decoded bytes of a part (transfer encoding removed). */
    static byte[] decoded(Part part) throws MessagingException, IOException {
        try (InputStream in = part.getInputStream()) {
            return in.readAllBytes();
        }
    }

    static String baseType(String contentType) {
        if (contentType == null) {
            return "text/plain";
        }
        try {
            return new ContentType(contentType).getBaseType().toLowerCase(Locale.ROOT);
        } catch (ParseException e) {
            return contentType.trim().toLowerCase(Locale.ROOT);
        }
    }

    static final class PreservedMimeMessage extends MimeMessage {
        PreservedMimeMessage(InputStream in) throws MessagingException {
            super(SESSION, in);
        }

        @Override
        protected void updateHeaders() {
            // the content is written back byte for byte
        }
    }
}
