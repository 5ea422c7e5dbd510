package dev.mailsec.it.harness;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few WebAdmin calls an operator makes on held mail (James 3.8.1's {@code /mailRepositories}
 * and {@code /tasks} routes), sent over HTTP exactly as {@code curl} would send them.
 */
public final class WebAdmin {

    private static final Pattern SIZE = Pattern.compile("\"size\"\\s*:\\s*(\\d+)");
    private static final Pattern TASK_ID = Pattern.compile("\"taskId\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    WebAdmin(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /**
     * How many mails the repository at this path (e.g. {@code var/mail/error}) holds; 0 if it does
     * not exist.
     */
    public long repositorySize(String path) throws IOException, InterruptedException {
        HttpResponse<String> r =
                send(
                        HttpRequest.newBuilder(
                                        URI.create(base + "/mailRepositories/" + encode(path)))
                                .GET());
        if (r.statusCode() == 404) {
            return 0;
        }
        Matcher m = SIZE.matcher(r.body());
        if (r.statusCode() != 200 || !m.find()) {
            throw new IOException(
                    "GET repository " + path + ": " + r.statusCode() + " " + r.body());
        }
        return Long.parseLong(m.group(1));
    }

    /**
     * {@code PATCH /mailRepositories/PATH/mails?action=reprocess[&processor=P]}, as the docs tell
     * operators, then waits for the task to end; returns its final status ({@code completed},
     * {@code failed}). {@code processor} null sends every mail back to the processor it was held
     * in.
     */
    public String reprocessAll(String path, String processor)
            throws IOException, InterruptedException {
        String uri =
                base
                        + "/mailRepositories/"
                        + encode(path)
                        + "/mails?action=reprocess"
                        + (processor == null ? "" : "&processor=" + encode(processor));
        HttpResponse<String> r =
                send(
                        HttpRequest.newBuilder(URI.create(uri))
                                .method("PATCH", HttpRequest.BodyPublishers.noBody()));
        Matcher id = TASK_ID.matcher(r.body());
        if (r.statusCode() != 201 || !id.find()) {
            throw new IOException("reprocess " + path + ": " + r.statusCode() + " " + r.body());
        }
        HttpResponse<String> done =
                send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                base
                                                        + "/tasks/"
                                                        + id.group(1)
                                                        + "/await?timeout=60s"))
                                .GET());
        Matcher status = STATUS.matcher(done.body());
        if (done.statusCode() != 200 || !status.find()) {
            throw new IOException(
                    "await task " + id.group(1) + ": " + done.statusCode() + " " + done.body());
        }
        return status.group(1);
    }

    private HttpResponse<String> send(HttpRequest.Builder request)
            throws IOException, InterruptedException {
        return http.send(
                request.timeout(Duration.ofSeconds(90)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
