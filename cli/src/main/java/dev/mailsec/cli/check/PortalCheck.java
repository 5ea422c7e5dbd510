package dev.mailsec.cli.check;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The rights portal a {@code rights.xml} names answers its health endpoint ({@code GET /healthz},
 * 200).
 */
final class PortalCheck {
    private final HttpClient http;
    private final Duration timeout;

    PortalCheck(Duration timeout) {
        this.timeout = timeout;
        this.http =
                HttpClient.newBuilder()
                        .connectTimeout(timeout)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
    }

    void check(URI portal, Report report) {
        String base = portal.toString();
        URI health = URI.create((base.endsWith("/") ? base : base + "/") + "healthz");
        String what = "portal " + health;
        try {
            HttpResponse<Void> response =
                    http.send(
                            HttpRequest.newBuilder(health).timeout(timeout).GET().build(),
                            HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() == 200) {
                report.ok(what + ": answers 200");
            } else {
                report.error(what, "answers " + response.statusCode() + ", not 200");
            }
        } catch (ConnectException e) {
            report.error(what, "not answering: nothing listening (connection refused)");
        } catch (IOException e) {
            report.error(what, "not answering: " + Report.message(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            report.error(what, "interrupted");
        }
    }
}
