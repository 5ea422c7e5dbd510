package dev.mailsec.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CountingSinkTest {

    @Test
    void prometheusTextShouldListCountersAsTotalsAndTimersAsCountAndSumSortedByName() {
        CountingSink sink = new CountingSink();
        Metrics metrics = new Metrics(sink);
        metrics.portalRequest(200);
        metrics.portalRequest(200);
        metrics.portalRequest(404);
        metrics.rightsOpened();
        metrics.dkmFetch().stop();

        String text = sink.prometheusText();

        assertThat(text)
                .startsWith(
                        "# TYPE mailsec_portal_requests_200_total counter\n"
                                + "mailsec_portal_requests_200_total 2\n"
                                + "# TYPE mailsec_portal_requests_404_total counter\n"
                                + "mailsec_portal_requests_404_total 1\n"
                                + "# TYPE mailsec_rights_opened_total counter\n"
                                + "mailsec_rights_opened_total 1\n"
                                + "# TYPE mailsec_dkm_fetch summary\n"
                                + "mailsec_dkm_fetch_count 1\n"
                                + "mailsec_dkm_fetch_sum ");
        assertThat(text).endsWith("\n").matches("(?s).*mailsec_dkm_fetch_sum [0-9.E-]+\n");
        assertThat(sink.count("mailsec_portal_requests_200")).isEqualTo(2);
        assertThat(sink.count("mailsec_never")).isZero();
    }

    @Test
    void anEmptySinkShouldWriteNothing() {
        assertThat(new CountingSink().prometheusText()).isEmpty();
    }
}
