package dev.mailsec.mailets.rights;

import dev.mailsec.config.PackPaths;
import dev.mailsec.dkm.Dkm;
import dev.mailsec.dkm.DkmInvalidRequestException;
import dev.mailsec.dkmclient.DkmClients;
import dev.mailsec.rights.DkmRightsKeyring;
import dev.mailsec.rights.RightsKeyring;
import dev.mailsec.rights.RightsOpener;
import dev.mailsec.rights.RightsProtector;
import dev.mailsec.rights.RightsSettings;
import dev.mailsec.rights.RightsStore;
import dev.mailsec.rights.RightsStoreUnavailableException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.mail.MessagingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rights engine as the mailets of one James process use it: settings, DKM keyring, rights
 * store, protector and opener, one set per rights configuration file, opened on the first mailet's
 * start and shared (the store and the DKM client cache keys and records). The rights keys are
 * reached on first use, so a key store that is down at start only delays mail.
 */
public final class RightsServices {
    private static final Logger LOG = LoggerFactory.getLogger(RightsServices.class);
    private static final ConcurrentMap<Path, RightsServices> SHARED = new ConcurrentHashMap<>();

    /** Parameter naming the rights configuration file (a path by docs/paths.md's rule). */
    public static final String CONFIG = "config";

    private final RightsSettings settings;
    private final RightsStore store;
    private final RightsProtector protector;
    private final RightsOpener opener;
    private final Clock clock;

    public RightsServices(
            RightsSettings settings, RightsKeyring keyring, RightsStore store, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.protector = new RightsProtector(settings, keyring, store, clock);
        this.opener = new RightsOpener(settings, keyring, store, clock);
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
        RightsSettings settings;
        try {
            settings = RightsSettings.load(path);
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
        return new RightsServices(
                settings, new DkmRightsKeyring(dkm, settings), store, Clock.systemUTC());
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
