package dev.mailsec.config.reload;

import java.time.Instant;
import java.util.Objects;

/**
 * One generation of a configuration file as the running process enforces it: the parsed value,
 * never changed after it is published, its number (1 at start, one more per applied reload), the
 * SHA-256 of the bytes it was read from and when it was read.
 *
 * @param <T> the parsed configuration (immutable)
 */
public final class Snapshot<T> {
    private final long generation;
    private final T value;
    private final String sha256;
    private final Instant loadedAt;

    Snapshot(long generation, T value, String sha256, Instant loadedAt) {
        this.generation = generation;
        this.value = Objects.requireNonNull(value, "value");
        this.sha256 = sha256;
        this.loadedAt = loadedAt;
    }

    public long generation() {
        return generation;
    }

    public T value() {
        return value;
    }

    /** Hex SHA-256 of the file's bytes. */
    public String sha256() {
        return sha256;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    @Override
    public String toString() {
        return "Snapshot{generation=" + generation + ", sha256=" + sha256 + "}";
    }
}
