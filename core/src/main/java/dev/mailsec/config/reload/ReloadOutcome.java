package dev.mailsec.config.reload;

import java.nio.file.Path;
import java.util.List;

/**
 * What a reload did: who asked ({@code webadmin:<subject>}, or {@code file-change}), the file, the
 * generation before and after (the same when the file's bytes did not change) and the changes in
 * words ({@code outbound connector 'red' added}, ...).
 */
public final class ReloadOutcome {
    private final String kind;
    private final Path file;
    private final String who;
    private final long previousGeneration;
    private final long generation;
    private final List<String> changes;

    ReloadOutcome(
            String kind,
            Path file,
            String who,
            long previousGeneration,
            long generation,
            List<String> changes) {
        this.kind = kind;
        this.file = file;
        this.who = who;
        this.previousGeneration = previousGeneration;
        this.generation = generation;
        this.changes = List.copyOf(changes);
    }

    /** What the file configures, e.g. {@code connectors} or {@code rights}. */
    public String kind() {
        return kind;
    }

    public Path file() {
        return file;
    }

    public String who() {
        return who;
    }

    public long previousGeneration() {
        return previousGeneration;
    }

    public long generation() {
        return generation;
    }

    /** False when the file's bytes were those already applied: nothing was swapped. */
    public boolean applied() {
        return generation != previousGeneration;
    }

    public List<String> changes() {
        return changes;
    }

    /** One line for the audit: who, file, generations and changes. */
    public String describe() {
        return kind
                + " "
                + file
                + (applied()
                        ? " generation " + previousGeneration + " -> " + generation
                        : " unchanged at generation " + generation)
                + " by "
                + who
                + (changes.isEmpty() ? "" : ": " + String.join("; ", changes));
    }

    @Override
    public String toString() {
        return describe();
    }
}
