package dev.mailsec.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.metrics.Metrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PortalMetricsTest {

    private final FakeEngine engine = new FakeEngine();
    private final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private PortalMetrics metrics;
    private Portal portal;

    @BeforeEach
    void start() throws Exception {
        PortalTest.addHostileMessage(engine);
        metrics = PortalMetrics.start("127.0.0.1", 0);
        PortalConfig config = PortalTest.localConfig();
        PortalMailer mailer = PortalTest.keepingMailer(config, new ArrayList<>());
        portal = Portal.start(config, engine, mailer, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        portal.close();
        metrics.close();
    }

    private HttpResponse<String> send(URI base, String method, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(base.resolve(path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI metricsUrl() {
        return URI.create("http://127.0.0.1:" + metrics.port());
    }

    @Test
    void metricsShouldCountThePortalAnswersByStatus() throws Exception {
        URI readers = portal.localUrl();
        assertThat(send(readers, "GET", "/m/enc00000000000001").statusCode()).isEqualTo(200);
        assertThat(send(readers, "GET", "/healthz").statusCode()).isEqualTo(200);
        assertThat(send(readers, "GET", "/nowhere").statusCode()).isEqualTo(404);
        assertThat(send(readers, "DELETE", "/").statusCode()).isEqualTo(405);

        HttpResponse<String> scrape = send(metricsUrl(), "GET", "/metrics");

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type"))
                .hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(scrape.body())
                .contains("# TYPE mailsec_portal_requests_200_total counter\n")
                .contains("\nmailsec_portal_requests_200_total 2\n")
                .contains("\nmailsec_portal_requests_404_total 1\n")
                .contains("\nmailsec_portal_requests_405_total 1\n")
                .doesNotContain("enc00000000000001");
    }

    @Test
    void theReadersPortShouldNotServeMetrics() throws Exception {
        assertThat(send(portal.localUrl(), "GET", "/metrics").statusCode()).isEqualTo(404);
    }

    @Test
    void theMetricsListenerShouldServeOnlyGetMetrics() throws Exception {
        assertThat(send(metricsUrl(), "GET", "/").statusCode()).isEqualTo(404);
        HttpResponse<String> post = send(metricsUrl(), "POST", "/metrics");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void startShouldMakeItsCountersTheJvmMetricsAndCloseShouldUndoIt() throws Exception {
        Metrics.global().rightsOpened();
        assertThat(send(metricsUrl(), "GET", "/metrics").body())
                .contains("\nmailsec_rights_opened_total 1\n");

        metrics.close();
        assertThat(Metrics.global()).isSameAs(Metrics.NONE);
        metrics = PortalMetrics.start("127.0.0.1", 0);
    }
}
