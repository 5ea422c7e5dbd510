package dev.mailsec.rights;

import java.time.Duration;

/**
 * The portal's knobs (element {@code <portal>} of {@code conf/rights.xml}) and the passcode policy
 * the rights store enforces: the one holder of these settings (the portal's {@code PortalConfig}
 * adds only what rights.xml does not hold, and reads the rest from here). Immutable; build with
 * {@link #builder(String)}.
 */
public final class PortalSettings {
    private final String bindHost;
    private final int port;
    private final Duration passcodeTtl;
    private final int maxWrongAttempts;
    private final Duration lockout;
    private final int passcodesPerAddressPerHour;
    private final int passcodesPerClientPerHour;
    private final Duration sessionTtl;
    private final String smtpHost;
    private final int smtpPort;
    private final String passcodeSender;

    private PortalSettings(Builder b) {
        this.bindHost = b.bindHost;
        this.port = b.port;
        this.passcodeTtl = b.passcodeTtl;
        this.maxWrongAttempts = b.maxWrongAttempts;
        this.lockout = b.lockout;
        this.passcodesPerAddressPerHour = b.passcodesPerAddressPerHour;
        this.passcodesPerClientPerHour = b.passcodesPerClientPerHour;
        this.sessionTtl = b.sessionTtl;
        this.smtpHost = b.smtpHost;
        this.smtpPort = b.smtpPort;
        this.passcodeSender = b.passcodeSender;
    }

    /**
     * Defaults: 127.0.0.1:8090, passcodes 10 min / 5 wrong / 1 h lock-out / 5 per address and 20
     * per client per hour, sessions 30 min, SMTP 127.0.0.1:25, sender no-reply@issuer.
     */
    public static Builder builder(String issuer) {
        return new Builder(issuer);
    }

    /** Address the portal binds to (attribute {@code bind}, default 127.0.0.1). */
    public String bindHost() {
        return bindHost;
    }

    /** Port (attribute {@code port}, default 8090; 0, only from {@link Builder#anyFreePort()}). */
    public int port() {
        return port;
    }

    /** How long a passcode is valid (attribute {@code passcodeTtl}, default PT10M). */
    public Duration passcodeTtl() {
        return passcodeTtl;
    }

    /**
     * Wrong passcodes before the address is locked out of the message (attribute {@code
     * maxAttempts}, default 5).
     */
    public int maxWrongAttempts() {
        return maxWrongAttempts;
    }

    /** How long a lock-out lasts (attribute {@code lockout}, default PT1H). */
    public Duration lockout() {
        return lockout;
    }

    /** Passcode requests per address per hour (attribute {@code perAddressPerHour}, default 5). */
    public int passcodesPerAddressPerHour() {
        return passcodesPerAddressPerHour;
    }

    /**
     * Passcode requests per client IP per hour (attribute {@code perClientPerHour}, default 20).
     */
    public int passcodesPerClientPerHour() {
        return passcodesPerClientPerHour;
    }

    /** Session lifetime (attribute {@code sessionTtl}, default PT30M). */
    public Duration sessionTtl() {
        return sessionTtl;
    }

    /** SMTP server for passcodes and replies (attribute {@code smtpHost}, default 127.0.0.1). */
    public String smtpHost() {
        return smtpHost;
    }

    /** Its port (attribute {@code smtpPort}, default 25). */
    public int smtpPort() {
        return smtpPort;
    }

    /**
     * From address of passcode mails (attribute {@code passcodeSender}, default no-reply@issuer).
     */
    public String passcodeSender() {
        return passcodeSender;
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder("x");
        b.bindHost = bindHost;
        b.port = port;
        b.passcodeTtl = passcodeTtl;
        b.maxWrongAttempts = maxWrongAttempts;
        b.lockout = lockout;
        b.passcodesPerAddressPerHour = passcodesPerAddressPerHour;
        b.passcodesPerClientPerHour = passcodesPerClientPerHour;
        b.sessionTtl = sessionTtl;
        b.smtpHost = smtpHost;
        b.smtpPort = smtpPort;
        b.passcodeSender = passcodeSender;
        return b;
    }

    @Override
    public String toString() {
        return "PortalSettings["
                + bindHost
                + ":"
                + port
                + ", passcode "
                + passcodeTtl
                + " max "
                + maxWrongAttempts
                + " lockout "
                + lockout
                + " "
                + passcodesPerAddressPerHour
                + "/address/h "
                + passcodesPerClientPerHour
                + "/client/h, session "
                + sessionTtl
                + ", smtp "
                + smtpHost
                + ":"
                + smtpPort
                + " from "
                + passcodeSender
                + "]";
    }

    /** Builds {@link PortalSettings}; each setter validates and names its attribute on error. */
    public static final class Builder {
        private String bindHost = "127.0.0.1";
        private int port = 8090;
        private Duration passcodeTtl = Duration.ofMinutes(10);
        private int maxWrongAttempts = 5;
        private Duration lockout = Duration.ofHours(1);
        private int passcodesPerAddressPerHour = 5;
        private int passcodesPerClientPerHour = 20;
        private Duration sessionTtl = Duration.ofMinutes(30);
        private String smtpHost = "127.0.0.1";
        private int smtpPort = 25;
        private String passcodeSender;

        private Builder(String issuer) {
            this.passcodeSender = "no-reply@" + issuer;
        }

        public Builder bindHost(String v) {
            this.bindHost = nonEmpty("portal bind", v);
            return this;
        }

        public Builder port(int v) {
            this.port = port("portal port", v);
            return this;
        }

        /**
         * Port 0: the portal listens on any free port (tests; {@code rights.xml}'s {@code port}
         * takes 1-65535 only).
         */
        public Builder anyFreePort() {
            this.port = 0;
            return this;
        }

        public Builder passcodeTtl(Duration v) {
            this.passcodeTtl = positive("portal passcodeTtl", v);
            return this;
        }

        public Builder maxWrongAttempts(int v) {
            this.maxWrongAttempts = atLeastOne("portal maxAttempts", v);
            return this;
        }

        public Builder lockout(Duration v) {
            this.lockout = positive("portal lockout", v);
            return this;
        }

        public Builder passcodesPerAddressPerHour(int v) {
            this.passcodesPerAddressPerHour = atLeastOne("portal perAddressPerHour", v);
            return this;
        }

        public Builder passcodesPerClientPerHour(int v) {
            this.passcodesPerClientPerHour = atLeastOne("portal perClientPerHour", v);
            return this;
        }

        public Builder sessionTtl(Duration v) {
            this.sessionTtl = positive("portal sessionTtl", v);
            return this;
        }

        public Builder smtpHost(String v) {
            this.smtpHost = nonEmpty("portal smtpHost", v);
            return this;
        }

        public Builder smtpPort(int v) {
            this.smtpPort = port("portal smtpPort", v);
            return this;
        }

        public Builder passcodeSender(String v) {
            if (v == null || !v.matches("[^@\\s<>]+@[^@\\s<>]+")) {
                throw new IllegalArgumentException(
                        "portal passcodeSender: must be an address, got '" + v + "'");
            }
            this.passcodeSender = v;
            return this;
        }

        public PortalSettings build() {
            return new PortalSettings(this);
        }

        private static String nonEmpty(String what, String v) {
            if (v == null || v.trim().isEmpty()) {
                throw new IllegalArgumentException(what + ": must not be empty, got '" + v + "'");
            }
            return v.trim();
        }

        private static int port(String what, int v) {
            if (v < 1 || v > 65535) {
                throw new IllegalArgumentException(what + ": must be 1-65535, got '" + v + "'");
            }
            return v;
        }

        private static int atLeastOne(String what, int v) {
            if (v < 1) {
                throw new IllegalArgumentException(what + ": must be at least 1, got '" + v + "'");
            }
            return v;
        }

        private static Duration positive(String what, Duration v) {
            if (v == null || v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException(
                        what + ": must be a positive duration, got '" + v + "'");
            }
            return v;
        }
    }
}
