package dev.mailsec.mailets.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.metrics.MetricSink;
import dev.mailsec.metrics.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JamesMetricsTest {

    private final CountingMetricFactory factory = new CountingMetricFactory();

    @AfterEach
    void noGlobal() {
        Metrics.install(Metrics.NONE);
    }

    @Test
    void countersShouldReachJamesFactoryUnderTheirNames() {
        Metrics metrics = JamesMetrics.of(factory);

        metrics.dkimResult("pass");
        metrics.dkimResult("pass");
        metrics.dkimResult("fail");

        assertThat(factory.count("mailsec_dkim_result_pass")).isEqualTo(2);
        assertThat(factory.count("mailsec_dkim_result_fail")).isEqualTo(1);
    }

    @Test
    void aCounterShouldBeAskedOfJamesOnceAndThenReused() {
        Metrics metrics = JamesMetrics.of(factory);

        for (int i = 0; i < 1000; i++) {
            metrics.dnsCache(true);
        }

        assertThat(factory.count("mailsec_dns_cache_hit")).isEqualTo(1000);
        assertThat(factory.generated("mailsec_dns_cache_hit")).isEqualTo(1);
    }

    @Test
    void timersShouldPublishToJamesWhenStopped() {
        Metrics metrics = JamesMetrics.of(factory);

        MetricSink.Stopwatch running = metrics.dkmFetch();
        assertThat(factory.timings("mailsec_dkm_fetch")).isZero();
        running.stop();

        assertThat(factory.timings("mailsec_dkm_fetch")).isEqualTo(1);
    }

    @Test
    void ofShouldInstallTheResultForTheEngines() {
        Metrics metrics = JamesMetrics.of(factory);

        assertThat(Metrics.global()).isSameAs(metrics);
        Metrics.global().rightsProtected();
        assertThat(factory.count("mailsec_rights_protected")).isEqualTo(1);
    }
}
