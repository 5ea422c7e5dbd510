package dev.mailsec.config.reload;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The one {@link ReloadableFile} per configuration file in a process: the SMTP hook, the matchers,
 * the mailets and the WebAdmin routes of one James all ask here by kind and path and so share one
 * snapshot, which one reload swaps for all of them at once.
 */
public final class ReloadableFiles {
    private static final ConcurrentMap<String, ReloadableFile<?>> SHARED =
            new ConcurrentHashMap<>();

    /** Opens a file's first generation. */
    @FunctionalInterface
    public interface Opener<T> {
        ReloadableFile<T> open(Path file) throws ReloadRefusedException;
    }

    private ReloadableFiles() {}

    /**
     * The shared file of {@code kind} at {@code file}, opened on first use. A component starting
     * later sees the file as it is now: when it changed since it was last read, it is reloaded
     * first (by {@code start}), and refused with the start's message if bad.
     */
    @SuppressWarnings("unchecked")
    public static <T> ReloadableFile<T> shared(String kind, Path file, Opener<T> opener)
            throws ReloadRefusedException {
        Path path = file.toAbsolutePath().normalize();
        String key = key(kind, path);
        ReloadableFile<T> existing;
        synchronized (SHARED) {
            existing = (ReloadableFile<T>) SHARED.get(key);
            if (existing == null) {
                ReloadableFile<T> opened = opener.open(path);
                SHARED.put(key, opened);
                return opened;
            }
        }
        existing.refresh("start");
        return existing;
    }

    /** The shared file of {@code kind} at {@code file}, if some component opened it. */
    @SuppressWarnings("unchecked")
    public static <T> Optional<ReloadableFile<T>> find(String kind, Path file) {
        return Optional.ofNullable(
                (ReloadableFile<T>) SHARED.get(key(kind, file.toAbsolutePath().normalize())));
    }

    private static String key(String kind, Path path) {
        return kind + "|" + path;
    }
}
