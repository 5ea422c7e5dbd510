package dev.mailsec.rights;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The record {@code s/<sha256(session id)>}: a portal session signed out ({@code ended}) before its
 * cookie's own end ({@code exp}, after which the record no longer matters). Both epoch
 * milliseconds.
 */
final class EndedSession {
    static final RecordCodec<EndedSession> CODEC =
            new RecordCodec<>() {
                @Override
                public byte[] encode(EndedSession s) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("exp", s.expires.toEpochMilli());
                    m.put("ended", s.ended.toEpochMilli());
                    return RecordCodec.json(m);
                }

                @Override
                public EndedSession decode(String key, byte[] bytes) {
                    Map<String, Object> m = RecordCodec.parse(key, bytes);
                    return new EndedSession(
                            Instant.ofEpochMilli(RecordCodec.num(m.get("exp"))),
                            Instant.ofEpochMilli(RecordCodec.num(m.get("ended"))));
                }
            };

    private final Instant expires;
    private final Instant ended;

    EndedSession(Instant expires, Instant ended) {
        this.expires = expires;
        this.ended = ended;
    }
}
