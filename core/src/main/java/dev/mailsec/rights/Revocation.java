package dev.mailsec.rights;

import java.time.Instant;

/** When, by whom and why a message was revoked. */
public final class Revocation {
    private final Instant at;
    private final String by;
    private final String reason;

    public Revocation(Instant at, String by, String reason) {
        this.at = at;
        this.by = by == null ? "" : by;
        this.reason = reason == null ? "" : reason;
    }

    public Instant at() {
        return at;
    }

    public String by() {
        return by;
    }

    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "Revocation[" + at + " by " + by + ": " + reason + "]";
    }
}
