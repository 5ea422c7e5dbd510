package dev.mailsec.rights;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The record {@code l/<jti>/<sha256(address)>/<sha256(client)>}: wrong passcodes one client entered
 * for one address and message ({@code wrong}), and its lock-out ({@code lockedUntil}, epoch
 * milliseconds, 0 for none).
 */
final class ReaderLock {
    static final ReaderLock NONE = new ReaderLock(0, 0);

    static final RecordCodec<ReaderLock> CODEC =
            new RecordCodec<>() {
                @Override
                public byte[] encode(ReaderLock l) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("wrong", l.wrong);
                    if (l.lockedUntil != 0) {
                        m.put("lockedUntil", l.lockedUntil);
                    }
                    return RecordCodec.json(m);
                }

                @Override
                public ReaderLock decode(String key, byte[] bytes) {
                    Map<String, Object> m = RecordCodec.parse(key, bytes);
                    return new ReaderLock(
                            RecordCodec.num0(m.get("wrong")),
                            RecordCodec.num0(m.get("lockedUntil")));
                }
            };

    private final long wrong;
    private final long lockedUntil;

    ReaderLock(long wrong, long lockedUntil) {
        this.wrong = wrong;
        this.lockedUntil = lockedUntil;
    }

    long wrong() {
        return wrong;
    }

    /** Whether a lock-out was set at all (expired or not). */
    boolean wasLocked() {
        return lockedUntil != 0;
    }

    boolean isLocked(Instant now) {
        return lockedUntil > now.toEpochMilli();
    }

    Instant lockedUntil() {
        return Instant.ofEpochMilli(lockedUntil);
    }
}
