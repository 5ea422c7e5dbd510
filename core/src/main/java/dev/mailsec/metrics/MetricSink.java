package dev.mailsec.metrics;

/**
 * Where {@link Metrics} reports: a counter increment, or a timer started now. In James this is
 * James's {@code MetricFactory} (the mailets' {@code JamesMetrics}); in the portal it is {@link
 * CountingSink}; in unit tests a fake. Implementations must be thread-safe and cheap.
 */
public interface MetricSink {

    /** Adds one to the counter {@code name}. */
    void increment(String name);

    /** Starts the timer {@code name}; the returned stopwatch publishes the time when stopped. */
    Stopwatch start(String name);

    /** One running measurement of a timer. */
    @FunctionalInterface
    interface Stopwatch {
        void stop();
    }

    /** Reports nothing. */
    MetricSink NONE =
            new MetricSink() {
                @Override
                public void increment(String name) {}

                @Override
                public Stopwatch start(String name) {
                    return () -> {};
                }
            };
}
