package dev.mailsec.dkm.store;

import dev.mailsec.dkm.DkmUnavailableException;
import dev.mailsec.dkm.spi.Storage.AuditLineBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The audit log of a {@link FileStorage}: {@code audit.log}, one line per record (a line torn by a
 * crash is cut off before the next append), and {@code audit.head}, the head checkpoint ({@code
 * length\nhead\n}, rewritten in place by every append). Appends run under the store's lock; readers
 * take none.
 */
final class FileAuditLog {
    private final Path dir;
    private FileChannel auditChannel;
    private FileChannel headChannel;

    FileAuditLog(Path dir) {
        this.dir = dir;
    }

    /** Appends the line {@code builder} makes of the last one; the caller holds the store lock. */
    void append(AuditLineBuilder builder, boolean durable) throws IOException {
        FileChannel ch = auditChannel();
        long size = ch.size();
        String last = null;
        if (size > 0) {
            // the last line is short: read a small tail first, more only if no line start is in it
            for (int tail = (int) Math.min(size, 4096); ; tail = (int) Math.min(size, tail * 4L)) {
                ByteBuffer buf = ByteBuffer.allocate(tail);
                while (buf.hasRemaining() && ch.read(buf, size - tail + buf.position()) > 0) {
                    // keep reading
                }
                byte[] b = buf.array();
                int end = b.length;
                // a record torn by a crash (no final newline) is cut off before appending
                while (end > 0 && b[end - 1] != '\n') {
                    end--;
                }
                if (end == 0 && tail < size) {
                    continue;
                }
                if (end < b.length) {
                    size = size - tail + end;
                    ch.truncate(size);
                }
                int start = end - 1;
                while (start > 0 && b[start - 1] != '\n') {
                    start--;
                }
                if (start == 0 && tail < size && end > 0) {
                    continue;
                }
                if (end > 0) {
                    last = new String(b, start, end - 1 - start, StandardCharsets.UTF_8);
                }
                break;
            }
        }
        String line = builder.next(last);
        ByteBuffer out = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        long pos = size;
        while (out.hasRemaining()) {
            pos += ch.write(out, pos);
        }
        // the head checkpoint: one positioned write of "length\nhead\n" over the start of
        // audit.head (a process killed between the two writes leaves a checkpoint one record
        // behind, which verify accepts: the log may be longer than its checkpoint, never shorter)
        byte[] lineBytes = builder.head(line).getBytes(StandardCharsets.UTF_8);
        byte[] len = (lineBytes.length + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer head = ByteBuffer.allocate(len.length + lineBytes.length + 1);
        head.put(len).put(lineBytes).put((byte) '\n').flip();
        FileChannel hc = headChannel();
        long hpos = 0;
        while (head.hasRemaining()) {
            hpos += hc.write(head, hpos);
        }
        if (durable) {
            ch.force(false);
            hc.force(false);
        }
        // otherwise the line is in the OS page cache, which survives the death of this process
    }

    /** The audit log, kept open (writers hold the store lock while using it). */
    private FileChannel auditChannel() throws IOException {
        if (auditChannel == null || !auditChannel.isOpen()) {
            auditChannel =
                    FileChannel.open(
                            dir.resolve("audit.log"),
                            StandardOpenOption.CREATE,
                            StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
        }
        return auditChannel;
    }

    private FileChannel headChannel() throws IOException {
        // reopened when the file went away (deleted by hand), so the checkpoint is never written
        // into the void
        if (headChannel == null
                || !headChannel.isOpen()
                || !Files.exists(dir.resolve("audit.head"))) {
            if (headChannel != null) {
                headChannel.close();
            }
            headChannel =
                    FileChannel.open(
                            dir.resolve("audit.head"),
                            StandardOpenOption.CREATE,
                            StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
        }
        return headChannel;
    }

    Optional<String> readHead() throws DkmUnavailableException {
        try {
            byte[] all = Files.readAllBytes(dir.resolve("audit.head"));
            int nl = 0;
            while (nl < all.length && all[nl] != '\n') {
                nl++;
            }
            int len;
            try {
                len = Integer.parseInt(new String(all, 0, nl, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                len = -1;
            }
            if (len < 0 || nl + 1 + len + 1 > all.length || all[nl + 1 + len] != '\n') {
                // torn or tampered: hand back something no verifier accepts as a record
                return Optional.of("unreadable head checkpoint");
            }
            return Optional.of(new String(all, nl + 1, len, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new DkmUnavailableException(
                    "cannot read audit head in " + dir + ": " + e.getMessage(), e);
        }
    }

    List<String> readAll() throws DkmUnavailableException {
        Path log = dir.resolve("audit.log");
        try {
            byte[] all = Files.readAllBytes(log);
            int end = all.length;
            while (end > 0 && all[end - 1] != '\n') {
                end--;
            }
            String text = new String(all, 0, end, StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>();
            for (String l : text.split("\n", -1)) {
                if (!l.isEmpty()) {
                    lines.add(l);
                }
            }
            return lines;
        } catch (NoSuchFileException e) {
            return Collections.emptyList();
        } catch (IOException e) {
            throw new DkmUnavailableException(
                    "cannot read audit log in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Closes the channels (the caller holds the store lock). */
    void close() throws IOException {
        if (auditChannel != null) {
            auditChannel.close();
        }
        if (headChannel != null) {
            headChannel.close();
        }
    }
}
