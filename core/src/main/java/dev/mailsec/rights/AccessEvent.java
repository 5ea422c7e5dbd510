package dev.mailsec.rights;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One access-log entry: when, which licence, who, what, through which channel, from where, and a
 * detail.
 */
public final class AccessEvent {
    /**
     * Kept as the record {@code e/<jti>/<millis>-<random>}: {@code t, lid, addr, type, ch, client,
     * detail}.
     */
    static final RecordCodec<AccessEvent> CODEC =
            new RecordCodec<>() {
                @Override
                public byte[] encode(AccessEvent event) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("t", event.time.toEpochMilli());
                    e.put("lid", event.licenceId);
                    e.put("addr", event.address);
                    e.put("type", event.type.name());
                    e.put("ch", event.channel == null ? "" : event.channel.name());
                    e.put("client", event.client);
                    e.put("detail", event.detail);
                    return RecordCodec.json(e);
                }

                @Override
                public AccessEvent decode(String key, byte[] bytes) {
                    Map<String, Object> e = RecordCodec.parse(key, bytes);
                    String ch = RecordCodec.str(e.get("ch"));
                    return new AccessEvent(
                            Instant.ofEpochMilli(RecordCodec.num(e.get("t"))),
                            RecordCodec.str(e.get("lid")),
                            RecordCodec.str(e.get("addr")),
                            EventType.valueOf(RecordCodec.str(e.get("type"))),
                            ch.isEmpty() ? null : Channel.valueOf(ch),
                            RecordCodec.str(e.get("client")),
                            RecordCodec.str(e.get("detail")));
                }
            };

    private final Instant time;
    private final String licenceId;
    private final String address;
    private final EventType type;
    private final Channel channel;
    private final String client;
    private final String detail;

    /**
     * @param address the reader or actor (may be empty, e.g. an admin by credential name)
     * @param channel may be null for events outside the three opening channels (e.g. revocation)
     * @param client IP address and/or user agent, or a host/process name; may be empty
     * @param detail free text without secrets; may be empty
     */
    public AccessEvent(
            Instant time,
            String licenceId,
            String address,
            EventType type,
            Channel channel,
            String client,
            String detail) {
        this.time = Objects.requireNonNull(time, "time");
        this.licenceId = Objects.requireNonNull(licenceId, "licenceId");
        this.address = address == null ? "" : address;
        this.type = Objects.requireNonNull(type, "type");
        this.channel = channel;
        this.client = client == null ? "" : client;
        this.detail = detail == null ? "" : detail;
    }

    public Instant time() {
        return time;
    }

    public String licenceId() {
        return licenceId;
    }

    public String address() {
        return address;
    }

    public EventType type() {
        return type;
    }

    /** The channel, or null when none applies. */
    public Channel channel() {
        return channel;
    }

    public String client() {
        return client;
    }

    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return "AccessEvent["
                + time
                + " "
                + licenceId
                + " "
                + type
                + " "
                + address
                + " "
                + channel
                + " "
                + client
                + " "
                + detail
                + "]";
    }
}
