package dev.mailsec.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.dns.TtlCache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricsTest {

    private final RecordingSink sink = new RecordingSink();
    private final Metrics metrics = new Metrics(sink);

    @AfterEach
    void noGlobal() {
        Metrics.install(Metrics.NONE);
    }

    @Test
    void eachEventShouldCountUnderItsDocumentedName() {
        metrics.dkimResult("pass");
        metrics.dnsFailure();
        metrics.dnsCache(true);
        metrics.dnsCache(false);
        metrics.inboundRefused("partner-a");
        metrics.outboundSession("sts", null);
        metrics.outboundSession("no-policy-found", "certificate-host-mismatch");
        metrics.outboundCertificateRefused("bank");
        metrics.smime("sign");
        metrics.smimeFailure("encrypt");
        metrics.rightsProtected();
        metrics.rightsOpened();
        metrics.rightsRefused("REVOKED");
        metrics.dkmFailure();
        metrics.portalRequest(404);
        metrics.held("file://var/mail/dmarc-quarantine/");
        metrics.held("memory://var/mail/held");

        assertThat(sink.increments)
                .containsExactly(
                        "mailsec_dkim_result_pass",
                        "mailsec_dns_lookup_failure",
                        "mailsec_dns_cache_hit",
                        "mailsec_dns_cache_miss",
                        "mailsec_inbound_refused_partner_a",
                        "mailsec_outbound_tls_sts_success",
                        "mailsec_outbound_tls_no_policy_found_failure_certificate_host_mismatch",
                        "mailsec_outbound_certificate_refused_bank",
                        "mailsec_smime_sign",
                        "mailsec_smime_encrypt_failure",
                        "mailsec_rights_protected",
                        "mailsec_rights_opened",
                        "mailsec_rights_refused_revoked",
                        "mailsec_dkm_fetch_failure",
                        "mailsec_portal_requests_404",
                        "mailsec_quarantine_held_dmarc_quarantine",
                        "mailsec_quarantine_held_held");
    }

    @Test
    void timersShouldPublishWhenStopped() {
        MetricSink.Stopwatch dns = metrics.dnsLookup();
        MetricSink.Stopwatch dkm = metrics.dkmFetch();
        assertThat(sink.timings).isEmpty();

        dkm.stop();
        dns.stop();

        assertThat(sink.timings).containsExactly("mailsec_dkm_fetch", "mailsec_dns_lookup");
    }

    @Test
    void suffixShouldKeepOnlyLowerCaseLettersDigitsAndSingleUnderscores() {
        assertThat(Metrics.suffix("Partner-A.Example")).isEqualTo("partner_a_example");
        assertThat(Metrics.suffix("--a  b--")).isEqualTo("a_b");
        assertThat(Metrics.suffix("über=1")).isEqualTo("ber_1");
        assertThat(Metrics.suffix("")).isEqualTo("other");
        assertThat(Metrics.suffix("%%%")).isEqualTo("other");
        assertThat(Metrics.suffix(null)).isEqualTo("other");
        assertThat(Metrics.suffix("x".repeat(500))).hasSize(Metrics.MAX_SUFFIX);
    }

    @Test
    void aHostileConnectorNameShouldNeverMakeAnInvalidName() {
        metrics.inboundRefused("a\r\nb,name=x type=y\u0000");

        assertThat(sink.increments).containsExactly("mailsec_inbound_refused_a_b_name_x_type_y");
        assertThat(sink.increments.get(0)).matches("[a-z0-9_]+");
    }

    @Test
    void portalStatusOutsideHttpRangeShouldCountAsZero() {
        metrics.portalRequest(42);
        metrics.portalRequest(700);

        assertThat(sink.increments)
                .containsExactly("mailsec_portal_requests_0", "mailsec_portal_requests_0");
    }

    @Test
    void aFailingSinkShouldNeverReachTheCaller() {
        Metrics broken =
                new Metrics(
                        new MetricSink() {
                            @Override
                            public void increment(String name) {
                                throw new IllegalStateException("registry closed");
                            }

                            @Override
                            public Stopwatch start(String name) {
                                return () -> {
                                    throw new IllegalStateException("registry closed");
                                };
                            }
                        });

        broken.dkimResult("fail");
        broken.dnsLookup().stop();
        broken.dkmFetch().stop();
    }

    @Test
    void engineCachesShouldReportHitsAndMissesToTheInstalledGlobal() {
        Metrics.install(metrics);
        TtlCache<String> cache = new TtlCache<>(10);

        cache.get("k", 1000);
        cache.remember("k", "v", 60_000, 1000);
        cache.get("k", 2000);
        cache.get("k", 70_000); // expired

        assertThat(sink.increments)
                .containsExactly(
                        "mailsec_dns_cache_miss",
                        "mailsec_dns_cache_hit",
                        "mailsec_dns_cache_miss");
    }

    @Test
    void globalShouldBeNoneUntilInstalled() {
        assertThat(Metrics.global()).isSameAs(Metrics.NONE);

        Metrics.install(metrics);

        assertThat(Metrics.global()).isSameAs(metrics);
    }
}
