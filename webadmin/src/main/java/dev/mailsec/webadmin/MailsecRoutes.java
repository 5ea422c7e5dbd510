package dev.mailsec.webadmin;

import java.time.Clock;
import javax.inject.Inject;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.webadmin.Routes;
import spark.Service;

/**
 * The pack's WebAdmin routes, all under {@code /mailsec}. James loads this class from {@code
 * extensions.routes} in {@code webadmin.properties} (which {@code mailsec install} writes) and
 * builds it with its own injector; its WebAdmin applies its authentication filter (JWT when {@code
 * jwt.enabled=true}) to the base path and everything below it, so no route here is reachable
 * without it. Settings: {@link WebAdminSettings}; a wrong one stops James's start.
 *
 * <pre>
 * # conf/webadmin.properties
 * extensions.routes=dev.mailsec.webadmin.MailsecRoutes
 * </pre>
 */
public final class MailsecRoutes implements Routes {
    static final String BASE = "/mailsec";

    private final DkmRoutes dkm;
    private final ConnectorList connectors;
    private final RightsRoutes rights;
    private final QuarantineCounts quarantines;

    @Inject
    public MailsecRoutes(MailRepositoryStore repositories) {
        this(WebAdminSettings.load(), repositories);
    }

    MailsecRoutes(WebAdminSettings settings, MailRepositoryStore repositories) {
        DkmSessions sessions = DkmSessions.load(settings.dkmConfig());
        Reloads reloads = new Reloads(sessions);
        this.dkm = new DkmRoutes(sessions, Clock.systemUTC());
        this.connectors = new ConnectorList(settings.connectors(), reloads);
        this.rights = RightsRoutes.open(settings.rightsConfig(), reloads);
        this.quarantines = new QuarantineCounts(repositories);
    }

    @Override
    public String getBasePath() {
        return BASE;
    }

    @Override
    public void define(Service service) {
        dkm.define(service);
        connectors.define(service);
        rights.define(service);
        quarantines.define(service);
    }
}
