package dev.mailsec.dkm.store;

import dev.mailsec.dkm.DkmUnavailableException;
import dev.mailsec.dkm.internal.Codec;
import dev.mailsec.dkm.spi.StoreCorruptException;
import dev.mailsec.dkm.spi.StoredRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The record files of the {@link FileStorage}: records spread by key hash over {@value #COUNT}
 * shard files, each read whole and replaced whole (temporary file, force, {@code ATOMIC_MOVE}).
 * Locking is the store's business; this class only reads and writes shards.
 */
final class Shards {
    static final int COUNT = 64;
    private static final byte[] MAGIC = "DKMSHARD1".getBytes(StandardCharsets.US_ASCII);

    private final Path dir;
    private final Path marker;

    Shards(Path dir, Path marker) {
        this.dir = dir;
        this.marker = marker;
    }

    static int of(String key) {
        return Math.floorMod(key.hashCode() * 0x9E3779B1, COUNT);
    }

    /** The record of {@code key}, read without decoding the rest of its shard. */
    Optional<StoredRecord> find(String key) throws DkmUnavailableException {
        byte[] shard = read(of(key));
        if (shard == null) {
            return Optional.empty();
        }
        try {
            Codec.Reader r = reader(shard);
            byte[] wanted = Codec.utf8(key);
            while (r.hasMore()) {
                byte[] k = r.bytes();
                long rev = r.i64();
                byte[] v = r.bytes();
                if (Arrays.equals(k, wanted)) {
                    return Optional.of(new StoredRecord(key, rev, v));
                }
            }
            return Optional.empty();
        } catch (Codec.MalformedException e) {
            throw corrupt(of(key), e);
        }
    }

    TreeMap<String, StoredRecord> decode(int s) throws DkmUnavailableException {
        TreeMap<String, StoredRecord> recs = new TreeMap<>();
        byte[] shard = read(s);
        if (shard == null) {
            return recs;
        }
        try {
            Codec.Reader r = reader(shard);
            while (r.hasMore()) {
                String k = r.str();
                long rev = r.i64();
                byte[] v = r.bytes();
                recs.put(k, new StoredRecord(k, rev, v));
            }
            return recs;
        } catch (Codec.MalformedException e) {
            throw corrupt(s, e);
        }
    }

    /** Replaces one shard: {@link #prepare}, force, {@link #commit}. */
    void write(int s, TreeMap<String, StoredRecord> recs) throws IOException {
        commit(s, prepare(s, recs, true));
    }

    /**
     * Writes the shard's new content to its temporary file, forced to disk when {@code force} (the
     * caller forces it otherwise, with {@link #force}, before {@link #commit}).
     */
    Path prepare(int s, TreeMap<String, StoredRecord> recs, boolean force) throws IOException {
        Codec.Writer w = new Codec.Writer();
        for (StoredRecord rec : recs.values()) {
            w.str(rec.key()).i64(rec.revision()).bytes(rec.value());
        }
        byte[] body = w.toByteArray();
        Path target = path(s);
        Path tmp = dir.resolve(target.getFileName() + ".tmp");
        try (FileChannel ch =
                FileChannel.open(
                        tmp,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.allocate(MAGIC.length + body.length);
            buf.put(MAGIC).put(body).flip();
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            if (force) {
                ch.force(true);
            }
        }
        return tmp;
    }

    /** Forces a prepared temporary file to disk. */
    static void force(Path tmp) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** Puts a prepared (and forced) temporary file in the shard's place, atomically. */
    void commit(int s, Path tmp) throws IOException {
        Path target = path(s);
        try {
            Files.move(
                    tmp,
                    target,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("file system of " + dir + " cannot rename atomically", e);
        }
    }

    void forceDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems refuse to fsync a directory; each rename is still atomic
        }
    }

    private Path path(int s) {
        return dir.resolve(String.format("shard-%02x.dat", s));
    }

    private byte[] read(int s) throws DkmUnavailableException {
        try {
            return Files.readAllBytes(path(s));
        } catch (NoSuchFileException e) {
            if (!Files.isRegularFile(marker)) {
                // not an empty shard: the whole store is gone (unmounted, moved); never answer "no
                // such record"
                throw new DkmUnavailableException(
                        "DKM file store " + dir + " is not there any more");
            }
            return null;
        } catch (IOException e) {
            throw new DkmUnavailableException("cannot read " + path(s) + ": " + e.getMessage(), e);
        }
    }

    private static Codec.Reader reader(byte[] shard) throws Codec.MalformedException {
        if (shard.length < MAGIC.length
                || !Arrays.equals(Arrays.copyOf(shard, MAGIC.length), MAGIC)) {
            throw new Codec.MalformedException("bad shard header");
        }
        return new Codec.Reader(Arrays.copyOfRange(shard, MAGIC.length, shard.length));
    }

    private DkmUnavailableException corrupt(int s, Exception e) {
        // an integrity failure, not an outage: retrying cannot mend a shard (issue 13, finding 8)
        return new StoreCorruptException(
                "DKM shard " + path(s) + " is corrupt: " + e.getMessage(), e);
    }
}
