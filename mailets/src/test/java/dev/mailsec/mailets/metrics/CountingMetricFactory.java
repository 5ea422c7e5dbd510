package dev.mailsec.mailets.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.james.metrics.api.Metric;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.metrics.api.TimeMetric;
import org.reactivestreams.Publisher;

/** A fake of James's MetricFactory: counters by name, and how many times each timer published. */
public final class CountingMetricFactory implements MetricFactory {

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> timings = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> generated = new ConcurrentHashMap<>();

    /** The counter's value. */
    public long count(String name) {
        AtomicLong c = counts.get(name);
        return c == null ? 0 : c.get();
    }

    /** How many times the timer was stopped and published. */
    public long timings(String name) {
        AtomicLong t = timings.get(name);
        return t == null ? 0 : t.get();
    }

    /** How many times {@link #generate} was asked for the name. */
    public long generated(String name) {
        AtomicLong g = generated.get(name);
        return g == null ? 0 : g.get();
    }

    @Override
    public Metric generate(String name) {
        generated.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
        AtomicLong c = counts.computeIfAbsent(name, n -> new AtomicLong());
        return new Metric() {
            @Override
            public void increment() {
                c.incrementAndGet();
            }

            @Override
            public void decrement() {
                c.decrementAndGet();
            }

            @Override
            public void add(int value) {
                c.addAndGet(value);
            }

            @Override
            public void remove(int value) {
                c.addAndGet(-value);
            }

            @Override
            public long getCount() {
                return c.get();
            }
        };
    }

    @Override
    public TimeMetric timer(String name) {
        long t0 = System.nanoTime();
        return new TimeMetric() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public ExecutionResult stopAndPublish() {
                timings.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
                Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
                return new ExecutionResult() {
                    @Override
                    public Duration elasped() {
                        return elapsed;
                    }

                    @Override
                    public ExecutionResult logWhenExceedP99(Duration threshold) {
                        return this;
                    }
                };
            }
        };
    }

    @Override
    public <T> Publisher<T> decoratePublisherWithTimerMetric(String name, Publisher<T> publisher) {
        return publisher;
    }

    @Override
    public <T> Publisher<T> decoratePublisherWithTimerMetricLogP99(
            String name, Publisher<T> publisher) {
        return publisher;
    }
}
