package dev.mailsec.it.harness;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few WebAdmin calls an operator makes on held mail and queues (James 3.8.1's {@code
 * /mailRepositories}, {@code /mailQueues} and {@code /tasks} routes), sent over HTTP exactly as
 * {@code curl} would send them.
 */
public final class WebAdmin {

    private static final Pattern SIZE = Pattern.compile("\"size\"\\s*:\\s*(\\d+)");
    private static final Pattern TASK_ID = Pattern.compile("\"taskId\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern REPOSITORY =
            Pattern.compile("\"repository\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern RECIPIENTS =
            Pattern.compile("\"recipients\"\\s*:\\s*\\[([^\\]]*)\\]");
    private static final Pattern STRING = Pattern.compile("\"([^\"]*)\"");
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

    /** {@code GET /mailQueues}: the names of James's mail queues (spool, outgoing, ...). */
    public List<String> queueNames() throws IOException, InterruptedException {
        return strings(get("/mailQueues"));
    }

    /** {@code GET /mailQueues/NAME}: how many mails wait in that queue. */
    public long queueSize(String name) throws IOException, InterruptedException {
        Matcher m = SIZE.matcher(get("/mailQueues/" + encode(name)));
        if (!m.find()) {
            throw new IOException("no size for queue " + name);
        }
        return Long.parseLong(m.group(1));
    }

    /** {@code GET /mailRepositories}: the path of every mail repository (e.g. var/mail/error/). */
    public List<String> repositoryPaths() throws IOException, InterruptedException {
        List<String> paths = new ArrayList<>();
        Matcher m = REPOSITORY.matcher(get("/mailRepositories"));
        while (m.find()) {
            paths.add(m.group(1));
        }
        return paths;
    }

    /** {@code GET /mailRepositories/PATH/mails}: the keys of the mails it holds. */
    public List<String> mailKeys(String path) throws IOException, InterruptedException {
        return strings(get("/mailRepositories/" + encode(path) + "/mails?limit=100000"));
    }

    /**
     * {@code GET /mailRepositories/PATH/mails/KEY} with {@code Accept: message/rfc822}: the held
     * mail's message.
     */
    public String mailMessage(String path, String key) throws IOException, InterruptedException {
        HttpResponse<String> r =
                send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                base
                                                        + "/mailRepositories/"
                                                        + encode(path)
                                                        + "/mails/"
                                                        + encode(key)))
                                .header("Accept", "message/rfc822")
                                .GET());
        if (r.statusCode() != 200) {
            throw new IOException("GET mail " + key + " of " + path + ": " + r.statusCode());
        }
        return r.body();
    }

    /** {@code GET /mailRepositories/PATH/mails/KEY} (JSON): the held mail's recipients. */
    public List<String> mailRecipients(String path, String key)
            throws IOException, InterruptedException {
        String json = get("/mailRepositories/" + encode(path) + "/mails/" + encode(key));
        Matcher m = RECIPIENTS.matcher(json);
        return m.find() ? strings("[" + m.group(1) + "]") : List.of();
    }

    /**
     * {@code GET /mailRepositories/PATH/mails/KEY?additionalFields=attributes} (JSON): the held
     * mail's state, error, sender, recipients and attributes, as an operator reads them.
     */
    public String mailDetails(String path, String key) throws IOException, InterruptedException {
        return get(
                "/mailRepositories/"
                        + encode(path)
                        + "/mails/"
                        + encode(key)
                        + "?additionalFields=attributes");
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + path)).GET());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static List<String> strings(String jsonArray) {
        List<String> out = new ArrayList<>();
        Matcher m = STRING.matcher(jsonArray);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
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
