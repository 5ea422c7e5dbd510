package dev.mailsec.portal;

import dev.mailsec.rights.PortalSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The portal's own knobs (taken from {@code conf/rights.xml}'s {@code PortalSettings} by the CLI).
 * Immutable; built with {@link #builder(URI)}.
 */
public final class PortalConfig {

    private final URI publicUrl;
    private final String bindHost;
    private final int port;
    private final String issuer;
    private final String smtpHost;
    private final int smtpPort;
    private final String passcodeSender;
    private final Duration passcodeTtl;
    private final Duration sessionTtl;
    private final int threads;

    private PortalConfig(Builder b) {
        this.publicUrl = b.publicUrl;
        this.bindHost = b.bindHost;
        this.port = b.port;
        this.issuer = b.issuer;
        this.smtpHost = b.smtpHost;
        this.smtpPort = b.smtpPort;
        this.passcodeSender = b.passcodeSender == null ? "no-reply@" + b.issuer : b.passcodeSender;
        this.passcodeTtl = b.passcodeTtl;
        this.sessionTtl = b.sessionTtl;
        this.threads = b.threads;
    }

    public static Builder builder(URI publicUrl) {
        return new Builder(publicUrl);
    }

    /**
     * The URL readers see (links in mail); {@code https} makes cookies Secure and {@code __Host-}
     * named.
     */
    public URI publicUrl() {
        return publicUrl;
    }

    public boolean https() {
        return "https".equals(publicUrl.getScheme().toLowerCase(Locale.ROOT));
    }

    public String bindHost() {
        return bindHost;
    }

    /** 0 means any free port (tests). */
    public int port() {
        return port;
    }

    public String issuer() {
        return issuer;
    }

    public String smtpHost() {
        return smtpHost;
    }

    public int smtpPort() {
        return smtpPort;
    }

    public String passcodeSender() {
        return passcodeSender;
    }

    public Duration passcodeTtl() {
        return passcodeTtl;
    }

    public Duration sessionTtl() {
        return sessionTtl;
    }

    public int threads() {
        return threads;
    }

    public String cookieName() {
        return https() ? "__Host-mailsec_session" : "mailsec_session";
    }

    /**
     * The builder; every value but the public URL has the design's default, the same as {@code
     * <portal/>}'s in rights.xml (taken from {@link PortalSettings}, so the defaults are written
     * down once).
     */
    public static final class Builder {
        private static final PortalSettings DEFAULTS =
                PortalSettings.builder("mailsec.test").build();

        private final URI publicUrl;
        private String bindHost = DEFAULTS.bindHost();
        private int port = DEFAULTS.port();
        private String issuer = "mailsec.test";
        private String smtpHost = DEFAULTS.smtpHost();
        private int smtpPort = DEFAULTS.smtpPort();
        private String passcodeSender;
        private Duration passcodeTtl = DEFAULTS.passcodeTtl();
        private Duration sessionTtl = DEFAULTS.sessionTtl();
        private int threads = 128;

        private Builder(URI publicUrl) {
            this.publicUrl = Objects.requireNonNull(publicUrl, "publicUrl");
            String scheme = publicUrl.getScheme();
            if (scheme == null
                    || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || publicUrl.getHost() == null) {
                throw new IllegalArgumentException(
                        "portal url: must be an http or https URL, got '" + publicUrl + "'");
            }
        }

        public Builder bind(String host, int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("portal port: not a port number: " + port);
            }
            this.bindHost = Objects.requireNonNull(host);
            this.port = port;
            return this;
        }

        public Builder issuer(String issuer) {
            this.issuer = Objects.requireNonNull(issuer);
            return this;
        }

        public Builder smtp(String host, int port) {
            if (port <= 0 || port > 65535) {
                throw new IllegalArgumentException("portal smtpPort: not a port number: " + port);
            }
            this.smtpHost = Objects.requireNonNull(host);
            this.smtpPort = port;
            return this;
        }

        public Builder passcodeSender(String address) {
            this.passcodeSender = Objects.requireNonNull(address);
            return this;
        }

        public Builder passcodeTtl(Duration ttl) {
            this.passcodeTtl = positive("passcodeTtl", ttl);
            return this;
        }

        public Builder sessionTtl(Duration ttl) {
            this.sessionTtl = positive("sessionTtl", ttl);
            return this;
        }

        public Builder threads(int threads) {
            if (threads < 1 || threads > 512) {
                throw new IllegalArgumentException(
                        "portal threads: must be 1..512, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        private static Duration positive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(
                        "portal " + name + ": must be positive, got " + d);
            }
            return d;
        }

        public PortalConfig build() {
            return new PortalConfig(this);
        }
    }
}
