package dev.mailsec.smime.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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

    /**
     * One header field: its name and its raw bytes, folding included, without the final line end.
     */
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
            return text.substring(colon + 1)
                    .replaceAll("\r?\n[ \t]", " ")
                    .replace("\r", "")
                    .replace("\n", "")
                    .trim();
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
     * Reads the header block and leaves the stream at the first body byte. A stream that supports
     * mark/reset (a {@code ByteArrayInputStream} or {@code BufferedInputStream}, as every caller
     * passes) is read in blocks and the header block is taken from them: reading it one byte at a
     * time costs two synchronized calls per byte, ~25 us for the 240 header bytes of a small
     * message here, and more for the kilobytes of Received and signature fields a relayed message
     * carries. Other streams are read one byte at a time, never past the empty line.
     *
     * @throws IOException when the stream fails, or the block exceeds 1 MiB or has a line that is
     *     neither a field nor a continuation
     */
    public static MessageHead read(InputStream in) throws IOException {
        byte[] block = in.markSupported() ? readMarked(in) : readByteByByte(in);
        return parse(block, block.length);
    }

    /** The header block with its empty line (or everything up to the end of the data), in bulk. */
    private static byte[] readMarked(InputStream in) throws IOException {
        in.mark(MAX_HEADER_BYTES + 2);
        byte[] buffer = new byte[4096];
        int length = 0;
        int lineStart = 0;
        int end = -1;
        while (end < 0) {
            if (length == buffer.length) {
                if (length > MAX_HEADER_BYTES) {
                    throw new IOException(
                            "header block larger than " + MAX_HEADER_BYTES + " bytes");
                }
                buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, MAX_HEADER_BYTES + 2));
            }
            int n = in.read(buffer, length, buffer.length - length);
            if (n < 0) {
                end = length;
                break;
            }
            int scanned = length;
            length += n;
            // line by line from the first line not yet known to be complete
            int lf;
            while ((lf =
                            ByteScan.indexOf(
                                    buffer, Math.max(lineStart, scanned), length, (byte) '\n'))
                    >= 0) {
                boolean empty =
                        lf == lineStart || (lf == lineStart + 1 && buffer[lineStart] == '\r');
                lineStart = lf + 1;
                scanned = lineStart;
                if (empty) {
                    end = lineStart;
                    break;
                }
            }
        }
        if (end > MAX_HEADER_BYTES) {
            throw new IOException("header block larger than " + MAX_HEADER_BYTES + " bytes");
        }
        in.reset();
        byte[] block = Arrays.copyOf(buffer, end);
        consume(in, end);
        // drop the mark: a BufferedInputStream would otherwise keep growing its buffer to hold the
        // whole body
        in.mark(0);
        return block;
    }

    private static void consume(InputStream in, int count) throws IOException {
        byte[] skip = new byte[Math.min(Math.max(count, 1), 8192)];
        int left = count;
        while (left > 0) {
            int n = in.read(skip, 0, Math.min(left, skip.length));
            if (n < 0) {
                throw new IOException("stream ended while skipping the header block");
            }
            left -= n;
        }
    }

    /** The header block with its empty line, one byte at a time: never reads past it. */
    private static byte[] readByteByByte(InputStream in) throws IOException {
        ByteArrayOutputStream block = new ByteArrayOutputStream(1024);
        int lineLength = 0;
        boolean lineHasOnlyCr = false;
        int c;
        while ((c = in.read()) >= 0) {
            if (block.size() >= MAX_HEADER_BYTES) {
                throw new IOException("header block larger than " + MAX_HEADER_BYTES + " bytes");
            }
            block.write(c);
            if (c == '\n') {
                if (lineLength == 0 || (lineLength == 1 && lineHasOnlyCr)) {
                    break;
                }
                lineLength = 0;
                lineHasOnlyCr = false;
            } else {
                lineHasOnlyCr = lineLength == 0 && c == '\r';
                lineLength++;
            }
        }
        return block.toByteArray();
    }

    /** Parses the lines of {@code b[0, length)} up to the first empty line. */
    private static MessageHead parse(byte[] b, int length) throws IOException {
        List<Field> fields = new ArrayList<>();
        int fieldStart = -1;
        int fieldEnd = -1;
        String fieldName = null;
        ByteArrayOutputStream folded = null;
        int pos = 0;
        while (pos < length) {
            int lf = ByteScan.indexOf(b, pos, length, (byte) '\n');
            int next = lf < 0 ? length : lf + 1;
            int end = lf < 0 ? length : lf;
            if (end > pos && b[end - 1] == '\r') {
                end--;
            }
            if (end == pos) {
                break;
            }
            if (b[pos] == ' ' || b[pos] == '\t') {
                if (fieldName == null) {
                    throw new IOException("header block starts with a continuation line");
                }
                if (folded == null) {
                    folded = new ByteArrayOutputStream(end - fieldStart + 64);
                    folded.write(b, fieldStart, fieldEnd - fieldStart);
                }
                folded.write(CRLF, 0, 2);
                folded.write(b, pos, end - pos);
            } else {
                int colon = ByteScan.indexOf(b, pos, end, (byte) ':');
                if (colon <= pos) {
                    throw new IOException("header line without a field name");
                }
                if (fieldName != null) {
                    fields.add(
                            new Field(
                                    fieldName,
                                    folded != null
                                            ? folded.toByteArray()
                                            : Arrays.copyOfRange(b, fieldStart, fieldEnd)));
                }
                fieldName = new String(b, pos, colon - pos, StandardCharsets.ISO_8859_1).trim();
                fieldStart = pos;
                fieldEnd = end;
                folded = null;
            }
            pos = next;
        }
        if (fieldName != null) {
            fields.add(
                    new Field(
                            fieldName,
                            folded != null
                                    ? folded.toByteArray()
                                    : Arrays.copyOfRange(b, fieldStart, fieldEnd)));
        }
        return new MessageHead(fields);
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
        return first("Content-Type")
                .map(f -> ContentType.parse(f.value()))
                .orElse(ContentType.DEFAULT);
    }

    public Optional<String> transferEncoding() {
        return first("Content-Transfer-Encoding").map(f -> f.value().toLowerCase(Locale.ROOT));
    }

    /**
     * Writes the fields that describe the transport envelope of the message (all but Content-*).
     */
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
