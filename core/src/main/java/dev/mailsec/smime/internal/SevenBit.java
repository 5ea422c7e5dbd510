package dev.mailsec.smime.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Makes a MIME entity 7-bit before it is signed (RFC 8551 section 3.1.2): a relay without 8BITMIME
 * would otherwise re-encode 8-bit parts and break the signature. Leaf parts whose body has bytes
 * above 127 or NUL and whose transfer encoding is 7bit, 8bit, binary or absent are re-encoded:
 * {@code text/*} as quoted-printable, everything else as base64, with their
 * Content-Transfer-Encoding field replaced. Multipart bodies are walked part by part; delimiters,
 * preamble, epilogue, part headers and parts that need nothing stay byte for byte. A {@code
 * message/rfc822} part cannot be re-encoded itself (RFC 2046 section 5.2.1): the message inside it
 * is converted the same way, and the part declared 7bit once nothing 8-bit is left. Other {@code
 * message/*} parts and header fields with raw 8-bit bytes are left as they are.
 */
public final class SevenBit {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_DEPTH = 20;

    private SevenBit() {}

    /** True when {@code b[from, to)} has a byte above 127 or a NUL. */
    public static boolean hasEightBit(byte[] b, int from, int to) {
        return ByteScan.hasHighOrNul(b, from, to);
    }

    /**
     * The entity (header fields, empty line, body) with every 8-bit leaf re-encoded; the same array
     * when nothing needed it.
     */
    public static byte[] convert(byte[] entity) throws IOException {
        return convert(entity, 0);
    }

    /**
     * Like {@link #convert(byte[])} for the first {@code length} bytes of {@code buffer}, without
     * copying them when they need nothing: returns {@code null} then.
     */
    public static byte[] convertOrNull(byte[] buffer, int length) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(buffer, 0, length);
        MessageHead.read(in);
        int bodyStart = length - in.available();
        if (!hasEightBit(buffer, bodyStart, length)) {
            return null;
        }
        byte[] entity = buffer.length == length ? buffer : Arrays.copyOf(buffer, length);
        byte[] converted = convert(entity, 0);
        return converted == entity ? null : converted;
    }

    private static byte[] convert(byte[] entity, int depth) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(entity);
        MessageHead head = MessageHead.read(in);
        int bodyStart = entity.length - in.available();
        if (!hasEightBit(entity, bodyStart, entity.length) || depth > MAX_DEPTH) {
            return entity;
        }
        ContentType type = head.contentType();
        if (type.mediaType().startsWith("multipart/")) {
            Optional<String> boundary = type.parameter("boundary");
            return boundary.isPresent()
                    ? convertParts(entity, bodyStart, boundary.get(), depth)
                    : entity;
        }
        if (type.mediaType().equals("message/rfc822")) {
            return convertEncapsulated(entity, head, bodyStart, depth);
        }
        if (type.mediaType().startsWith("message/")) {
            return entity;
        }
        String cte = head.transferEncoding().orElse("7bit");
        if (cte.equals("base64") || cte.equals("quoted-printable")) {
            return entity; // 7-bit by definition; stray high bytes are the sender's problem, not
            // ours to rewrite
        }
        boolean text = type.mediaType().startsWith("text/");
        ByteArrayOutputStream out =
                new ByteArrayOutputStream(entity.length + entity.length / 3 + 256);
        for (MessageHead.Field f : head.fields()) {
            if (!f.name().equalsIgnoreCase("Content-Transfer-Encoding")) {
                f.writeTo(out);
            }
        }
        out.write(
                ("Content-Transfer-Encoding: "
                                + (text ? "quoted-printable" : "base64")
                                + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        if (text) {
            quotedPrintable(entity, bodyStart, entity.length, out);
        } else {
            byte[] body = Arrays.copyOfRange(entity, bodyStart, entity.length);
            out.write(Base64.getMimeEncoder(76, CRLF).encode(body));
            if (body.length > 0) {
                out.write(CRLF);
            }
        }
        return out.toByteArray();
    }

    /**
     * A forwarded message (RFC 2046 section 5.2.1) may not be base64 or quoted-printable itself, so
     * its own 8-bit parts are converted inside it; once nothing 8-bit is left (its header fields
     * may still hold raw 8-bit bytes, which are left as they are), the part is declared 7bit.
     */
    private static byte[] convertEncapsulated(
            byte[] entity, MessageHead head, int bodyStart, int depth) throws IOException {
        byte[] inner = Arrays.copyOfRange(entity, bodyStart, entity.length);
        byte[] converted;
        try {
            converted = convert(inner, depth + 1);
        } catch (IOException e) {
            return entity; // an encapsulated message whose header block does not parse is left as
            // it is
        }
        if (converted == inner) {
            return entity;
        }
        boolean sevenBit = !hasEightBit(converted, 0, converted.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(converted.length + bodyStart + 32);
        for (MessageHead.Field f : head.fields()) {
            if (!(sevenBit && f.name().equalsIgnoreCase("Content-Transfer-Encoding"))) {
                f.writeTo(out);
            }
        }
        if (sevenBit) {
            out.write("Content-Transfer-Encoding: 7bit\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(CRLF);
        out.write(converted);
        return out.toByteArray();
    }

    /** Converts each part between the delimiter lines; everything else is copied as it is. */
    private static byte[] convertParts(byte[] entity, int bodyStart, String boundary, int depth)
            throws IOException {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out =
                new ByteArrayOutputStream(entity.length + entity.length / 3 + 256);
        int copied = 0;
        int partStart = -1;
        int pos = bodyStart;
        boolean changed = false;
        while (pos < entity.length) {
            int lineEnd = ByteScan.indexOf(entity, pos, entity.length, (byte) '\n');
            int next = lineEnd < 0 ? entity.length : lineEnd + 1;
            if (startsWith(entity, pos, delimiter)) {
                if (partStart >= 0) {
                    // the line break before the delimiter belongs to the delimiter (RFC 2046
                    // section 5.1.1)
                    int end = pos;
                    if (end > partStart && entity[end - 1] == '\n') {
                        end--;
                        if (end > partStart && entity[end - 1] == '\r') {
                            end--;
                        }
                    }
                    byte[] part = Arrays.copyOfRange(entity, partStart, Math.max(partStart, end));
                    byte[] converted;
                    try {
                        converted = convert(part, depth + 1);
                    } catch (IOException e) {
                        converted =
                                part; // a part whose header block does not parse is left as it is
                    }
                    if (converted != part) {
                        out.write(entity, copied, partStart - copied);
                        out.write(converted);
                        copied = Math.max(partStart, end);
                        changed = true;
                    }
                }
                int after = pos + delimiter.length;
                boolean close =
                        after + 1 < entity.length
                                && entity[after] == '-'
                                && entity[after + 1] == '-';
                if (close) {
                    break;
                }
                partStart = next;
            }
            pos = next;
        }
        if (!changed) {
            return entity;
        }
        out.write(entity, copied, entity.length - copied);
        return out.toByteArray();
    }

    private static boolean startsWith(byte[] b, int at, byte[] prefix) {
        if (at + prefix.length > b.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * RFC 2045 section 6.7: line breaks (LF or CRLF) stay hard breaks, lines at most 76 characters.
     */
    static void quotedPrintable(byte[] b, int from, int to, ByteArrayOutputStream out) {
        int lineStart = from;
        while (lineStart < to) {
            int lf = ByteScan.indexOf(b, lineStart, to, (byte) '\n');
            int lineEnd = lf < 0 ? to : lf;
            int contentEnd =
                    lineEnd > lineStart && lf >= 0 && b[lineEnd - 1] == '\r'
                            ? lineEnd - 1
                            : lineEnd;
            int column = 0;
            for (int i = lineStart; i < contentEnd; i++) {
                int c = b[i] & 0xff;
                boolean last = i == contentEnd - 1;
                boolean literal =
                        (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last);
                int width = literal ? 1 : 3;
                if (column + width > 75) {
                    out.write('=');
                    out.write('\r');
                    out.write('\n');
                    column = 0;
                }
                if (literal) {
                    out.write(c);
                } else {
                    out.write('=');
                    out.write(HEX[c >> 4]);
                    out.write(HEX[c & 15]);
                }
                column += width;
            }
            if (lf >= 0) {
                out.write('\r');
                out.write('\n');
            }
            lineStart = lf < 0 ? to : lf + 1;
        }
    }

    /**
     * Whether the top-level entity with this transfer encoding may hold 8-bit data and must be
     * looked at.
     */
    public static boolean mayBeEightBit(Optional<String> transferEncoding) {
        String cte = transferEncoding.orElse("7bit").toLowerCase(Locale.ROOT);
        return !cte.equals("base64") && !cte.equals("quoted-printable");
    }
}
