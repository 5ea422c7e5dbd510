package dev.mailsec.rights;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Map;
import java.util.Optional;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;

/**
 * The protected attachment ({@value #FILE_NAME}, {@value #MEDIA_TYPE}): a small JSON object holding
 * the signed use licence (JWS compact) and the encrypted original message (JWE compact):
 *
 * <pre>{"format":"mailsec-protected/1","licence":"&lt;JWS&gt;","content":"&lt;JWE&gt;"}</pre>
 *
 * Immutable. This class only checks the shape; {@link RightsOpener} verifies signature and binding.
 */
public final class ProtectedPackage {
    public static final String FORMAT = "mailsec-protected/1";
    public static final String MEDIA_TYPE = "application/vnd.mailsec.protected+json";
    public static final String FILE_NAME = "message.mailsec";

    /**
     * Largest package {@link #decode} accepts (the content is the whole original message,
     * base64url).
     */
    public static final int MAX_SIZE = 96 * 1024 * 1024;

    private final String licence;
    private final String content;

    private ProtectedPackage(String licence, String content) {
        this.licence = licence;
        this.content = content;
    }

    /**
     * A package from its two compact serialisations.
     *
     * @throws RightsFormatException if either is not a compact JWS / JWE
     */
    public static ProtectedPackage of(String licence, String content) throws RightsFormatException {
        if (!isCompact(licence, 3)) {
            throw new RightsFormatException("protected package: licence is not a compact JWS");
        }
        if (!isCompact(content, 5)) {
            throw new RightsFormatException("protected package: content is not a compact JWE");
        }
        return new ProtectedPackage(licence, content);
    }

    /**
     * True for {@code parts} non-empty base64url segments joined by dots. A plain loop: a regular
     * expression over a 1.4 MB ciphertext was the largest single cost of protecting a 1 MB message.
     */
    static boolean isCompact(String s, int parts) {
        if (s == null) {
            return false;
        }
        // ISO-8859-1 maps every char below 256 to one byte and others to '?', which the table
        // rejects
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        int segments = 1;
        int segmentLength = 0;
        for (byte x : b) {
            if (x == '.') {
                if (segmentLength == 0) {
                    return false;
                }
                segments++;
                segmentLength = 0;
            } else if (x >= 0 && BASE64URL[x]) {
                segmentLength++;
            } else {
                return false;
            }
        }
        return segments == parts && segmentLength > 0;
    }

    private static final boolean[] BASE64URL = new boolean[128];

    static {
        for (char c = 'A'; c <= 'Z'; c++) {
            BASE64URL[c] = true;
            BASE64URL[Character.toLowerCase(c)] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            BASE64URL[c] = true;
        }
        BASE64URL['-'] = true;
        BASE64URL['_'] = true;
    }

    /** A package from our own serialisations (the protector's), without re-checking their shape. */
    static ProtectedPackage ofTrusted(String licence, String content) {
        return new ProtectedPackage(licence, content);
    }

    /** The signed use licence, JWS compact serialisation. */
    public String licence() {
        return licence;
    }

    /** The encrypted original message, JWE compact serialisation. */
    public String content() {
        return content;
    }

    /**
     * The attachment's bytes: ASCII JSON. Both values are base64url segments and dots, which JSON
     * never escapes, so the object is written directly (a JSON library's escaping pass over a 1.4
     * MB string was a measurable cost); {@link #decode} parses with Nimbus's JSON parser.
     */
    public byte[] encode() {
        StringBuilder sb = new StringBuilder(licence.length() + content.length() + 64);
        sb.append("{\"format\":\"")
                .append(FORMAT)
                .append("\",\"licence\":\"")
                .append(licence)
                .append("\",\"content\":\"")
                .append(content)
                .append("\"}");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Parses an attachment.
     *
     * @throws RightsFormatException on anything malformed: not JSON, wrong format, missing or extra
     *     members
     */
    public static ProtectedPackage decode(byte[] bytes) throws RightsFormatException {
        if (bytes == null || bytes.length == 0) {
            throw new RightsFormatException("protected package: empty");
        }
        if (bytes.length > MAX_SIZE) {
            throw new RightsFormatException(
                    "protected package: larger than " + MAX_SIZE + " bytes");
        }
        Map<String, Object> m;
        try {
            m = JSONObjectUtils.parse(new String(bytes, StandardCharsets.UTF_8), MAX_SIZE);
        } catch (ParseException | RuntimeException e) {
            throw new RightsFormatException("protected package: not a JSON object", e);
        }
        if (!FORMAT.equals(m.get("format"))) {
            throw new RightsFormatException(
                    "protected package: format must be "
                            + FORMAT
                            + ", got '"
                            + shortValue(m.get("format"))
                            + "'");
        }
        for (String k : m.keySet()) {
            if (!"format".equals(k) && !"licence".equals(k) && !"content".equals(k)) {
                throw new RightsFormatException(
                        "protected package: unknown member '" + shortValue(k) + "'");
            }
        }
        Object l = m.get("licence");
        Object c = m.get("content");
        if (!(l instanceof String) || !(c instanceof String)) {
            throw new RightsFormatException(
                    "protected package: licence and content must be strings");
        }
        return of((String) l, (String) c);
    }

    /**
     * The package attached to a message (a wrapper made by {@link RightsProtector}), searched
     * depth-first by media type {@value #MEDIA_TYPE} or file name {@value #FILE_NAME}.
     *
     * @return empty when the message carries no package
     * @throws RightsFormatException when a part that claims to be a package is malformed
     * @throws MessagingException when the message's MIME structure cannot be read
     */
    public static Optional<ProtectedPackage> findIn(Part message)
            throws RightsFormatException, MessagingException {
        Optional<Part> part = partOf(message, 0);
        if (!part.isPresent()) {
            return Optional.empty();
        }
        try (InputStream in = part.get().getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                if (out.size() > MAX_SIZE) {
                    throw new RightsFormatException(
                            "protected package: larger than " + MAX_SIZE + " bytes");
                }
            }
            return Optional.of(decode(out.toByteArray()));
        } catch (IOException e) {
            throw new MessagingException("cannot read the protected package: " + e.getMessage(), e);
        }
    }

    /** True when the message has a part that claims to be a package (not verified). */
    public static boolean isAttachedTo(Part message) throws MessagingException {
        return partOf(message, 0).isPresent();
    }

    private static Optional<Part> partOf(Part p, int depth) throws MessagingException {
        if (depth > 20) {
            return Optional.empty();
        }
        if (p.isMimeType("multipart/*")) {
            Object content;
            try {
                content = p.getContent();
            } catch (IOException e) {
                throw new MessagingException("cannot read a multipart: " + e.getMessage(), e);
            }
            if (content instanceof Multipart) {
                Multipart mp = (Multipart) content;
                for (int i = 0; i < mp.getCount(); i++) {
                    Optional<Part> found = partOf(mp.getBodyPart(i), depth + 1);
                    if (found.isPresent()) {
                        return found;
                    }
                }
            }
            return Optional.empty();
        }
        String fileName;
        try {
            fileName = p.getFileName();
        } catch (MessagingException e) {
            fileName = null;
        }
        return p.isMimeType(MEDIA_TYPE) || FILE_NAME.equals(fileName)
                ? Optional.of(p)
                : Optional.empty();
    }

    private static String shortValue(Object o) {
        String s = String.valueOf(o);
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProtectedPackage
                && ((ProtectedPackage) o).licence.equals(licence)
                && ((ProtectedPackage) o).content.equals(content);
    }

    @Override
    public int hashCode() {
        return licence.hashCode();
    }

    @Override
    public String toString() {
        return "ProtectedPackage["
                + FORMAT
                + ", licence "
                + licence.length()
                + " chars, content "
                + content.length()
                + " chars]";
    }
}
