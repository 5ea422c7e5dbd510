package dev.mailsec.smime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.TrustAnchor;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * Turns the operator's parameter values into engine objects, failing with a message that names the
 * parameter and the bad value. Shared by the mailets, the matchers and the CLI so they accept the
 * same values.
 */
public final class SmimeSettings {

    private SmimeSettings() {
    }

    public static PemSmimeKeySource keyFolder(String parameter, String value) {
        Path folder = existingFolder(parameter, value);
        try {
            return PemSmimeKeySource.fromFolder(folder);
        } catch (IOException e) {
            throw new IllegalArgumentException(parameter + ": cannot load keys from '" + value + "': " + e.getMessage(), e);
        }
    }

    /** The parameters {@link #directory} reads. */
    public static final java.util.Set<String> DIRECTORY_PARAMETERS = java.util.Set.of("certificateFolder", "ldapUrl", "ldapBaseDn",
        "ldapBindDn", "ldapPassword", "ldapFilter");

    /**
     * A certificate directory from either {@code certificateFolder} or {@code ldapUrl} + {@code ldapBaseDn}
     * (optional {@code ldapBindDn}, {@code ldapPassword}, {@code ldapFilter}); exactly one of the two.
     */
    public static CertificateDirectory directory(java.util.function.UnaryOperator<String> parameters) {
        String folder = parameters.apply("certificateFolder");
        String url = parameters.apply("ldapUrl");
        if ((folder == null) == (url == null)) {
            throw new IllegalArgumentException("certificateFolder or ldapUrl: exactly one is required");
        }
        if (folder != null) {
            return certificateFolder("certificateFolder", folder);
        }
        String base = parameters.apply("ldapBaseDn");
        if (base == null || base.trim().isEmpty()) {
            throw new IllegalArgumentException("ldapBaseDn: required with ldapUrl");
        }
        String bind = parameters.apply("ldapBindDn");
        String password = parameters.apply("ldapPassword");
        if ((bind == null) != (password == null)) {
            throw new IllegalArgumentException("ldapBindDn and ldapPassword: give both or neither");
        }
        String filter = parameters.apply("ldapFilter");
        return new LdapCertificateDirectory(url.trim(), base.trim(), bind, password == null ? null : password.toCharArray(),
            filter == null ? LdapCertificateDirectory.DEFAULT_FILTER : filter.trim(), java.time.Duration.ofSeconds(10),
            java.time.Duration.ofMinutes(10), Clock.systemUTC());
    }

    /** A folder path, or an anonymous {@code ldap://host:port/BASE-DN} URL (for a matcher's one-string condition). */
    public static CertificateDirectory directoryFromCondition(String parameter, String value) {
        if (value != null && (value.trim().startsWith("ldap://") || value.trim().startsWith("ldaps://"))) {
            java.net.URI uri;
            try {
                uri = new java.net.URI(value.trim());
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException(parameter + ": not an LDAP URL: '" + value + "'", e);
            }
            String base = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
            if (base.isEmpty()) {
                throw new IllegalArgumentException(parameter + ": the LDAP URL needs a base DN as its path, got '" + value + "'");
            }
            return new LdapCertificateDirectory(uri.getScheme() + "://" + uri.getAuthority(), base, null, null,
                LdapCertificateDirectory.DEFAULT_FILTER, java.time.Duration.ofSeconds(10), java.time.Duration.ofMinutes(10),
                Clock.systemUTC());
        }
        return certificateFolder(parameter, value);
    }

    public static FolderCertificateDirectory certificateFolder(String parameter, String value) {
        Path folder = existingFolder(parameter, value);
        try {
            return new FolderCertificateDirectory(folder);
        } catch (IOException e) {
            throw new IllegalArgumentException(parameter + ": cannot load certificates from '" + value + "': " + e.getMessage(), e);
        }
    }

    public static Set<TrustAnchor> trustAnchors(String parameter, String value) {
        if (value == null || value.trim().isEmpty()) {
            throw new IllegalArgumentException(parameter + ": required (a PEM file or a folder of CA certificates)");
        }
        try {
            return TrustAnchors.load(Path.of(value.trim()));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(parameter + ": cannot load trust anchors from '" + value + "': " + e.getMessage(), e);
        }
    }

    /**
     * A chain validator with OCSP (where certificates name a responder) and CRL checking when
     * {@code checkRevocation}; {@code crlLdapServer} (or {@code null}) serves LDAP distribution points
     * that name no server.
     */
    public static ChainValidator chains(Set<TrustAnchor> anchors, boolean checkRevocation, String crlLdapServer) {
        return chains(anchors, checkRevocation, true, ChainValidator.OcspFailure.HARD, Duration.ofSeconds(5), crlLdapServer);
    }

    /**
     * A chain validator; with {@code checkRevocation}, OCSP first when {@code ocsp} (answers cached
     * until nextUpdate, at most an hour), then CRLs; {@code crlLdapServer} as {@link #ldapServer}
     * returns it, or {@code null}.
     */
    public static ChainValidator chains(Set<TrustAnchor> anchors, boolean checkRevocation, boolean ocsp,
                                        ChainValidator.OcspFailure ocspFailure, Duration ocspTimeout, String crlLdapServer) {
        return new ChainValidator(anchors,
            checkRevocation ? new CachingCrlSource(Duration.ofSeconds(10), Duration.ofHours(1), Clock.systemUTC(), crlLdapServer) : null,
            checkRevocation && ocsp ? new CachingOcspClient(ocspTimeout, Duration.ofHours(1), Clock.systemUTC()) : null,
            ocspFailure, Clock.systemUTC());
    }

    /**
     * {@code ldap://host[:port]} or {@code ldaps://...} (nothing after the server), for LDAP CRL
     * distribution points that name no server, as Active Directory writes them; {@code null} when unset.
     */
    public static String ldapServer(String parameter, String value) {
        if (value == null || value.trim().isEmpty()) {
            return null;
        }
        java.net.URI uri;
        try {
            uri = new java.net.URI(value.trim());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(parameter + ": not an LDAP URL: '" + value + "'", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (!(scheme.equals("ldap") || scheme.equals("ldaps")) || uri.getHost() == null || !(path.isEmpty() || path.equals("/"))
            || uri.getRawQuery() != null) {
            throw new IllegalArgumentException(parameter + ": must be ldap://host[:port] or ldaps://host[:port], got '" + value + "'");
        }
        return scheme + "://" + uri.getRawAuthority();
    }

    public static ChainValidator.OcspFailure ocspFailure(String parameter, String value) {
        if (value == null || value.trim().isEmpty()) {
            return ChainValidator.OcspFailure.HARD;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("hard")) {
            return ChainValidator.OcspFailure.HARD;
        }
        if (v.equals("soft")) {
            return ChainValidator.OcspFailure.SOFT;
        }
        throw new IllegalArgumentException(parameter + ": must be hard or soft, got '" + value + "'");
    }

    /** Whole seconds, 1 to 60. */
    public static Duration seconds(String parameter, String value, int defaultSeconds) {
        if (value == null || value.trim().isEmpty()) {
            return Duration.ofSeconds(defaultSeconds);
        }
        try {
            int s = Integer.parseInt(value.trim());
            if (s >= 1 && s <= 60) {
                return Duration.ofSeconds(s);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(parameter + ": must be a number of seconds from 1 to 60, got '" + value + "'");
    }

    public static boolean bool(String parameter, String value, boolean defaultValue) {
        if (value == null || value.trim().isEmpty()) {
            return defaultValue;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("yes")) {
            return true;
        }
        if (v.equals("false") || v.equals("no")) {
            return false;
        }
        throw new IllegalArgumentException(parameter + ": must be true or false, got '" + value + "'");
    }

    public static SigningMode signingMode(String parameter, String value) {
        if (value == null || value.trim().isEmpty()) {
            return SigningMode.DETACHED;
        }
        try {
            return SigningMode.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(parameter + ": must be detached or opaque, got '" + value + "'", e);
        }
    }

    /** Null (the key's default) when absent. */
    public static SignatureAlgorithm signatureAlgorithm(String parameter, String value) {
        if (value == null || value.trim().isEmpty()) {
            return null;
        }
        try {
            return SignatureAlgorithm.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(parameter + ": " + e.getMessage(), e);
        }
    }

    private static Path existingFolder(String parameter, String value) {
        if (value == null || value.trim().isEmpty()) {
            throw new IllegalArgumentException(parameter + ": required (a folder)");
        }
        Path folder = Path.of(value.trim());
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(parameter + ": not a folder: '" + value + "'");
        }
        return folder;
    }
}
