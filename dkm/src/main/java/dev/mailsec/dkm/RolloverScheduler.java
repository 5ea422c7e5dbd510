package dev.mailsec.dkm;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Applies the rollover policy periodically ({@link KeyManager#rotateDue()}) inside a long-running
 * process, e.g. the James node that holds the root key. Failures are reported to {@code onResult}
 * and retried at the next period; the store is valid after any failure (every rollover step is).
 */
public final class RolloverScheduler implements AutoCloseable {
    private final ScheduledExecutorService executor;
    private final ScheduledFuture<?> task;

    /** Outcome of one run: the actions taken, or the failure. */
    public static final class Result {
        private final List<String> actions;
        private final DkmException failure;

        Result(List<String> actions, DkmException failure) {
            this.actions = actions;
            this.failure = failure;
        }

        public List<String> actions() {
            return actions;
        }

        /** Null when the run succeeded. */
        public DkmException failure() {
            return failure;
        }
    }

    private RolloverScheduler(KeyManager km, Duration period, Consumer<Result> onResult) {
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("period: must be positive, got " + period);
        }
        executor =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "dkm-rollover");
                            t.setDaemon(true);
                            return t;
                        });
        task =
                executor.scheduleWithFixedDelay(
                        () -> runOnce(km, onResult), 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts running {@code rotateDue()} now and then every {@code period}; {@code km} needs the
     * root key.
     */
    public static RolloverScheduler start(
            KeyManager km, Duration period, Consumer<Result> onResult) {
        return new RolloverScheduler(km, period, onResult);
    }

    static void runOnce(KeyManager km, Consumer<Result> onResult) {
        Result r;
        try {
            r = new Result(km.rotateDue(), null);
        } catch (DkmException e) {
            r = new Result(Collections.<String>emptyList(), e);
        }
        onResult.accept(r);
    }

    @Override
    public void close() {
        task.cancel(false);
        executor.shutdown();
    }
}
