package dev.mailsec.dkm.store;

import dev.mailsec.dkm.DkmUnavailableException;
import dev.mailsec.dkm.spi.Storage;
import dev.mailsec.dkm.spi.StoreFormatException;
import dev.mailsec.dkm.spi.StoredRecord;
import dev.mailsec.dkm.spi.Write;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The embedded store: a directory of {@value Shards#COUNT} shard files ({@link Shards}) and an
 * append-only {@code audit.log}. A shard is replaced as a whole by writing a temporary file,
 * forcing it to disk and renaming it over the old one ({@code ATOMIC_MOVE}), so a crash (even kill
 * -9) leaves the old or the new shard, never a torn one. The audit log is {@link FileAuditLog}'s.
 * Writers are serialised by a {@link FileLock} on {@code .lock} (across processes) and a lock per
 * directory (across threads of one JVM, where FileLock does not help). Readers take no lock.
 */
public final class FileStorage implements Storage {
    private static final String MARKER = "dkm-store";

    /**
     * The marker's first line: this text, then the format number (later lines are free for a newer
     * version).
     */
    private static final String MARKER_TEXT = "mailsec DKM file store, format ";

    private static final Pattern MARKER_LINE =
            Pattern.compile(
                    Pattern.quote(MARKER_TEXT) + "([0-9]{1,9})(\\r?\\n.*)?", Pattern.DOTALL);
    private static final int MARKER_MAX = 256;
    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    /** Forces the temporary files of a write that changes several shards, concurrently. */
    private static final ExecutorService FSYNC =
            new ThreadPoolExecutor(
                    0,
                    Shards.COUNT,
                    30,
                    TimeUnit.SECONDS,
                    new SynchronousQueue<>(),
                    r -> {
                        Thread t = new Thread(r, "mailsec-dkm-fsync");
                        t.setDaemon(true);
                        return t;
                    },
                    new ThreadPoolExecutor.CallerRunsPolicy());

    private final Path dir;
    private final Shards shards;
    private final ReentrantLock jvmLock;
    private final FileChannel lockChannel;
    private final FileAuditLog audit;

    private FileStorage(Path dir) throws IOException {
        this.dir = dir;
        this.shards = new Shards(dir, dir.resolve(MARKER));
        this.audit = new FileAuditLog(dir);
        this.jvmLock = JVM_LOCKS.computeIfAbsent(dir, d -> new ReentrantLock());
        this.lockChannel =
                FileChannel.open(
                        dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    /**
     * Opens an existing store directory. A store of a newer format than {@link
     * StoreFormat#CURRENT}, or whose marker cannot be read, is refused with a {@link
     * StoreFormatException} before anything (even the lock file) is written to it.
     */
    public static FileStorage open(Path dir) throws DkmUnavailableException {
        Path real = dir.toAbsolutePath().normalize();
        if (!Files.isRegularFile(real.resolve(MARKER))) {
            throw new DkmUnavailableException(
                    "no DKM file store at " + real + " (missing " + MARKER + ")");
        }
        StoreFormat.check("DKM file store " + real, markerFormat(real));
        try {
            return new FileStorage(real);
        } catch (IOException e) {
            throw new DkmUnavailableException(
                    "cannot open DKM file store " + real + ": " + e.getMessage(), e);
        }
    }

    /** Creates a new, empty store directory (owner-only permissions); refuses an existing store. */
    public static FileStorage create(Path dir) throws DkmUnavailableException {
        Path real = dir.toAbsolutePath().normalize();
        try {
            if (Files.exists(real.resolve(MARKER))) {
                throw new DkmUnavailableException("a DKM file store already exists at " + real);
            }
            Files.createDirectories(real);
            try {
                Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: permissions are the operator's business there
            }
            Files.write(
                    real.resolve(MARKER),
                    (MARKER_TEXT + StoreFormat.CURRENT + "\n").getBytes(StandardCharsets.US_ASCII));
            return new FileStorage(real);
        } catch (IOException e) {
            throw new DkmUnavailableException(
                    "cannot create DKM file store " + real + ": " + e.getMessage(), e);
        }
    }

    /** The format number the marker of the store in {@code dir} records. */
    private static int markerFormat(Path dir) throws DkmUnavailableException {
        String store = "DKM file store " + dir;
        byte[] marker;
        try (InputStream in = Files.newInputStream(dir.resolve(MARKER))) {
            marker = in.readNBytes(MARKER_MAX + 1);
        } catch (IOException e) {
            throw new DkmUnavailableException(
                    "cannot read " + dir.resolve(MARKER) + ": " + e.getMessage(), e);
        }
        String text = new String(marker, StandardCharsets.US_ASCII);
        Matcher m = MARKER_LINE.matcher(text);
        if (marker.length > MARKER_MAX || !m.matches()) {
            String shown = text.length() > 60 ? text.substring(0, 60) + "..." : text;
            throw StoreFormat.unreadable(
                    store,
                    MARKER
                            + " should read '"
                            + MARKER_TEXT
                            + "N', got '"
                            + shown.replaceAll("[^\\x20-\\x7e]", "?")
                            + "'");
        }
        return Integer.parseInt(m.group(1));
    }

    public Path directory() {
        return dir;
    }

    @Override
    public Optional<StoredRecord> get(String key) throws DkmUnavailableException {
        return shards.find(key);
    }

    @Override
    public List<StoredRecord> list(String prefix) throws DkmUnavailableException {
        TreeMap<String, StoredRecord> all = new TreeMap<>();
        for (int s = 0; s < Shards.COUNT; s++) {
            for (StoredRecord rec : shards.decode(s).values()) {
                if (rec.key().startsWith(prefix)) {
                    all.put(rec.key(), rec);
                }
            }
        }
        return new ArrayList<>(all.values());
    }

    @Override
    public void write(List<Write> writes) throws ConflictException, DkmUnavailableException {
        if (writes.isEmpty()) {
            return;
        }
        withLock(
                () -> {
                    Map<Integer, TreeMap<String, StoredRecord>> changed = new TreeMap<>();
                    for (Write w : writes) {
                        int s = Shards.of(w.key());
                        TreeMap<String, StoredRecord> recs = changed.get(s);
                        if (recs == null) {
                            recs = shards.decode(s);
                            changed.put(s, recs);
                        }
                        StoredRecord old = recs.get(w.key());
                        long current = old == null ? 0 : old.revision();
                        if (current != w.expectedRevision()) {
                            throw new ConflictHolder(new ConflictException(w.key()));
                        }
                        recs.put(w.key(), new StoredRecord(w.key(), current + 1, w.value()));
                    }
                    writeShards(changed);
                    shards.forceDirectory();
                    return null;
                });
    }

    /**
     * Replaces the changed shards. One shard is written and forced as always; several (a batch of
     * new records, e.g. the rights store's access log) are first all written to their temporary
     * files, then forced to disk concurrently, so that the file system commits them together
     * instead of one journal commit per shard, and only then renamed into place. A crash leaves
     * every record old or new, as before.
     */
    private void writeShards(Map<Integer, TreeMap<String, StoredRecord>> changed)
            throws IOException {
        if (changed.size() == 1) {
            Map.Entry<Integer, TreeMap<String, StoredRecord>> e =
                    changed.entrySet().iterator().next();
            shards.write(e.getKey(), e.getValue());
            return;
        }
        Map<Integer, Path> prepared = new TreeMap<>();
        for (Map.Entry<Integer, TreeMap<String, StoredRecord>> e : changed.entrySet()) {
            prepared.put(e.getKey(), shards.prepare(e.getKey(), e.getValue(), false));
        }
        List<Future<?>> forcing = new ArrayList<>();
        Path mine = null;
        for (Path tmp : prepared.values()) {
            if (mine == null) {
                mine = tmp; // this thread forces one itself
            } else {
                forcing.add(
                        FSYNC.submit(
                                () -> {
                                    Shards.force(tmp);
                                    return null;
                                }));
            }
        }
        IOException failed = null;
        try {
            Shards.force(mine);
        } catch (IOException e) {
            failed = e;
        }
        for (Future<?> f : forcing) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed = new IOException("interrupted while forcing shards to disk", e);
            } catch (ExecutionException e) {
                failed =
                        e.getCause() instanceof IOException
                                ? (IOException) e.getCause()
                                : new IOException(e.getCause().toString(), e.getCause());
            }
        }
        if (failed != null) {
            throw failed;
        }
        for (Map.Entry<Integer, Path> e : prepared.entrySet()) {
            shards.commit(e.getKey(), e.getValue());
        }
    }

    @Override
    public void appendAudit(AuditLineBuilder builder, boolean durable)
            throws DkmUnavailableException {
        try {
            withLock(
                    () -> {
                        audit.append(builder, durable);
                        return null;
                    });
        } catch (ConflictException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Optional<String> readAuditHead() throws DkmUnavailableException {
        return audit.readHead();
    }

    @Override
    public List<String> readAudit() throws DkmUnavailableException {
        return audit.readAll();
    }

    @Override
    public void close() throws IOException {
        jvmLock.lock();
        try {
            audit.close();
        } finally {
            jvmLock.unlock();
        }
        lockChannel.close();
    }

    private interface Locked<T> {
        T run() throws IOException, DkmUnavailableException;
    }

    /** Carries a conflict out of the locked section. */
    private static final class ConflictHolder extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final ConflictException conflict;

        ConflictHolder(ConflictException conflict) {
            super(null, null, false, false);
            this.conflict = conflict;
        }
    }

    private <T> T withLock(Locked<T> body) throws DkmUnavailableException, ConflictException {
        jvmLock.lock();
        try (FileLock ignored = lockChannel.lock()) {
            return body.run();
        } catch (ConflictHolder h) {
            throw h.conflict;
        } catch (IOException e) {
            throw new DkmUnavailableException("DKM file store " + dir + ": " + e.getMessage(), e);
        } finally {
            jvmLock.unlock();
        }
    }

    /** Each write forces its shard files, so concurrent writers gain by sharing one. */
    @Override
    public boolean gainsFromGroupCommit() {
        return true;
    }
}
