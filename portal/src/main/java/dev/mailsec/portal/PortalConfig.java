package dev.mailsec.portal;

import dev.mailsec.rights.BrandingSet;
import dev.mailsec.rights.PortalSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * What the portal runs with: {@code conf/rights.xml}'s {@link PortalSettings} (the one holder of
 * bind address, port, SMTP server, passcode sender and lifetimes, read from {@code <portal>}), plus
 * what rights.xml does not hold here: the public URL, the issuer and the worker count. Immutable;
 * built with {@link #builder(URI)}.
 */
public final class PortalConfig {

    private final URI publicUrl;
    private final String issuer;
    private final PortalSettings settings;
    private final int threads;
    private final BrandingSet branding;

    private PortalConfig(Builder b) {
        this.publicUrl = b.publicUrl;
        this.issuer = b.issuer;
        this.settings = b.settings();
        this.threads = b.threads;
        this.branding = b.branding;
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

    /** The settings from rights.xml's {@code <portal>}. */
    public PortalSettings settings() {
        return settings;
    }

    public String bindHost() {
        return settings.bindHost();
    }

    /** 0 means any free port (tests). */
    public int port() {
        return settings.port();
    }

    public String issuer() {
        return issuer;
    }

    public String smtpHost() {
        return settings.smtpHost();
    }

    public int smtpPort() {
        return settings.smtpPort();
    }

    public String passcodeSender() {
        return settings.passcodeSender();
    }

    public Duration passcodeTtl() {
        return settings.passcodeTtl();
    }

    public Duration sessionTtl() {
        return settings.sessionTtl();
    }

    public int threads() {
        return threads;
    }

    /**
     * The organisations' brandings from rights.xml's {@code <branding>} at start (default: none);
     * an engine following the reloadable file gives the generation in force instead ({@link
     * PortalEngine#branding()}).
     */
    public BrandingSet branding() {
        return branding;
    }

    public String cookieName() {
        return https() ? "__Host-mailsec_session" : "mailsec_session";
    }

    /**
     * The builder; without {@link #settings(PortalSettings)} the settings are {@code <portal/>}'s
     * defaults for the issuer (from {@link PortalSettings}, so the defaults are written down once).
     */
    public static final class Builder {
        private final URI publicUrl;
        private String issuer = "mailsec.test";
        private PortalSettings settings;
        private String bindHost;
        private Integer port;
        private int threads = 128;
        private BrandingSet branding = BrandingSet.NONE;

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

        /** The settings read from rights.xml's {@code <portal>}. */
        public Builder settings(PortalSettings settings) {
            this.settings = Objects.requireNonNull(settings);
            return this;
        }

        /**
         * Overrides the settings' bind address and port; port 0 listens on any free port (tests).
         */
        public Builder bind(String host, int port) {
            this.bindHost = Objects.requireNonNull(host);
            this.port = port;
            return this;
        }

        public Builder issuer(String issuer) {
            this.issuer = Objects.requireNonNull(issuer);
            return this;
        }

        /** The brandings read from rights.xml's {@code <branding>}. */
        public Builder branding(BrandingSet branding) {
            this.branding = Objects.requireNonNull(branding);
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

        private PortalSettings settings() {
            PortalSettings base =
                    settings != null ? settings : PortalSettings.builder(issuer).build();
            if (bindHost == null) {
                return base;
            }
            PortalSettings.Builder b = base.toBuilder().bindHost(bindHost);
            return (port == 0 ? b.anyFreePort() : b.port(port)).build();
        }

        public PortalConfig build() {
            return new PortalConfig(this);
        }
    }
}
