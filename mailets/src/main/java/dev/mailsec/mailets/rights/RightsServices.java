package dev.mailsec.mailets.rights;

import dev.mailsec.config.PackPaths;
import dev.mailsec.config.reload.ReloadableFile;
import dev.mailsec.config.reload.Snapshot;
import dev.mailsec.dkm.Dkm;
import dev.mailsec.dkm.DkmInvalidRequestException;
import dev.mailsec.dkmclient.DkmClients;
import dev.mailsec.rights.DkmRightsKeyring;
import dev.mailsec.rights.LiveRightsSettings;
import dev.mailsec.rights.RightsKeyring;
import dev.mailsec.rights.RightsOpener;
import dev.mailsec.rights.RightsProtector;
import dev.mailsec.rights.RightsSettings;
import dev.mailsec.rights.RightsStore;
import dev.mailsec.rights.RightsStoreUnavailableException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.mail.MessagingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rights engine as the mailets of one James process use it: settings, DKM keyring, rights
 * store, protector and opener, one set per rights configuration file, opened on the first mailet's
 * start and shared (the store and the DKM client cache keys and records). The rights keys are
 * reached on first use, so a key store that is down at start only delays mail. rights.xml is
 * reloadable ({@link LiveRightsSettings}); {@link #current()} gives one generation's services.
 */
public final class RightsServices {
    private static final Logger LOG = LoggerFactory.getLogger(RightsServices.class);
    private static final ConcurrentMap<Path, RightsServices> SHARED = new ConcurrentHashMap<>();

    /** Parameter naming the rights configuration file (a path by docs/paths.md's rule). */
    public static final String CONFIG = "config";

    private final RightsSettings settings;
    private final RightsKeyring keyring;
    private final RightsStore store;
    private final RightsProtector protector;
    private final RightsOpener opener;
    private final Clock clock;

    /** The reloadable file these services follow, or null for fixed settings. */
    private final ReloadableFile<RightsSettings> live;

    private final long generation;
    private volatile RightsServices latest;

    public RightsServices(
            RightsSettings settings, RightsKeyring keyring, RightsStore store, Clock clock) {
        this(settings, keyring, store, clock, null, 0);
    }

    private RightsServices(
            RightsSettings settings,
            RightsKeyring keyring,
            RightsStore store,
            Clock clock,
            ReloadableFile<RightsSettings> live,
            long generation) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.keyring = Objects.requireNonNull(keyring, "keyring");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.protector = new RightsProtector(settings, keyring, store, clock);
        this.opener = new RightsOpener(settings, keyring, store, clock);
        this.live = live;
        this.generation = generation;
        this.latest = this;
    }

    /**
     * The services of the rights.xml generation in force (docs/rights.md, "Reload"): a mailet takes
     * them once per mail, so one mail sees one generation's templates and settings. The store and
     * the DKM keyring are those opened at start; fixed services answer themselves.
     */
    public RightsServices current() {
        if (live == null) {
            return this;
        }
        Snapshot<RightsSettings> now = live.current();
        RightsServices l = latest;
        if (l.generation == now.generation()) {
            return l;
        }
        synchronized (this) {
            if (latest.generation != now.generation()) {
                latest =
                        new RightsServices(
                                now.value(), keyring, store, clock, null, now.generation());
            }
            return latest;
        }
    }

    /** The reloadable rights.xml these services follow, if they follow one. */
    public Optional<ReloadableFile<RightsSettings>> live() {
        return Optional.ofNullable(live);
    }

    /**
     * The shared services for a configuration file; a wrong file fails naming the mailet, the
     * parameter and the file.
     */
    static RightsServices shared(String mailet, String configured) throws MessagingException {
        Path path;
        try {
            path = PackPaths.resolve(configured);
        } catch (IllegalArgumentException e) {
            throw new MessagingException(mailet + ": " + CONFIG + ": " + e.getMessage(), e);
        }
        RightsServices s = SHARED.get(path);
        if (s != null) {
            return s;
        }
        synchronized (SHARED) {
            s = SHARED.get(path);
            if (s == null) {
                s = open(mailet, path);
                SHARED.put(path, s);
            }
            return s;
        }
    }

    private static RightsServices open(String mailet, Path path) throws MessagingException {
        ReloadableFile<RightsSettings> live;
        RightsSettings settings;
        try {
            live = LiveRightsSettings.shared(path);
            settings = live.current().value();
        } catch (IllegalArgumentException e) {
            throw new MessagingException(
                    mailet + ": " + CONFIG + " (" + path + "): " + e.getMessage(), e);
        }
        Dkm dkm;
        try {
            dkm = DkmClients.client(settings.dkmConfig());
        } catch (DkmInvalidRequestException e) {
            throw new MessagingException(
                    mailet
                            + ": "
                            + CONFIG
                            + " ("
                            + path
                            + "): DKM configuration "
                            + settings.dkmConfig()
                            + ": "
                            + e.getMessage(),
                    e);
        }
        RightsStore store;
        try {
            // a PostgreSQL store that is down now is opened on first use: mail waits, James starts
            store = RightsStore.openWhenReachable(settings.storeUrl(), settings.storeSchema());
        } catch (IllegalArgumentException e) {
            throw new MessagingException(
                    mailet
                            + ": "
                            + CONFIG
                            + " ("
                            + path
                            + "): store "
                            + settings.storeUrl()
                            + ": "
                            + e.getMessage(),
                    e);
        } catch (RightsStoreUnavailableException e) {
            throw new MessagingException(
                    mailet
                            + ": "
                            + CONFIG
                            + " ("
                            + path
                            + "): cannot open the rights store "
                            + settings.storeUrl()
                            + ": "
                            + e.getMessage(),
                    e);
        }
        LOG.info(
                "rights protection: {} (issuer {}, organisation {}, templates {})",
                path,
                settings.issuer(),
                settings.organisationDomains(),
                settings.templates().keySet());
        live.watch();
        return new RightsServices(
                settings,
                new DkmRightsKeyring(dkm, settings),
                store,
                Clock.systemUTC(),
                live,
                live.current().generation());
    }

    public RightsSettings settings() {
        return settings;
    }

    public RightsStore store() {
        return store;
    }

    public RightsProtector protector() {
        return protector;
    }

    public RightsOpener opener() {
        return opener;
    }

    public Clock clock() {
        return clock;
    }
}
