package dev.mailsec.mailets.metrics;

import dev.mailsec.metrics.MetricSink;
import dev.mailsec.metrics.Metrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.james.metrics.api.Metric;
import org.apache.james.metrics.api.MetricFactory;

/**
 * The pack's {@link Metrics} over James's {@link MetricFactory}, so they appear wherever the
 * operator's James exports its own: JMX (James 3.8.1's Dropwizard registry, domain {@code metrics}:
 * a counter is a meter {@code metrics:name=NAME,type=meters}, a timer {@code
 * metrics:name=NAME,type=timers}) and WebAdmin's {@code /metrics} route when enabled
 * (docs/metrics.md). An adapter takes James's factory by setter injection and keeps {@link
 * Metrics#NONE} outside James:
 *
 * <pre>{@code
 * private Metrics metrics = Metrics.NONE;
 *
 * @Inject
 * public void setMetricFactory(MetricFactory factory) {
 *     metrics = JamesMetrics.of(factory);
 * }
 * }</pre>
 *
 * {@link #of} also makes the result the JVM's {@link Metrics#global()}, which the engines (DNS, DKM
 * reads, outbound TLS sessions) and the SMTP hooks report to.
 */
public final class JamesMetrics implements MetricSink {

    private final MetricFactory factory;
    private final Map<String, Metric> counters = new ConcurrentHashMap<>();

    private JamesMetrics(MetricFactory factory) {
        this.factory = factory;
    }

    /** Metrics reported to James's factory, installed as the JVM's global instance. */
    public static Metrics of(MetricFactory factory) {
        Metrics m = new Metrics(new JamesMetrics(factory));
        Metrics.install(m);
        return m;
    }

    @Override
    public void increment(String name) {
        counters.computeIfAbsent(name, factory::generate).increment();
    }

    @Override
    public Stopwatch start(String name) {
        return factory.timer(name)::stopAndPublish;
    }
}
