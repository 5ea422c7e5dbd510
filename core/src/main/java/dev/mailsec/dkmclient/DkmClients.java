package dev.mailsec.dkmclient;

import dev.mailsec.config.PackPaths;
import dev.mailsec.dkm.Credential;
import dev.mailsec.dkm.Dkm;
import dev.mailsec.dkm.DkmConfig;
import dev.mailsec.dkm.DkmException;
import dev.mailsec.dkm.DkmInvalidRequestException;
import dev.mailsec.dkm.DkmUnavailableException;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.RolloverScheduler;
import dev.mailsec.dkm.root.RootKeys;
import dev.mailsec.dkm.spi.Storage;
import dev.mailsec.dkm.spi.StoreFormatException;
import dev.mailsec.metrics.MetricSink;
import dev.mailsec.metrics.Metrics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DKM clients of this James process, shared by every mailet: one {@link Dkm} per {@code
 * dkm.properties} file, opened on first request (the configuration and credential are read at once,
 * so a wrong file fails the mailet's start; the store itself is reached on first use, so a store
 * that is down at start only delays mail). Relative paths follow the pack's path rule ({@link
 * PackPaths}, docs/paths.md), so {@code conf/dkm.properties} is James's {@code conf/}.
 *
 * <p>Automated rollover: {@link #startRollover(Path, Duration)} runs the store's rollover policy
 * ({@link KeyManager#rotateDue()}) every period, at most once per properties file per JVM however
 * many mailets ask. That file must name an admin identity and the root key ({@code rootKey=...}),
 * so it is normally a separate file readable only by the James node chosen to run rollovers.
 */
public final class DkmClients {
    private static final Logger LOG = LoggerFactory.getLogger(DkmClients.class);
    private static final ConcurrentMap<Path, Dkm> CLIENTS = new ConcurrentHashMap<>();
    private static final ConcurrentMap<Path, Rollover> ROLLOVERS = new ConcurrentHashMap<>();

    /** The DKM client configuration when a mailet names none (inside the James home). */
    public static final String DEFAULT_CONFIG = "conf/dkm.properties";

    private static volatile boolean validateRolloverOnly;

    private DkmClients() {}

    /**
     * The shared client for a properties file, opened on the first call.
     *
     * @throws DkmInvalidRequestException if the file, its parameters or the credential it names are
     *     wrong
     */
    public static Dkm client(Path propertiesFile) throws DkmInvalidRequestException {
        Path key = propertiesFile.toAbsolutePath().normalize();
        Dkm dkm = CLIENTS.get(key);
        if (dkm != null) {
            return dkm;
        }
        synchronized (CLIENTS) {
            dkm = CLIENTS.get(key);
            if (dkm == null) {
                dkm = Dkm.open(key);
                dkm.observeReads(DkmClients::timeRead);
                CLIENTS.put(key, dkm);
                LOG.info("DKM client opened: {}", dkm);
            }
            return dkm;
        }
    }

    /** Reports a DKM read's time and failure to the JVM's metrics. */
    public static Dkm.ReadObserver.End timeRead() {
        Metrics metrics = Metrics.global();
        MetricSink.Stopwatch time = metrics.dkmFetch();
        return failed -> {
            time.stop();
            if (failed) {
                metrics.dkmFailure();
            }
        };
    }

    /**
     * The shared client of {@code configured} (a path, {@code conf/dkm.properties} when {@code
     * null}), opened when first asked for; a wrong file is then an IllegalArgumentException that
     * names {@code parameter} and the file.
     */
    public static Supplier<Dkm> lazy(String parameter, String configured) {
        return () -> {
            Path file;
            try {
                file = PackPaths.resolve(configured == null ? DEFAULT_CONFIG : configured);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(parameter + ": " + e.getMessage(), e);
            }
            try {
                return client(file);
            } catch (DkmInvalidRequestException e) {
                throw new IllegalArgumentException(
                        parameter + " (" + file + "): " + e.getMessage(), e);
            }
        };
    }

    /**
     * Starts automated rollover with the admin configuration in {@code propertiesFile}, unless it
     * runs already in this JVM. A store that cannot be reached yet is tried again every period.
     *
     * @throws DkmInvalidRequestException if the file is wrong or names no root key or identity
     */
    public static void startRollover(Path propertiesFile, Duration period)
            throws DkmInvalidRequestException {
        if (period.isNegative() || period.isZero()) {
            throw new DkmInvalidRequestException("rolloverPeriod: must be positive, got " + period);
        }
        Path key = propertiesFile.toAbsolutePath().normalize();
        DkmConfig config = DkmConfig.load(key);
        if (!config.rootKey().isPresent()) {
            throw new DkmInvalidRequestException(
                    key + ": rollover needs rootKey=... (the root key) in this file");
        }
        if (!config.identity().isPresent()) {
            throw new DkmInvalidRequestException(
                    key + ": rollover needs identity=... (an admin's credential file)");
        }
        Credential.load(config.identity().get());
        if (validateRolloverOnly) {
            return;
        }
        synchronized (ROLLOVERS) {
            if (!ROLLOVERS.containsKey(key)) {
                ROLLOVERS.put(key, new Rollover(key, config, period));
            }
        }
    }

    /**
     * For {@code mailsec check}, which runs the mailets' {@code init} to validate an installation:
     * while set, {@link #startRollover} validates its file but starts nothing, so checking never
     * rotates a key.
     */
    public static void validateRolloverOnly(boolean validateOnly) {
        validateRolloverOnly = validateOnly;
    }

    /** True if rollover was started for this file in this JVM. */
    public static boolean rolloverRunning(Path propertiesFile) {
        return ROLLOVERS.containsKey(propertiesFile.toAbsolutePath().normalize());
    }

    /** Closes every client and stops rollover (James shutdown; tests). */
    public static void closeAll() {
        synchronized (CLIENTS) {
            for (Dkm d : CLIENTS.values()) {
                d.close();
            }
            CLIENTS.clear();
        }
        synchronized (ROLLOVERS) {
            for (Rollover r : ROLLOVERS.values()) {
                r.close();
            }
            ROLLOVERS.clear();
        }
    }

    /**
     * Opens an admin session (retrying while the store is unreachable), then runs the scheduler.
     */
    private static final class Rollover {
        private final Path file;
        private final DkmConfig config;
        private final Duration period;
        private final ScheduledExecutorService starter;
        private volatile RolloverScheduler scheduler;
        private volatile Storage storage;
        private volatile KeyManager km;

        Rollover(Path file, DkmConfig config, Duration period) {
            this.file = file;
            this.config = config;
            this.period = period;
            this.starter =
                    Executors.newSingleThreadScheduledExecutor(
                            r -> {
                                Thread t = new Thread(r, "mailsec-dkm-rollover-start");
                                t.setDaemon(true);
                                return t;
                            });
            starter.execute(this::tryStart);
        }

        private void tryStart() {
            Storage s = null;
            try {
                s = config.openStorage(false);
                Optional<RootKeys> root = config.openRootKeys();
                KeyManager session =
                        KeyManager.open(
                                s,
                                root.orElse(null),
                                Credential.load(config.identity().get()),
                                Clock.systemUTC());
                storage = s;
                km = session;
                scheduler =
                        RolloverScheduler.start(
                                session,
                                period,
                                r -> {
                                    if (r.failure() != null) {
                                        LOG.warn(
                                                "DKM rollover ({}) failed, retried in {}: {}",
                                                file,
                                                period,
                                                r.failure().getMessage());
                                    } else {
                                        for (String action : r.actions()) {
                                            LOG.info("DKM rollover ({}): {}", file, action);
                                        }
                                    }
                                });
                LOG.info("DKM rollover started: {} every {}", file, period);
                starter.shutdown();
            } catch (StoreFormatException e) {
                close(s);
                LOG.error("DKM rollover ({}) cannot start: {}", file, e.getMessage());
                starter.shutdown();
            } catch (DkmUnavailableException e) {
                close(s);
                LOG.warn(
                        "DKM rollover ({}): store unreachable, trying again in {}: {}",
                        file,
                        period,
                        e.getMessage());
                starter.schedule(this::tryStart, period.toMillis(), TimeUnit.MILLISECONDS);
            } catch (DkmException e) {
                close(s);
                LOG.error("DKM rollover ({}) cannot start: {}", file, e.getMessage());
                starter.shutdown();
            }
        }

        void close() {
            starter.shutdownNow();
            if (scheduler != null) {
                scheduler.close();
            }
            if (km != null) {
                km.close();
            }
            close(storage);
        }

        private static void close(Storage s) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException e) {
                    LOG.debug("closing the DKM store failed", e);
                }
            }
        }
    }
}
