package dev.mailsec.webadmin;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * {@code /mailsec/dkm/...}: the key manager's status, and the two rollover steps of {@code dkm
 * secret rotate|promote} for one secret. Rotation through WebAdmin generates the new material in
 * DKM (a value never travels over HTTP, so an OPAQUE secret is a 400: give its value with the CLI).
 * Each change is audited in DKM by the configured identity, on behalf of the WebAdmin caller.
 */
final class DkmRoutes {
    static final String SECRET = ":name";

    private final DkmSessions sessions;
    private final Clock clock;

    DkmRoutes(DkmSessions sessions, Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
    }

    void define(Service service) {
        service.get(MailsecRoutes.BASE + "/dkm/status", this::status);
        service.post(MailsecRoutes.BASE + "/dkm/secrets/" + SECRET + "/rotate", this::rotate);
        service.post(MailsecRoutes.BASE + "/dkm/secrets/" + SECRET + "/promote", this::promote);
    }

    private Object status(Request request, Response response) {
        DkmStatus status = new DkmStatus(sessions.config(), clock.instant());
        return Answers.json(sessions.run(Caller.of(request), status::read));
    }

    private Object rotate(Request request, Response response) {
        String name = Answers.pathParameter(request, SECRET);
        int version = sessions.run(Caller.of(request), km -> km.rotate(name));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("secret", name);
        out.put("version", version);
        out.put("state", "ENABLED");
        return Answers.json(out);
    }

    private Object promote(Request request, Response response) {
        String name = Answers.pathParameter(request, SECRET);
        int version = version(request.queryParams("version"));
        sessions.run(
                Caller.of(request),
                km -> {
                    km.promote(name, version);
                    return null;
                });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("secret", name);
        out.put("version", version);
        out.put("state", "PRIMARY");
        return Answers.json(out);
    }

    static int version(String value) {
        if (value == null || value.isBlank()) {
            throw Answers.badRequest("version", "required (the version to make primary)");
        }
        try {
            int v = Integer.parseInt(value.trim());
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw Answers.badRequest("version", "must be a whole number from 1, got '" + value + "'");
    }
}
