package dev.mailsec.webadmin;

import dev.mailsec.config.ConfigException;
import dev.mailsec.config.reload.ReloadableFile;
import dev.mailsec.rights.AccessEvent;
import dev.mailsec.rights.LiveRightsSettings;
import dev.mailsec.rights.Right;
import dev.mailsec.rights.RightsSettings;
import dev.mailsec.rights.RightsStore;
import dev.mailsec.rights.RightsStoreUnavailableException;
import dev.mailsec.rights.RightsTemplate;
import dev.mailsec.rights.StoredMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * {@code /mailsec/rights/...}: the templates of rights.xml, and what {@code mailsec rights revoke}
 * and {@code rights log} do for one protected message, and {@code POST /mailsec/rights/reload} (a
 * Message-ID, with or without angle brackets, or a licence id). A revocation is logged in the
 * message's access log as done by the WebAdmin caller. Without rights.xml every route answers 404;
 * a store that cannot be reached 503.
 */
final class RightsRoutes {
    static final String ID = ":id";

    private final ReloadableFile<RightsSettings> settings;
    private final RightsStore store;
    private final Reloads reloads;

    private RightsRoutes(
            ReloadableFile<RightsSettings> settings, RightsStore store, Reloads reloads) {
        this.settings = settings;
        this.store = store;
        this.reloads = reloads;
    }

    /**
     * The routes over rights.xml at {@code file} (the generation in force, shared with the rights
     * mailets: {@link LiveRightsSettings}), or routes that answer 404 without one.
     */
    static RightsRoutes open(Optional<Path> file, Reloads reloads) {
        if (file.isEmpty()) {
            return new RightsRoutes(null, null, reloads);
        }
        try {
            ReloadableFile<RightsSettings> live = LiveRightsSettings.shared(file.get());
            live.watch();
            RightsSettings s = live.current().value();
            return new RightsRoutes(
                    live, RightsStore.openWhenReachable(s.storeUrl(), s.storeSchema()), reloads);
        } catch (RightsStoreUnavailableException | IllegalArgumentException e) {
            throw new ConfigException(
                    WebAdminSettings.FILE,
                    WebAdminSettings.RIGHTS_CONFIG,
                    file.get().toString(),
                    e.getMessage(),
                    e);
        }
    }

    void define(Service service) {
        String base = MailsecRoutes.BASE + "/rights";
        service.get(base + "/templates", this::templates);
        service.post(base + "/reload", this::reload);
        service.post(base + "/messages/" + ID + "/revoke", this::revoke);
        service.get(base + "/messages/" + ID + "/log", this::log);
    }

    private void requireConfigured() {
        if (settings == null) {
            throw Answers.notFound("rights protection is not set up (no rights.xml)");
        }
    }

    private Object reload(Request request, Response response) {
        requireConfigured();
        return reloads.reload(request, settings);
    }

    private Object templates(Request request, Response response) {
        requireConfigured();
        List<Map<String, Object>> out = new ArrayList<>();
        for (RightsTemplate t : settings.current().value().templates().values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.name());
            m.put("rights", tokens(t.rights()));
            m.put("expiry", t.expiry().map(RightsRoutes::iso).orElse(null));
            out.add(m);
        }
        return Answers.json(out);
    }

    private Object revoke(Request request, Response response) {
        requireConfigured();
        String id = Answers.pathParameter(request, ID);
        String reason = Optional.ofNullable(request.queryParams("reason")).orElse("");
        if (reason.length() > 500) {
            throw Answers.badRequest("reason", "at most 500 characters");
        }
        try {
            List<StoredMessage> found = known(id);
            boolean newly = store.revoke(id, Caller.of(request), reason);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", id);
            out.put("newlyRevoked", newly);
            out.put("messages", messages(store.findAll(id)));
            out.put("found", found.size());
            return Answers.json(out);
        } catch (RightsStoreUnavailableException e) {
            throw Answers.unavailable("rights store unavailable: " + e.getMessage());
        }
    }

    private Object log(Request request, Response response) {
        requireConfigured();
        String id = Answers.pathParameter(request, ID);
        try {
            List<StoredMessage> found = known(id);
            List<Map<String, Object>> events = new ArrayList<>();
            for (AccessEvent e : store.events(id)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("time", e.time().toString());
                m.put("licence", e.licenceId());
                m.put("event", e.type().name());
                m.put("address", e.address());
                m.put(
                        "channel",
                        e.channel() == null ? null : e.channel().name().toLowerCase(Locale.ROOT));
                m.put("client", e.client());
                m.put("detail", e.detail());
                events.add(m);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("messages", messages(found));
            out.put("events", events);
            return Answers.json(out);
        } catch (RightsStoreUnavailableException e) {
            throw Answers.unavailable("rights store unavailable: " + e.getMessage());
        }
    }

    private List<StoredMessage> known(String id) throws RightsStoreUnavailableException {
        List<StoredMessage> found = store.findAll(id);
        if (found.isEmpty()) {
            throw Answers.notFound(
                    "no protected message with Message-ID or licence id '" + id + "'");
        }
        return found;
    }

    private static List<Map<String, Object>> messages(List<StoredMessage> found) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (StoredMessage sm : found) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("licence", sm.licenceId());
            m.put("messageId", sm.messageId());
            m.put("sender", sm.sender());
            m.put("recipients", new ArrayList<>(sm.recipients()));
            m.put("template", sm.template());
            m.put("rights", tokens(sm.rights()));
            m.put("created", sm.created().toString());
            m.put("expires", sm.expires().map(Object::toString).orElse(null));
            m.put(
                    "revocation",
                    sm.revocation()
                            .map(
                                    r -> {
                                        Map<String, Object> rv = new LinkedHashMap<>();
                                        rv.put("at", r.at().toString());
                                        rv.put("by", r.by());
                                        rv.put("reason", r.reason());
                                        return rv;
                                    })
                            .orElse(null));
            out.add(m);
        }
        return out;
    }

    private static List<String> tokens(Set<Right> rights) {
        List<String> out = new ArrayList<>();
        for (Right r : Right.values()) {
            if (rights.contains(r)) {
                out.add(r.token());
            }
        }
        return out;
    }

    /** P30D rather than Duration's PT720H when the expiry is whole days. */
    private static String iso(Duration d) {
        return d.toSeconds() % 86_400 == 0 ? "P" + d.toDays() + "D" : d.toString();
    }
}
