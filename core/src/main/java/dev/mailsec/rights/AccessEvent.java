package dev.mailsec.rights;

import java.time.Instant;
import java.util.Objects;

/** One access-log entry: when, which licence, who, what, through which channel, from where, and a detail. */
public final class AccessEvent {
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
    public AccessEvent(Instant time, String licenceId, String address, EventType type, Channel channel, String client,
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
        return "AccessEvent[" + time + " " + licenceId + " " + type + " " + address + " " + channel + " " + client + " "
                + detail + "]";
    }
}
