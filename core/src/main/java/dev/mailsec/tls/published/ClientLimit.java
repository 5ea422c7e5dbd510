package dev.mailsec.tls.published;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests in service per client address: {@link #tryAcquire} refuses one more than {@code
 * perClient} at once from the same address, so one client cannot hold every worker of the {@link
 * PolicyServer}. An address whose requests are done is forgotten (memory bounded by the requests in
 * service).
 */
final class ClientLimit {

    private final int perClient;
    private final ConcurrentHashMap<InetAddress, Integer> inService = new ConcurrentHashMap<>();

    ClientLimit(int perClient) {
        if (perClient < 0) {
            throw new IllegalArgumentException("perClient: must be 0 or more, got " + perClient);
        }
        this.perClient = perClient;
    }

    /** True, counting the request, when {@code client} has fewer than the limit in service. */
    boolean tryAcquire(InetAddress client) {
        boolean[] taken = {false};
        inService.compute(
                client,
                (address, count) -> {
                    int now = count == null ? 0 : count;
                    if (now >= perClient) {
                        return count;
                    }
                    taken[0] = true;
                    return now + 1;
                });
        return taken[0];
    }

    /** Ends a request {@link #tryAcquire} counted. */
    void release(InetAddress client) {
        inService.computeIfPresent(client, (address, count) -> count <= 1 ? null : count - 1);
    }

    /** Addresses with a request in service (for tests). */
    int clients() {
        return inService.size();
    }
}
