package dev.mailsec.rights;

import java.util.Date;
import javax.activation.DataHandler;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.util.ByteArrayDataSource;

/**
 * Builds the wrapper that travels instead of a protected message: the original's addressing fields,
 * its Subject (or the replacement), its Message-ID (so replies thread), the {@value
 * RightsProtector#PROTECTED_HEADER} field, a short text and HTML explanation with the portal link,
 * and the package as attachment {@value ProtectedPackage#FILE_NAME}. Thread-safe.
 */
final class ProtectedWrapper {
    private static final String[] KEPT_HEADERS = {
        "From", "Sender", "Reply-To", "To", "Cc", "Date", "In-Reply-To", "References"
    };

    /** The Content-ID of the inline logo in the wrapper's HTML. */
    static final String LOGO_CID = "logo@mailsec";

    private final RightsSettings settings;
    private final Session session;

    ProtectedWrapper(RightsSettings settings, Session session) {
        this.settings = settings;
        this.session = session;
    }

    /** The wrapper of a protected message, built from the original's kept header fields. */
    MimeMessage wrap(MimeMessage original, UseLicence licence, ProtectedPackage pkg)
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
        w.setHeader(RightsProtector.PROTECTED_HEADER, RightsHeaders.protectedValue(licence));

        String link = settings.portalLink(licence.licenceId());
        Branding brand = settings.branding().forSender(licence.sender());
        String expiry =
                licence.expiresAt().isPresent()
                        ? "It can be opened until " + licence.expiresAt().get() + "."
                        : "";
        String text =
                brand.organisation().map(o -> o + "\r\n\r\n").orElse("")
                        + brand.wrapperWording(licence.sender()).replace("\n", "\r\n")
                        + "\r\n\r\n"
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
        boolean inlineLogo = brand.logo().filter(BrandLogo::mailable).isPresent();
        String html =
                "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Protected message</title></head><body>"
                        + htmlHeader(brand, inlineLogo)
                        + htmlWording(brand, licence.sender())
                        + "<p><a href=\""
                        + escape(link)
                        + "\""
                        + brand.colour().map(c -> " style=\"color:" + c + "\"").orElse("")
                        + ">Read the message</a></p>"
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
        if (inlineLogo) {
            BrandLogo logo = brand.logo().get();
            MimeBodyPart image = new MimeBodyPart();
            image.setDataHandler(
                    new DataHandler(new ByteArrayDataSource(logo.bytes(), logo.mediaType())));
            image.setContentID("<" + LOGO_CID + ">");
            image.setDisposition(MimeBodyPart.INLINE);
            image.setFileName(logo.fileName());
            image.setHeader("Content-Transfer-Encoding", "base64");
            MimeMultipart related = new MimeMultipart("related", htmlPart, image);
            htmlPart = new MimeBodyPart();
            htmlPart.setContent(related);
        }
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

    /**
     * The organisation's bar (name, inline logo, colours) when a branding sets any of them. Inline
     * styles are fine in mail (no CSP there) and carry only checked hex colours.
     */
    private static String htmlHeader(Branding brand, boolean inlineLogo) {
        if (brand.organisation().isEmpty() && !inlineLogo && brand.barColour().isEmpty()) {
            return "";
        }
        return "<div style=\"padding:12px 16px;margin:0 0 16px;"
                + brand.barColour().map(c -> "background:" + c + ";").orElse("")
                + brand.barText().map(c -> "color:" + c + ";").orElse("")
                + "\">"
                + (inlineLogo
                        ? "<img src=\"cid:"
                                + LOGO_CID
                                + "\" alt=\"\" height=\"32\""
                                + " style=\"vertical-align:middle;margin-right:10px\">"
                        : "")
                + brand.organisation()
                        .map(
                                o ->
                                        "<strong style=\"vertical-align:middle\">"
                                                + escape(o)
                                                + "</strong>")
                        .orElse("")
                + "</div>";
    }

    /** The wording as paragraphs: escaped, then the sender set in bold. */
    private static String htmlWording(Branding brand, String sender) {
        StringBuilder b = new StringBuilder();
        for (String para : brand.wordingTemplate().split("\n\n")) {
            b.append("<p>")
                    .append(
                            escape(para)
                                    .replace("\n", "<br>")
                                    .replace(
                                            "{organisation}",
                                            escape(brand.organisation().orElse("")))
                                    .replace("{sender}", "<strong>" + escape(sender) + "</strong>"))
                    .append("</p>");
        }
        return b.toString();
    }

    static String escape(String s) {
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
}
