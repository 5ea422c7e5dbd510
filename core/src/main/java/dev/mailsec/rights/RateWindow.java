package dev.mailsec.rights;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The records {@code r/a/<jti>/<sha256(address)>} and {@code r/c/<sha256(client)>}: when passcodes
 * were asked for in the last hour (epoch milliseconds, field {@code t}).
 */
final class RateWindow {
    static final Duration WIDTH = Duration.ofHours(1);
    static final RateWindow EMPTY = new RateWindow(List.of());

    static final RecordCodec<RateWindow> CODEC =
            new RecordCodec<>() {
                @Override
                public byte[] encode(RateWindow w) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("t", new ArrayList<>(w.times));
                    return RecordCodec.json(m);
                }

                @Override
                public RateWindow decode(String key, byte[] bytes) {
                    List<Long> t = new ArrayList<>();
                    for (Object o : RecordCodec.list(RecordCodec.parse(key, bytes).get("t"))) {
                        t.add(RecordCodec.num(o));
                    }
                    return new RateWindow(t);
                }
            };

    private final List<Long> times;

    private RateWindow(List<Long> times) {
        this.times = Collections.unmodifiableList(new ArrayList<>(times));
    }

    /**
     * The window with one more request at {@code now}, the requests older than an hour dropped.
     *
     * @throws RateLimitedException when {@code limit} requests are in the window already
     */
    RateWindow plus(Instant now, int limit, RateLimitedException.Scope scope)
            throws RateLimitedException {
        List<Long> kept = new ArrayList<>();
        long oldest = Long.MAX_VALUE;
        for (long v : times) {
            if (v > now.toEpochMilli() - WIDTH.toMillis()) {
                kept.add(v);
                oldest = Math.min(oldest, v);
            }
        }
        if (kept.size() >= limit) {
            throw new RateLimitedException(scope, Instant.ofEpochMilli(oldest + WIDTH.toMillis()));
        }
        kept.add(now.toEpochMilli());
        return new RateWindow(kept);
    }
}
