package dev.mailsec.rights;

import dev.mailsec.config.PackPaths;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Rights protection settings, read from {@code conf/rights.xml} and validated once: every error is
 * an {@link IllegalArgumentException} naming the element or attribute and the bad value. Relative
 * paths inside it follow the pack's path rule ({@link PackPaths}, docs/paths.md: James's working
 * directory), not the file's folder. Immutable; see docs/rights.md for every element. Rooms: {@link
 * RightsSettingsXml} reads the XML into the {@link Builder}, whose setters check each value by
 * {@link RightsSettingsRules}.
 *
 * <pre>
 * &lt;rights&gt;
 *   &lt;issuer&gt;mailsec.test&lt;/issuer&gt;
 *   &lt;organisationDomains&gt;mailsec.test&lt;/organisationDomains&gt;
 *   &lt;portal url="http://127.0.0.1:8090" bind="127.0.0.1" port="8090" smtpHost="127.0.0.1" smtpPort="2525"/&gt;
 *   &lt;store url="file://var/mailsec/rights" /&gt;
 *   &lt;subject mode="keep"/&gt;
 *   &lt;templates&gt;
 *     &lt;template name="confidential-30d" rights="view,reply" expiry="P30D"/&gt;
 *   &lt;/templates&gt;
 * &lt;/rights&gt;
 * </pre>
 */
public final class RightsSettings {
    /**
     * Where rights.xml is when nobody says otherwise: relative to James's working directory, by
     * {@link PackPaths}'s rule. The mailets, the matcher and the CLI use this one default.
     */
    public static final String DEFAULT_CONFIG = "conf/rights.xml";

    /** The rights store when {@code <store>} names none: inside the James home. */
    public static final String DEFAULT_STORE = "file://var/mailsec/rights";

    /** The DKM client configuration when {@code <dkm>} names none: inside the James home. */
    public static final String DEFAULT_DKM_CONFIG = "conf/dkm.properties";

    /** What happens to the Subject of a protected message. */
    public enum SubjectMode {
        /** The wrapper keeps the original Subject (readable in transit). */
        KEEP,
        /**
         * The wrapper's Subject is {@link #replacementSubject()}, {@code {sender}} replaced by the
         * sender.
         */
        REPLACE
    }

    private final String issuer;
    private final Set<String> organisationDomains;
    private final URI portalUrl;
    private final String storeUrl;
    private final String storeSchema;
    private final Path dkmConfig;
    private final String contentKeySecret;
    private final String signingKeySecret;
    private final String sessionKeySecret;
    private final Map<String, RightsTemplate> templates;
    private final SubjectMode subjectMode;
    private final String replacementSubject;
    private final PortalSettings portal;
    private final BrandingSet branding;

    private RightsSettings(Builder b) {
        this.issuer = b.issuer;
        this.organisationDomains =
                Collections.unmodifiableSet(new LinkedHashSet<>(b.organisationDomains));
        this.portalUrl = b.portalUrl;
        this.storeUrl = b.storeUrl;
        this.storeSchema = b.storeSchema;
        this.dkmConfig = b.dkmConfig;
        this.contentKeySecret = b.contentKeySecret;
        this.signingKeySecret = b.signingKeySecret;
        this.sessionKeySecret = b.sessionKeySecret;
        Map<String, RightsTemplate> t = new LinkedHashMap<>();
        t.put(RightsTemplate.ENCRYPT_ONLY.name(), RightsTemplate.ENCRYPT_ONLY);
        t.put(RightsTemplate.DO_NOT_FORWARD.name(), RightsTemplate.DO_NOT_FORWARD);
        t.putAll(b.templates);
        this.templates = Collections.unmodifiableMap(t);
        this.subjectMode = b.subjectMode;
        this.replacementSubject = b.replacementSubject;
        this.portal = b.portal == null ? PortalSettings.builder(b.issuer).build() : b.portal;
        this.branding = b.branding;
    }

    /**
     * Reads and validates a rights.xml.
     *
     * @throws IllegalArgumentException naming the element/attribute and the bad value, or the
     *     unreadable file
     */
    public static RightsSettings load(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        try (InputStream in = Files.newInputStream(abs)) {
            return parse(in, PackPaths.home());
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "rights config: cannot read " + abs + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses rights.xml content; relative paths resolve against {@code home} (James's working
     * directory).
     */
    public static RightsSettings parse(InputStream xml, Path home) {
        return RightsSettingsXml.read(xml, home);
    }

    /**
     * A builder for settings made in code (tests, benchmarks); same validation as {@link #load}.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The licence issuer ({@code iss}), e.g. {@code mailsec.test}. */
    public String issuer() {
        return issuer;
    }

    /** The organisation's own mail domains (lower-case); recipients elsewhere are outside. */
    public Set<String> organisationDomains() {
        return organisationDomains;
    }

    /** True if the address's domain is one of {@link #organisationDomains()}. */
    public boolean isInsideOrganisation(String address) {
        String a = Rights.address(address);
        int at = a.lastIndexOf('@');
        return at > 0 && organisationDomains.contains(a.substring(at + 1));
    }

    /** Base URL of the portal; a message's link is {@code <portalUrl>/m/<licence id>}. */
    public URI portalUrl() {
        return portalUrl;
    }

    /** The link readers open for a licence: {@code <portalUrl>/m/<licenceId>}. */
    public String portalLink(String licenceId) {
        String base = portalUrl.toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + "/m/"
                + licenceId;
    }

    /**
     * The rights state store: {@code file:/absolute/dir} (resolved) or a {@code jdbc:postgresql:}
     * URL.
     */
    public String storeUrl() {
        return storeUrl;
    }

    /** PostgreSQL schema of the rights store (default {@code mailsec_rights}). */
    public String storeSchema() {
        return storeSchema;
    }

    /**
     * The dkm.properties whose identity reads the rights keys (absolute; default {@code
     * conf/dkm.properties}).
     */
    public Path dkmConfig() {
        return dkmConfig;
    }

    /** DKM secret of the content-wrapping key (SYMMETRIC, default {@code rights/content-key}). */
    public String contentKeySecret() {
        return contentKeySecret;
    }

    /**
     * DKM secret of the licence-signing key (KEY_PAIR EC P-256, default {@code rights/signing}).
     */
    public String signingKeySecret() {
        return signingKeySecret;
    }

    /**
     * DKM secret of the portal-session HMAC key (SYMMETRIC, default {@code rights/portal-session}).
     */
    public String sessionKeySecret() {
        return sessionKeySecret;
    }

    /** Every template by name: the built-ins plus the configured ones. */
    public Map<String, RightsTemplate> templates() {
        return templates;
    }

    /**
     * The template of that name.
     *
     * @throws IllegalArgumentException naming the unknown template and the known ones
     */
    public RightsTemplate template(String name) {
        RightsTemplate t =
                name == null ? null : templates.get(name.trim().toLowerCase(Locale.ROOT));
        if (t == null) {
            throw new IllegalArgumentException(
                    "template: unknown template '"
                            + name
                            + "' (known: "
                            + String.join(", ", templates.keySet())
                            + ")");
        }
        return t;
    }

    public SubjectMode subjectMode() {
        return subjectMode;
    }

    /**
     * Subject of the wrapper in {@link SubjectMode#REPLACE} mode; {@code {sender}} stands for the
     * sender.
     */
    public String replacementSubject() {
        return replacementSubject;
    }

    public PortalSettings portal() {
        return portal;
    }

    /**
     * The organisations' brandings ({@code <branding>}): the portal's pages and the wrapper mail of
     * a message show its sender domain's; {@link BrandingSet#NONE} when not configured.
     */
    public BrandingSet branding() {
        return branding;
    }

    @Override
    public String toString() {
        return "RightsSettings[issuer "
                + issuer
                + ", organisation "
                + organisationDomains
                + ", portal "
                + portalUrl
                + ", store "
                + storeUrl
                + (storeUrl.startsWith("jdbc:") ? " schema " + storeSchema : "")
                + ", templates "
                + templates.keySet()
                + ", subject "
                + subjectMode
                + "]";
    }

    /** Builds settings in code; each setter validates like {@link #load}. */
    public static final class Builder {
        private String issuer;
        private Set<String> organisationDomains = new LinkedHashSet<>();
        private URI portalUrl = URI.create("http://127.0.0.1:8090");
        private String storeUrl;
        private String storeSchema = "mailsec_rights";
        private Path dkmConfig;
        private String contentKeySecret = "rights/content-key";
        private String signingKeySecret = "rights/signing";
        private String sessionKeySecret = "rights/portal-session";
        private final Map<String, RightsTemplate> templates = new LinkedHashMap<>();
        private SubjectMode subjectMode = SubjectMode.KEEP;
        private String replacementSubject = "Protected message from {sender}";
        private PortalSettings portal;
        private BrandingSet branding = BrandingSet.NONE;

        private Builder() {}

        public Builder issuer(String v) {
            this.issuer = RightsSettingsRules.issuer(v);
            return this;
        }

        /**
         * The issuer set so far (null before {@link #issuer(String)}): the default organisation
         * domain.
         */
        String issuer() {
            return issuer;
        }

        boolean hasStoreUrl() {
            return storeUrl != null;
        }

        public Builder organisationDomains(List<String> domains) {
            this.organisationDomains = RightsSettingsRules.organisationDomains(domains);
            return this;
        }

        public Builder portalUrl(String v) {
            this.portalUrl = RightsSettingsRules.portalUrl(v);
            return this;
        }

        /**
         * {@code file:DIR} ({@code file://var/x} relative to {@code home}, James's working
         * directory when null; {@code file:///x} absolute) or {@code jdbc:postgresql:...}.
         */
        public Builder storeUrl(String v, Path home) {
            this.storeUrl = RightsSettingsRules.storeUrl(v, home);
            return this;
        }

        public Builder storeSchema(String v) {
            this.storeSchema = RightsSettingsRules.storeSchema(v);
            return this;
        }

        public Builder dkmConfig(Path v) {
            this.dkmConfig = v;
            return this;
        }

        public Builder contentKeySecret(String v) {
            this.contentKeySecret = RightsSettingsRules.secret("contentKey", v);
            return this;
        }

        public Builder signingKeySecret(String v) {
            this.signingKeySecret = RightsSettingsRules.secret("signingKey", v);
            return this;
        }

        public Builder sessionKeySecret(String v) {
            this.sessionKeySecret = RightsSettingsRules.secret("sessionKey", v);
            return this;
        }

        /**
         * Adds a template (replacing a built-in of the same name); a second one of that name is an
         * error.
         */
        public Builder template(RightsTemplate t) {
            if (templates.put(t.name(), t) != null) {
                throw new IllegalArgumentException(
                        "template name: '" + t.name() + "' defined twice");
            }
            return this;
        }

        public Builder subjectMode(String v) {
            this.subjectMode = RightsSettingsRules.subjectMode(v);
            return this;
        }

        public Builder replacementSubject(String v) {
            this.replacementSubject = RightsSettingsRules.replacementSubject(v);
            return this;
        }

        public Builder portal(PortalSettings p) {
            this.portal = p;
            return this;
        }

        /**
         * The brandings; each of its domains must be one of the organisation's (checked by {@link
         * #build()}).
         */
        public Builder branding(BrandingSet v) {
            this.branding = Objects.requireNonNull(v, "branding");
            return this;
        }

        public RightsSettings build() {
            if (issuer == null) {
                throw new IllegalArgumentException("<issuer>: required");
            }
            if (organisationDomains.isEmpty()) {
                organisationDomains.add(issuer);
            }
            for (String d : branding.byDomain().keySet()) {
                if (!organisationDomains.contains(d)) {
                    throw new IllegalArgumentException(
                            "<branding> <domain> names: '"
                                    + d
                                    + "' is not one of <organisationDomains> "
                                    + organisationDomains);
                }
            }
            if (storeUrl == null) {
                throw new IllegalArgumentException("<store> url: required");
            }
            return new RightsSettings(this);
        }
    }
}
