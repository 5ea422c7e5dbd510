package dev.mailsec.rights;

import java.time.Instant;
import java.util.Locale;

/** Too many passcode requests from one address or one client within the hour. */
public class RateLimitedException extends RightsException {
    private static final long serialVersionUID = 1L;

    /** Which limit was hit. */
    public enum Scope {
        ADDRESS,
        CLIENT
    }

    private final Scope scope;
    private final transient Instant retryAfter;

    public RateLimitedException(Scope scope, Instant retryAfter) {
        super(
                "too many passcode requests per "
                        + scope.name().toLowerCase(Locale.ROOT)
                        + "; retry after "
                        + retryAfter);
        this.scope = scope;
        this.retryAfter = retryAfter;
    }

    public Scope scope() {
        return scope;
    }

    /** When the oldest counted request leaves the one-hour window. */
    public Instant retryAfter() {
        return retryAfter;
    }
}
