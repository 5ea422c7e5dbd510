package dev.mailsec.mailets.rights;

import dev.mailsec.rights.Right;
import dev.mailsec.rights.RightsHeaders;
import dev.mailsec.rights.UseLicence;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.mail.MessagingException;
import javax.mail.internet.InternetHeaders;

/**
 * Marks a transport-decrypted original with its rights: the header {@code X-Mailsec-Rights} and,
 * with {@code note}, a short text shown above the message. The original's own MIME entity is kept
 * byte for byte: with a note it becomes the second part of a {@code multipart/mixed} whose first
 * part is the note.
 */
final class RightsMarking {
    static final String HEADER = RightsHeaders.RIGHTS;

    private RightsMarking() {}

    /** {@code template=<t>; rights=<tokens>; licence=<jti>}. */
    static String headerValue(UseLicence licence) {
        return RightsHeaders.rightsValue(licence);
    }

    static String note(UseLicence licence) {
        StringBuilder sb = new StringBuilder();
        sb.append("Protected message (").append(licence.template()).append(").\r\n");
        List<String> allowed = new ArrayList<>();
        List<String> denied = new ArrayList<>();
        for (Right r : Right.values()) {
            (licence.allows(r) ? allowed : denied).add(r.token());
        }
        sb.append("Allowed: ").append(String.join(", ", allowed)).append(".\r\n");
        if (!denied.isEmpty()) {
            sb.append("Not allowed: ").append(String.join(", ", denied)).append(".\r\n");
        }
        if (!licence.allows(Right.FORWARD)) {
            sb.append(
                    "This server stops forwards or re-sends of this message to anyone outside its recipients.\r\n");
        }
        licence.expiresAt()
                .ifPresent(
                        e ->
                                sb.append("Expires: ")
                                        .append(
                                                DateTimeFormatter.RFC_1123_DATE_TIME.format(
                                                        e.atOffset(ZoneOffset.UTC)))
                                        .append(".\r\n"));
        return sb.toString();
    }

    static byte[] mark(byte[] raw, UseLicence licence, boolean withNote) throws MessagingException {
        int bodyStart = bodyStart(raw);
        InternetHeaders headers = new InternetHeaders(new ByteArrayInputStream(raw, 0, bodyStart));
        List<String> outer = new ArrayList<>();
        List<String> content = new ArrayList<>();
        for (String line : Collections.list(headers.getAllHeaderLines())) {
            String name =
                    line.substring(0, Math.max(0, line.indexOf(':')))
                            .trim()
                            .toLowerCase(Locale.ROOT);
            if (name.equals(HEADER.toLowerCase(Locale.ROOT))) {
                continue;
            }
            if (withNote && (name.startsWith("content-") || name.equals("mime-version"))) {
                if (name.startsWith("content-")) {
                    content.add(line);
                }
                continue;
            }
            outer.add(line);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + 1024);
        line(out, HEADER + ": " + headerValue(licence));
        for (String l : outer) {
            line(out, l);
        }
        if (!withNote) {
            line(out, "");
            out.write(raw, bodyStart, raw.length - bodyStart);
            return out.toByteArray();
        }
        String boundary = "mailsec-rights-" + UUID.randomUUID();
        line(out, "MIME-Version: 1.0");
        line(out, "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"");
        line(out, "");
        line(out, "--" + boundary);
        line(out, "Content-Type: text/plain; charset=utf-8");
        line(out, "Content-Transfer-Encoding: 8bit");
        line(out, "Content-Disposition: inline");
        line(out, "");
        byte[] note = note(licence).getBytes(StandardCharsets.UTF_8);
        out.write(note, 0, note.length);
        line(out, "--" + boundary);
        if (content.isEmpty()) {
            line(out, "Content-Type: text/plain; charset=us-ascii");
        }
        for (String l : content) {
            line(out, l);
        }
        line(out, "");
        out.write(raw, bodyStart, raw.length - bodyStart);
        // the line break before a delimiter belongs to the delimiter (RFC 2046 5.1.1): the original
        // body keeps its own
        line(out, "");
        line(out, "--" + boundary + "--");
        return out.toByteArray();
    }

    /** Index of the first body byte (after the empty line), or the length when there is no body. */
    static int bodyStart(byte[] raw) {
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\n') {
                if (i + 1 < raw.length && raw[i + 1] == '\n') {
                    return i + 2;
                }
                if (i + 2 < raw.length && raw[i + 1] == '\r' && raw[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return raw.length;
    }

    private static void line(ByteArrayOutputStream out, String s) {
        byte[] b = (s + "\r\n").getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
    }
}
