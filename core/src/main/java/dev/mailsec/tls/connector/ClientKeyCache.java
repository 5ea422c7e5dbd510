package dev.mailsec.tls.connector;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A connector's client certificate, read from its {@link ClientKeySource} at most once per {@code
 * refresh} period: a new version in DKM is presented by the first delivery after the period ends,
 * without a restart. When the period has ended and the source cannot be read (unreachable, refused,
 * expired certificate), {@link #current()} fails, so the delivery is a temporary failure and the
 * mail waits: it is never sent without the certificate, nor with one older than {@code refresh}.
 * Thread-safe.
 */
public final class ClientKeyCache {

    private final ClientKeySource source;
    private final Duration refresh;
    private final Clock clock;
    private ClientKey key;
    private Instant readAt;

    public ClientKeyCache(ClientKeySource source, Duration refresh, Clock clock) {
        this.source = source;
        this.refresh = refresh;
        this.clock = clock;
    }

    /**
     * Reads the key now, for the check at start.
     *
     * @throws IOException when the source cannot be reached (the start goes on; mail waits)
     * @throws InvalidConnectorsException when what it holds cannot be used (the start fails)
     */
    public synchronized ClientKey prime() throws IOException, InvalidConnectorsException {
        return reload(clock.instant());
    }

    /**
     * The key to present now.
     *
     * @throws IOException naming the source and the problem when there is none usable
     */
    public synchronized ClientKey current() throws IOException {
        Instant now = clock.instant();
        if (key != null && now.isBefore(readAt.plus(refresh)) && !key.expiredAt(now)) {
            return key;
        }
        try {
            return reload(now);
        } catch (InvalidConnectorsException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private ClientKey reload(Instant now) throws IOException, InvalidConnectorsException {
        ClientKey loaded = source.load();
        key = loaded;
        readAt = now;
        return loaded;
    }

    /** What it reads, e.g. {@code dkm:tls/partner-bank}. */
    public String describe() {
        return source.describe();
    }
}
