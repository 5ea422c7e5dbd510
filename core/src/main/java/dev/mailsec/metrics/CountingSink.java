package dev.mailsec.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A sink of its own for a process without James (the portal): counters, and timers as count and
 * sum, kept in memory and written in the Prometheus text format (version 0.0.4) the way James's
 * {@code /metrics} route writes Dropwizard's: a counter {@code NAME} as {@code NAME_total}, a timer
 * as {@code NAME_count} and {@code NAME_sum} in seconds. Thread-safe.
 */
public final class CountingSink implements MetricSink {

    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final Map<String, LongAdder[]> timers = new ConcurrentHashMap<>();

    @Override
    public void increment(String name) {
        counters.computeIfAbsent(name, n -> new LongAdder()).increment();
    }

    @Override
    public Stopwatch start(String name) {
        long t0 = System.nanoTime();
        return () -> {
            LongAdder[] t =
                    timers.computeIfAbsent(
                            name, n -> new LongAdder[] {new LongAdder(), new LongAdder()});
            t[0].increment();
            t[1].add(System.nanoTime() - t0);
        };
    }

    /** The counter's value (0 if never incremented). */
    public long count(String name) {
        LongAdder a = counters.get(name);
        return a == null ? 0 : a.sum();
    }

    /** Every counter and timer, in the Prometheus text format, sorted by name. */
    public String prometheusText() {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(counters)
                .forEach(
                        (name, value) ->
                                out.append("# TYPE ")
                                        .append(name)
                                        .append("_total counter\n")
                                        .append(name)
                                        .append("_total ")
                                        .append(value.sum())
                                        .append('\n'));
        new TreeMap<>(timers)
                .forEach(
                        (name, t) ->
                                out.append("# TYPE ")
                                        .append(name)
                                        .append(" summary\n")
                                        .append(name)
                                        .append("_count ")
                                        .append(t[0].sum())
                                        .append('\n')
                                        .append(name)
                                        .append("_sum ")
                                        .append(t[1].sum() / 1e9)
                                        .append('\n'));
        return out.toString();
    }
}
