package dev.mailsec.portal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.mail.Address;
import javax.mail.BodyPart;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.internet.ContentType;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;
import javax.mail.internet.ParseException;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;
import org.owasp.html.Sanitizers;

/**
 * A decrypted message as the portal shows it: headers, one body (HTML through the OWASP sanitiser,
 * or plain text escaped), and the attachments. Inline images referenced by {@code cid:} become
 * {@code data:} URIs (the CSP allows {@code img-src 'self' data:}); remote images and every script,
 * style, form and event handler are dropped by the sanitiser, so a hostile message cannot reach out
 * or run code in the portal's origin.
 */
final class MessageView {

    /**
     * Formatting, links, tables and images; no scripts, styles, forms, frames or event handlers.
     */
    static final PolicyFactory POLICY =
            Sanitizers.FORMATTING
                    .and(Sanitizers.BLOCKS)
                    .and(Sanitizers.TABLES)
                    .and(
                            new HtmlPolicyBuilder()
                                    .allowElements("a")
                                    .allowUrlProtocols("http", "https", "mailto", "data")
                                    .allowAttributes("href")
                                    .matching(
                                            Pattern.compile(
                                                    "(?i)^\\s*(https?:|mailto:).*", Pattern.DOTALL))
                                    .onElements("a")
                                    .allowAttributes("title")
                                    .onElements("a")
                                    .requireRelsOnLinks("noopener", "noreferrer", "nofollow")
                                    .allowElements("img")
                                    .allowAttributes("src")
                                    .matching(
                                            Pattern.compile(
                                                    "^data:image/(png|gif|jpeg|webp);base64,[A-Za-z0-9+/=\\s]+$"))
                                    .onElements("img")
                                    .allowAttributes("alt", "width", "height")
                                    .onElements("img")
                                    .allowElements(
                                            "pre", "code", "hr", "span", "div", "center", "font")
                                    .toFactory());

    private static final int MAX_INLINE_IMAGE = 2 * 1024 * 1024;

    /** One attachment, addressed by its index in the message. */
    static final class Attachment {
        final int index;
        final String name;
        final String contentType;
        final long size;
        final Part part;

        Attachment(int index, String name, String contentType, long size, Part part) {
            this.index = index;
            this.name = name;
            this.contentType = contentType;
            this.size = size;
            this.part = part;
        }

        byte[] bytes() throws IOException, MessagingException {
            try (InputStream in = part.getInputStream()) {
                return in.readAllBytes();
            }
        }
    }

    final String subject;
    final String from;
    final List<String> to;
    final List<String> cc;
    final String date;

    /** Sanitised HTML, or null. */
    final String html;

    /** Plain text (unescaped), or null. */
    final String text;

    final List<Attachment> attachments;

    private MessageView(
            String subject,
            String from,
            List<String> to,
            List<String> cc,
            String date,
            String html,
            String text,
            List<Attachment> attachments) {
        this.subject = subject;
        this.from = from;
        this.to = to;
        this.cc = cc;
        this.date = date;
        this.html = html;
        this.text = text;
        this.attachments = attachments;
    }

    static MessageView of(MimeMessage m) throws MessagingException, IOException {
        Walker w = new Walker();
        w.walk(m);
        String html = null;
        if (w.html != null) {
            html = POLICY.sanitize(inlineImages(w.html, w.inline));
        }
        String subject = Optional.ofNullable(m.getSubject()).orElse("(no subject)");
        String date = m.getSentDate() == null ? "" : m.getHeader("Date", null);
        return new MessageView(
                subject,
                first(m.getFrom()),
                addresses(m.getRecipients(Message.RecipientType.TO)),
                addresses(m.getRecipients(Message.RecipientType.CC)),
                date == null ? "" : date,
                html,
                w.text,
                w.attachments);
    }

    Optional<Attachment> attachment(int index) {
        return attachments.stream().filter(a -> a.index == index).findFirst();
    }

    /** The text a reply quotes from, plain. */
    String plainForQuote() {
        if (text != null) {
            return text;
        }
        if (html != null) {
            return html.replaceAll("(?i)<br\\s*/?>|</p>|</div>|</tr>|</h[1-6]>", "\n")
                    .replaceAll("<[^>]*>", "")
                    .replace("&nbsp;", " ")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&#39;", "'")
                    .replace("&#64;", "@")
                    .replace("&amp;", "&");
        }
        return "";
    }

    private static String first(Address[] a) {
        return a == null || a.length == 0 ? "" : display(a[0]);
    }

    private static List<String> addresses(Address[] a) {
        List<String> out = new ArrayList<>();
        if (a != null) {
            for (Address x : a) {
                out.add(display(x));
            }
        }
        return out;
    }

    private static String display(Address a) {
        if (a instanceof InternetAddress) {
            InternetAddress ia = (InternetAddress) a;
            return ia.getPersonal() == null
                    ? ia.getAddress()
                    : ia.getPersonal() + " <" + ia.getAddress() + ">";
        }
        return a.toString();
    }

    private static final Pattern CID = Pattern.compile("(?i)cid:([^\"'\\s>)]+)");

    private static String inlineImages(String html, Map<String, Part> inline)
            throws IOException, MessagingException {
        if (inline.isEmpty()) {
            return html;
        }
        Matcher m = CID.matcher(html);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Part p = inline.get(m.group(1).toLowerCase(Locale.ROOT));
            String replacement = m.group();
            if (p != null) {
                byte[] bytes;
                try (InputStream in = p.getInputStream()) {
                    bytes = in.readNBytes(MAX_INLINE_IMAGE + 1);
                }
                if (bytes.length <= MAX_INLINE_IMAGE) {
                    replacement =
                            "data:"
                                    + baseType(p)
                                    + ";base64,"
                                    + Base64.getEncoder().encodeToString(bytes);
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    static String baseType(Part p) throws MessagingException {
        try {
            return new ContentType(p.getContentType()).getBaseType().toLowerCase(Locale.ROOT);
        } catch (ParseException e) {
            return "application/octet-stream";
        }
    }

    /** Finds the body (HTML preferred within an alternative), inline images and attachments. */
    private static final class Walker {
        String html;
        String text;
        final Map<String, Part> inline = new HashMap<>();
        final List<Attachment> attachments = new ArrayList<>();
        private int depth;

        void walk(Part p) throws MessagingException, IOException {
            if (++depth > 20) {
                return;
            }
            try {
                if (p.isMimeType("multipart/alternative")) {
                    Multipart mp = multipart(p);
                    Part chosen = null;
                    for (int i = 0; i < (mp == null ? 0 : mp.getCount()); i++) {
                        BodyPart c = mp.getBodyPart(i);
                        if (c.isMimeType("text/html") || c.isMimeType("multipart/related")) {
                            chosen = c;
                        } else if (chosen == null && c.isMimeType("text/plain")) {
                            chosen = c;
                        }
                    }
                    if (chosen != null) {
                        walk(chosen);
                    }
                    for (int i = 0; i < (mp == null ? 0 : mp.getCount()); i++) {
                        BodyPart c = mp.getBodyPart(i);
                        if (c != chosen
                                && !c.isMimeType("text/*")
                                && !c.isMimeType("multipart/related")) {
                            walk(c);
                        }
                    }
                } else if (p.isMimeType("multipart/*")) {
                    Multipart mp = multipart(p);
                    for (int i = 0; i < (mp == null ? 0 : mp.getCount()); i++) {
                        walk(mp.getBodyPart(i));
                    }
                } else if (!isAttachment(p)
                        && p.isMimeType("text/html")
                        && html == null
                        && text == null) {
                    html = textOf(p);
                } else if (!isAttachment(p)
                        && p.isMimeType("text/plain")
                        && html == null
                        && text == null) {
                    text = textOf(p);
                } else if (p.isMimeType("image/*")
                        && contentId(p) != null
                        && !Part.ATTACHMENT.equalsIgnoreCase(p.getDisposition())) {
                    inline.put(contentId(p), p);
                } else {
                    addAttachment(p);
                }
            } finally {
                depth--;
            }
        }

        private void addAttachment(Part p) throws MessagingException {
            int index = attachments.size() + 1;
            String name = null;
            try {
                name = p.getFileName();
                if (name != null) {
                    name = MimeUtility.decodeText(name);
                }
            } catch (ParseException | UnsupportedEncodingException e) {
                name = null;
            }
            String type = baseType(p);
            if (name == null || name.isBlank()) {
                name =
                        p.isMimeType("message/rfc822")
                                ? "message-" + index + ".eml"
                                : "attachment-" + index;
            }
            name = name.replaceAll("[\\p{Cntrl}/\\\\]", "_");
            attachments.add(new Attachment(index, name, type, Math.max(0, p.getSize()), p));
        }

        private static boolean isAttachment(Part p) throws MessagingException {
            return Part.ATTACHMENT.equalsIgnoreCase(p.getDisposition());
        }

        private static String contentId(Part p) throws MessagingException {
            String[] h = p.getHeader("Content-ID");
            if (h == null || h.length == 0) {
                return null;
            }
            String id = h[0].trim();
            if (id.startsWith("<") && id.endsWith(">")) {
                id = id.substring(1, id.length() - 1);
            }
            return id.toLowerCase(Locale.ROOT);
        }

        private static Multipart multipart(Part p) throws MessagingException, IOException {
            Object c = p.getContent();
            return c instanceof Multipart ? (Multipart) c : null;
        }

        private static String textOf(Part p) throws MessagingException, IOException {
            Object c;
            try {
                c = p.getContent();
            } catch (UnsupportedEncodingException e) {
                c = null;
            }
            if (c instanceof String) {
                return (String) c;
            }
            try (InputStream in = p.getInputStream()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                in.transferTo(out);
                return new String(out.toByteArray(), StandardCharsets.UTF_8);
            }
        }
    }
}
