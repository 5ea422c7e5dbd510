package dev.mailsec.config.reload;

import dev.mailsec.shaded.bc.util.encoders.Hex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A configuration file the running process can re-read without a restart: one shared, immutable
 * {@link Snapshot} that readers take whole ({@link #current()}) and that a reload replaces in one
 * atomic step, so whoever holds a snapshot sees one generation of the file, never a mix. A reload
 * reads the file with the same reader the start uses (so a bad file is refused with the start's
 * message), runs the checks adapters added ({@link #addCheck}: e.g. "every outbound connector has a
 * route"), and only then publishes the new generation; a refused file leaves the running one in
 * place. Recent generations stay reachable by number ({@link #generation(long)}) for work that
 * began under one of them (a mail routed under generation N is delivered under N).
 *
 * <p>Knows no James: the WebAdmin route, the mailets and the portal ask it; the file watch ({@link
 * #watch()}) polls the file's modification time and size.
 *
 * @param <T> the parsed configuration, immutable
 */
public final class ReloadableFile<T> {

    /** Reads and validates the file exactly as the start does. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(Path file) throws ReloadRefusedException;
    }

    /** The changes from one generation to the next, in words. */
    @FunctionalInterface
    public interface Differ<T> {
        List<String> changes(T before, T after);
    }

    /** A further condition on a new generation, given the running one. */
    @FunctionalInterface
    public interface Check<T> {
        void check(T running, T candidate) throws ReloadRefusedException;
    }

    /** How many past generations stay reachable by number. */
    static final int HISTORY = 256;

    /** How often {@link #watch()} looks at the file. */
    public static final Duration POLL_INTERVAL = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger("dev.mailsec.reload");

    private static final ScheduledExecutorService WATCH =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "mailsec-reload-watch");
                        t.setDaemon(true);
                        return t;
                    });

    private final String kind;
    private final Path file;
    private final Reader<T> reader;
    private final Differ<T> differ;
    private final Map<String, Check<T>> checks = new LinkedHashMap<>();
    private final Map<Long, Snapshot<T>> history =
            new LinkedHashMap<>() {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, Snapshot<T>> eldest) {
                    return size() > HISTORY;
                }
            };
    private final AtomicBoolean watching = new AtomicBoolean();
    private volatile Snapshot<T> current;
    private FileStamp seen;

    private ReloadableFile(String kind, Path file, Reader<T> reader, Differ<T> differ) {
        this.kind = kind;
        this.file = file;
        this.reader = reader;
        this.differ = differ;
    }

    /**
     * Reads {@code file} as generation 1.
     *
     * @param kind what the file configures, in audit lines ({@code connectors}, {@code rights})
     * @throws ReloadRefusedException with the reader's message when the file cannot be read
     */
    public static <T> ReloadableFile<T> open(
            String kind, Path file, Reader<T> reader, Differ<T> differ)
            throws ReloadRefusedException {
        ReloadableFile<T> f =
                new ReloadableFile<>(
                        kind,
                        file.toAbsolutePath().normalize(),
                        Objects.requireNonNull(reader, "reader"),
                        Objects.requireNonNull(differ, "differ"));
        synchronized (f) {
            f.seen = FileStamp.of(f.file);
            String digest = sha256(f.file);
            f.publish(new Snapshot<>(1, reader.read(f.file), digest, Instant.now()));
        }
        return f;
    }

    public String kind() {
        return kind;
    }

    public Path file() {
        return file;
    }

    /** The generation in force. */
    public Snapshot<T> current() {
        return current;
    }

    /** Generation {@code number}, while it is among the last {@value #HISTORY}. */
    public synchronized Optional<Snapshot<T>> generation(long number) {
        return Optional.ofNullable(history.get(number));
    }

    /**
     * Adds a condition every later generation must meet; one per {@code key} (an adapter started
     * twice adds it once).
     */
    public synchronized void addCheck(String key, Check<T> check) {
        checks.putIfAbsent(key, check);
    }

    /**
     * Re-reads the file and, if its bytes changed and it passes the reader and every check,
     * publishes it as the next generation. Audited on {@code dev.mailsec.reload} and in {@code
     * audit}.
     *
     * @param who {@code webadmin:<subject>}, {@code file-change}, ...
     * @throws ReloadRefusedException the start's message for the file; the running generation stays
     */
    public synchronized ReloadOutcome reload(String who, ReloadAudit audit)
            throws ReloadRefusedException {
        Snapshot<T> running = current;
        seen = FileStamp.of(file);
        try {
            String digest = sha256(file);
            if (digest != null && digest.equals(running.sha256())) {
                ReloadOutcome same =
                        new ReloadOutcome(
                                kind,
                                file,
                                who,
                                running.generation(),
                                running.generation(),
                                List.of());
                LOG.info("reload: {}", same.describe());
                audit.applied(same);
                return same;
            }
            T candidate = reader.read(file);
            for (Check<T> check : checks.values()) {
                check.check(running.value(), candidate);
            }
            Snapshot<T> next =
                    new Snapshot<>(running.generation() + 1, candidate, digest, Instant.now());
            List<String> changes = new ArrayList<>(differ.changes(running.value(), candidate));
            if (changes.isEmpty()) {
                changes.add("no change in effect (only the file's text changed)");
            }
            publish(next);
            ReloadOutcome outcome =
                    new ReloadOutcome(
                            kind, file, who, running.generation(), next.generation(), changes);
            // WARN: a change of the running policy is logged even where only warnings are (James's
            // stock logback.xml)
            LOG.warn("reload: {}", outcome.describe());
            audit.applied(outcome);
            return outcome;
        } catch (ReloadRefusedException e) {
            LOG.warn(
                    "reload: {} {} refused (requested by {}), generation {} stays: {}",
                    kind,
                    file,
                    who,
                    running.generation(),
                    e.getMessage());
            audit.refused(kind, file, who, running.generation(), e.getMessage());
            throw e;
        }
    }

    /**
     * Starts looking at the file every {@link #POLL_INTERVAL} and reloading it (as {@code
     * file-change}) when its modification time or size changed; a refused file is logged and the
     * running generation stays until the file changes again. Once per file; daemon thread.
     */
    public void watch() {
        watch(ReloadAudit.NONE);
    }

    /** As {@link #watch()}, recording file-change reloads in {@code audit} too. */
    public void watch(ReloadAudit audit) {
        if (!watching.compareAndSet(false, true)) {
            return;
        }
        long millis = POLL_INTERVAL.toMillis();
        WATCH.scheduleWithFixedDelay(() -> poll(audit), millis, millis, TimeUnit.MILLISECONDS);
        LOG.info("watching {} ({}) for changes every {} ms", file, kind, millis);
    }

    /**
     * Reloads the file by {@code who} when its modification time or size changed since it was last
     * read; otherwise does nothing.
     */
    public void refresh(String who) throws ReloadRefusedException {
        refresh(who, ReloadAudit.NONE);
    }

    private void refresh(String who, ReloadAudit audit) throws ReloadRefusedException {
        synchronized (this) {
            if (FileStamp.of(file).equals(seen)) {
                return;
            }
        }
        reload(who, audit);
    }

    /** One look at the file: reloads it when its stamp changed. */
    void poll(ReloadAudit audit) {
        try {
            refresh("file-change", audit);
        } catch (ReloadRefusedException e) {
            // logged by reload(); the running generation stays
        } catch (RuntimeException e) {
            // the watch must survive whatever one look meets
            LOG.warn("reload: watching {} failed once: {}", file, e.toString());
        }
    }

    private void publish(Snapshot<T> next) {
        history.put(next.generation(), next);
        current = next;
    }

    /** Null when the file cannot be read (the reader then refuses it with the start's words). */
    private static String sha256(Path file) {
        try {
            byte[] content = Files.readAllBytes(file);
            return Hex.toHexString(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (IOException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** Modification time and size, or absent. */
    private static final class FileStamp {
        private final long modified;
        private final long size;

        private FileStamp(long modified, long size) {
            this.modified = modified;
            this.size = size;
        }

        static FileStamp of(Path file) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                return new FileStamp(a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.size());
            } catch (IOException e) {
                return new FileStamp(-1, -1);
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FileStamp
                    && ((FileStamp) o).modified == modified
                    && ((FileStamp) o).size == size;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(modified) * 31 + Long.hashCode(size);
        }
    }
}
