package dev.mailsec.cli.rights;

import dev.mailsec.cli.Foreground;
import dev.mailsec.cli.UserException;
import dev.mailsec.config.PackPaths;
import dev.mailsec.config.reload.ReloadableFile;
import dev.mailsec.dkm.DkmException;
import dev.mailsec.dkm.DkmInvalidRequestException;
import dev.mailsec.portal.Portal;
import dev.mailsec.portal.PortalConfig;
import dev.mailsec.portal.PortalMetrics;
import dev.mailsec.portal.PortalRefusal;
import dev.mailsec.portal.RightsPortalEngine;
import dev.mailsec.rights.LiveRightsSettings;
import dev.mailsec.rights.RightsException;
import dev.mailsec.rights.RightsSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./mailsec portal --james-home /opt/james --config conf/rights.xml}: runs the
 * rights-protection portal in the foreground until SIGTERM / Ctrl-C. Everything comes from
 * rights.xml ({@code <portal url bind port smtpHost smtpPort .../>}, the store, the DKM client
 * configuration whose identity must be a member of the group holding the rights keys, e.g. {@code
 * rights-portal} in group {@code rights}). Several portals on one PostgreSQL store form a cluster:
 * sessions, passcodes, rate limits and the access log are shared. Paths resolve as inside James,
 * against {@code --james-home} ({@link RightsConfigOption}, docs/paths.md). DKM (and a PostgreSQL
 * rights store) need not answer at start: the portal starts, answers 503 with {@code Retry-After}
 * until they do, then serves without a restart; a wrong configuration still stops it at once.
 */
@Command(
        name = "portal",
        mixinStandardHelpOptions = true,
        description = {
            "Run the rights-protection web portal (recipients outside the organisation read protected",
            "mail there) in the foreground; Ctrl-C stops it."
        })
public final class PortalCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin RightsConfigOption config;

    @Option(
            names = "--dkm-config",
            paramLabel = "FILE",
            description =
                    "The portal's own DKM client configuration (identity rights-portal, e.g."
                            + " conf/portal-dkm.properties as 'mailsec install' writes it), relative to --james-home;"
                            + " default: the one rights.xml names.")
    String dkmConfig;

    @Option(
            names = "--metrics-listen",
            paramLabel = "HOST:PORT",
            description =
                    "Serve the portal's metrics (Prometheus text, GET /metrics) on this address,"
                            + " e.g. 127.0.0.1:9464; never the readers' port (docs/metrics.md). Default: none.")
    String metricsListen;

    @Override
    public Integer call() throws Exception {
        PortalMetrics metrics = metricsListen == null ? null : startMetrics(metricsListen);
        RightsSettings settings = config.load();
        PortalConfig portalConfig;
        try {
            portalConfig = RightsPortalEngine.config(settings);
        } catch (IllegalArgumentException e) {
            throw new UserException(config.path() + ": " + e.getMessage(), 2);
        }
        // after config.load(), which set --james-home as the base of relative paths
        Path dkm = dkmConfig == null ? settings.dkmConfig() : dkmConfigPath();
        RightsPortalEngine engine;
        try {
            engine = RightsPortalEngine.open(settings, dkm);
        } catch (DkmInvalidRequestException e) {
            throw new UserException(dkm + ": " + e.getMessage(), 2);
        } catch (IllegalArgumentException e) {
            // the store URL or schema of rights.xml
            throw new UserException(config.path() + ": " + e.getMessage(), 2);
        } catch (DkmException | RightsException e) {
            throw new UserException("cannot open the rights keys or store: " + e.getMessage(), 75);
        }
        // rights.xml is watched: templates and the engine's settings follow a change of the file
        // (docs/rights.md, "Reload without restart"); a refused file is logged, the running one
        // stays
        try {
            ReloadableFile<RightsSettings> live = LiveRightsSettings.shared(config.path());
            engine.follow(live);
            live.watch();
        } catch (IllegalArgumentException e) {
            engine.close();
            throw new UserException(config.path() + ": " + e.getMessage(), 2);
        }
        Portal portal;
        try {
            portal = Portal.start(portalConfig, engine);
        } catch (PortalRefusal e) {
            // no longer thrown: a DKM that does not answer at start leaves the portal answering
            // 503 until it does (docs/rights-portal.md)
            engine.close();
            throw new UserException("cannot start the portal: " + e.getMessage(), 75);
        } catch (IOException e) {
            engine.close();
            throw Foreground.cannotListen(portalConfig.bindHost(), portalConfig.port(), e);
        }
        CountDownLatch stopped =
                Foreground.stopOnShutdown(
                        "portal-shutdown",
                        () -> {
                            portal.close();
                            if (metrics != null) {
                                metrics.close();
                            }
                            try {
                                engine.close();
                            } catch (Exception e) {
                                // stopping anyway
                            }
                        });
        PrintWriter out = spec.commandLine().getOut();
        out.println(
                "mailsec portal: listening on "
                        + portalConfig.bindHost()
                        + ":"
                        + portal.port()
                        + ", readers open "
                        + settings.portalUrl()
                        + "/m/<licence>");
        out.flush();
        stopped.await();
        return 0;
    }

    /** The metrics listener, started first so the engines count from the start. */
    private static PortalMetrics startMetrics(String listen) {
        int colon = listen.lastIndexOf(':');
        String host = colon > 0 ? listen.substring(0, colon).trim() : "";
        String port = colon > 0 ? listen.substring(colon + 1).trim() : "";
        if (!host.matches("[A-Za-z0-9.:\\[\\]-]+")
                || !port.matches("\\d{1,5}")
                || Integer.parseInt(port) > 65535) {
            throw new UserException("--metrics-listen: HOST:PORT, got '" + listen + "'", 2);
        }
        try {
            return PortalMetrics.start(host, Integer.parseInt(port));
        } catch (IOException e) {
            throw Foreground.cannotListen(host, Integer.parseInt(port), e);
        }
    }

    private Path dkmConfigPath() {
        Path p;
        try {
            p = PackPaths.resolve(dkmConfig);
        } catch (IllegalArgumentException e) {
            throw new UserException("--dkm-config: " + e.getMessage(), 2);
        }
        if (!Files.isRegularFile(p)) {
            throw new UserException("--dkm-config: no such file: " + p, 2);
        }
        return p;
    }
}
