package dev.mailsec.dkm;

import dev.mailsec.dkm.spi.Storage;
import dev.mailsec.dkm.spi.StoreFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one small API through which mailets, matchers and hooks obtain secrets. Configured once from
 * {@code dkm.properties} ({@link DkmConfig}); decrypted secrets are cached for at most {@code
 * cacheTtl}, so a rollover is seen within that time. Connects lazily: an unreachable store gives
 * {@link DkmUnavailableException} (retry the mail later), a refusal gives {@link
 * DkmAccessDeniedException}.
 *
 * <pre>
 * Dkm dkm = Dkm.open(Paths.get("conf/dkm.properties"));
 * SecretHandle key = dkm.secret("dkim/mailsec.test");
 * PrivateKey signWith = key.primary().privateKey();
 * </pre>
 *
 * Thread-safe; share one instance per process.
 */
public final class Dkm implements AutoCloseable {
    private final DkmConfig config;
    private final Clock clock;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();
    private final long ttlMillis;
    private Storage storage;
    private KeyManager session;
    private volatile ReadObserver readObserver = () -> failed -> {};

    private Dkm(DkmConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.ttlMillis = config.cacheTtl().toMillis();
    }

    /** Reads {@code dkm.properties}; fails at once on a bad parameter, connects on first use. */
    public static Dkm open(Path propertiesFile) throws DkmInvalidRequestException {
        return open(DkmConfig.load(propertiesFile), Clock.systemUTC());
    }

    public static Dkm open(DkmConfig config, Clock clock) throws DkmInvalidRequestException {
        if (!config.identity().isPresent()) {
            throw new DkmInvalidRequestException(
                    "identity: required (path of this node's credential file)");
        }
        Credential.load(config.identity().get());
        Dkm dkm = new Dkm(config, clock);
        dkm.checkAtStart();
        return dkm;
    }

    /**
     * Opens the session at once, which checks the store (issue 13, finding 8): a tampered, corrupt
     * or rolled back store, or one written by a newer mailsec (issue 14), fails the start naming
     * what is wrong, instead of the first mail. A store that cannot be reached, or that refuses
     * this identity, is left to the first use as before (mail waits, it is not refused at start).
     */
    private void checkAtStart() throws DkmInvalidRequestException {
        try {
            session();
        } catch (DkmIntegrityException e) {
            throw new DkmInvalidRequestException(
                    "store: failed its integrity check at start: " + e.getMessage());
        } catch (StoreFormatException e) {
            // written by a newer mailsec: waiting cannot help, the start fails naming the formats
            throw new DkmInvalidRequestException("store: " + e.getMessage(), e);
        } catch (DkmException | RuntimeException e) {
            // unavailable or refused now: tried again, and reported, on first use
        }
    }

    /**
     * The secret's primary version and every other readable version. Served from memory while
     * fresh; otherwise read, decrypted and audited.
     */
    public SecretHandle secret(String name) throws DkmException {
        Entry e = cache.get(name);
        if (e != null && e.expiresAt > clock.millis()) {
            return e.handle;
        }
        return refresh(name);
    }

    /**
     * Reads the secret from the store now (e.g. when a version newer than the cached ones is
     * needed).
     */
    public SecretHandle refresh(String name) throws DkmException {
        ReadObserver.End read = readObserver.started();
        boolean failed = true;
        SecretHandle h;
        try {
            KeyManager km = session();
            try {
                h = km.get(name);
            } catch (DkmUnavailableException ex) {
                reset();
                throw ex;
            }
            failed = false;
        } finally {
            read.ended(failed);
        }
        if (ttlMillis > 0) {
            cache.put(name, new Entry(h, clock.millis() + ttlMillis));
        }
        return h;
    }

    /**
     * Told of every read from the store ({@link #refresh}), for metrics: the pack's core reports
     * their time and failures; the default does nothing.
     */
    public interface ReadObserver {
        /** A read starts; the returned callback is told when it ends. */
        End started();

        /** The end of one read. */
        interface End {
            void ended(boolean failed);
        }
    }

    /** Makes {@code observer} the one told of this client's reads. */
    public void observeReads(ReadObserver observer) {
        this.readObserver = Objects.requireNonNull(observer, "observer");
    }

    /** Forgets cached values (all of them). */
    public void invalidateAll() {
        cache.clear();
    }

    private synchronized KeyManager session() throws DkmException {
        if (session == null) {
            Storage s = config.openStorage(false);
            try {
                session =
                        KeyManager.open(
                                s,
                                null,
                                Credential.load(config.identity().get()),
                                clock,
                                Duration.ofMillis(Math.max(ttlMillis, 1)));
                storage = s;
            } catch (DkmException | RuntimeException ex) {
                closeQuietly(s);
                throw ex;
            }
        }
        return session;
    }

    private synchronized void reset() {
        if (session != null) {
            session.close();
            closeQuietly(storage);
            session = null;
            storage = null;
        }
    }

    private static void closeQuietly(Storage s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do: the store is being abandoned
        }
    }

    @Override
    public void close() {
        cache.clear();
        reset();
    }

    @Override
    public String toString() {
        return "Dkm[" + config + ", " + cache.size() + " cached]";
    }

    private static final class Entry {
        final SecretHandle handle;
        final long expiresAt;

        Entry(SecretHandle handle, long expiresAt) {
            this.handle = handle;
            this.expiresAt = expiresAt;
        }
    }
}
