package dev.mailsec.smime.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The header block of a message or MIME entity, kept as the raw bytes of each field so that what is
 * passed through is written back exactly as it came (only line ends are normalised to CRLF).
 * Reading stops after the empty line, leaving the stream positioned at the first body byte.
 */
public final class MessageHead {

    private static final int MAX_HEADER_BYTES = 1 << 20;

    private final List<Field> fields;

    private MessageHead(List<Field> fields) {
        this.fields = Collections.unmodifiableList(fields);
    }

    /** One header field: its name and its raw bytes, folding included, without the final line end. */
    public static final class Field {
        private final String name;
        private final byte[] raw;

        Field(String name, byte[] raw) {
            this.name = name;
            this.raw = raw;
        }

        public String name() {
            return name;
        }

        public boolean isContentField() {
            return name.toLowerCase(Locale.ROOT).startsWith("content-");
        }

        /** The unfolded value after the colon, trimmed. */
        public String value() {
            String text = new String(raw, StandardCharsets.ISO_8859_1);
            int colon = text.indexOf(':');
            return text.substring(colon + 1).replaceAll("\r?\n[ \t]", " ").replace("\r", "").replace("\n", "").trim();
        }

        public void writeTo(OutputStream out) throws IOException {
            out.write(raw);
            out.write(CRLF);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};

    /**
     * Reads the header block. The stream should be buffered; it is read one byte at a time, and only
     * up to the end of the header block.
     *
     * @throws IOException when the stream fails, or the block exceeds 1 MiB or has a line that is
     *     neither a field nor a continuation
     */
    public static MessageHead read(InputStream in) throws IOException {
        List<Field> fields = new ArrayList<>();
        ByteArrayOutputStream current = null;
        String currentName = null;
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int total = 0;
        while (true) {
            line.reset();
            int c;
            boolean eof = false;
            while (true) {
                c = in.read();
                if (c < 0) {
                    eof = true;
                    break;
                }
                if (++total > MAX_HEADER_BYTES) {
                    throw new IOException("header block larger than " + MAX_HEADER_BYTES + " bytes");
                }
                if (c == '\n') {
                    break;
                }
                line.write(c);
            }
            byte[] bytes = line.toByteArray();
            int len = bytes.length;
            if (len > 0 && bytes[len - 1] == '\r') {
                len--;
            }
            if (len == 0) {
                if (current != null) {
                    fields.add(new Field(currentName, current.toByteArray()));
                }
                return new MessageHead(fields);
            }
            if (bytes[0] == ' ' || bytes[0] == '\t') {
                if (current == null) {
                    throw new IOException("header block starts with a continuation line");
                }
                current.write(CRLF);
                current.write(bytes, 0, len);
            } else {
                int colon = indexOf(bytes, len, (byte) ':');
                if (colon <= 0) {
                    throw new IOException("header line without a field name");
                }
                if (current != null) {
                    fields.add(new Field(currentName, current.toByteArray()));
                }
                currentName = new String(bytes, 0, colon, StandardCharsets.ISO_8859_1).trim();
                current = new ByteArrayOutputStream(len + 16);
                current.write(bytes, 0, len);
            }
            if (eof) {
                if (current != null) {
                    fields.add(new Field(currentName, current.toByteArray()));
                }
                return new MessageHead(fields);
            }
        }
    }

    private static int indexOf(byte[] bytes, int len, byte b) {
        for (int i = 0; i < len; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    public List<Field> fields() {
        return fields;
    }

    /** The first field of that name, case-insensitive. */
    public Optional<Field> first(String name) {
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The parsed Content-Type, or {@code text/plain} (RFC 2045 section 5.2) when absent. */
    public ContentType contentType() {
        return first("Content-Type").map(f -> ContentType.parse(f.value())).orElse(ContentType.DEFAULT);
    }

    public Optional<String> transferEncoding() {
        return first("Content-Transfer-Encoding").map(f -> f.value().toLowerCase(Locale.ROOT));
    }

    /** Writes the fields that describe the transport envelope of the message (all but Content-*). */
    public void writeOuterFields(OutputStream out) throws IOException {
        boolean mimeVersion = false;
        for (Field f : fields) {
            if (!f.isContentField()) {
                f.writeTo(out);
                mimeVersion |= f.name().equalsIgnoreCase("MIME-Version");
            }
        }
        if (!mimeVersion) {
            out.write("MIME-Version: 1.0\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** Writes the Content-* fields, which belong to the entity that gets signed or encrypted. */
    public void writeContentFields(OutputStream out) throws IOException {
        for (Field f : fields) {
            if (f.isContentField()) {
                f.writeTo(out);
            }
        }
    }

    public void writeAll(OutputStream out) throws IOException {
        for (Field f : fields) {
            f.writeTo(out);
        }
    }
}
