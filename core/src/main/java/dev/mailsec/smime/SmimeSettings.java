package dev.mailsec.smime;

import dev.mailsec.config.PackPaths;
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

    private static final org.slf4j.Logger LOGGER =
            org.slf4j.LoggerFactory.getLogger(SmimeSettings.class);

    private SmimeSettings() {}

    public static PemSmimeKeySource keyFolder(String parameter, String value) {
        Path folder = existingFolder(parameter, value);
        try {
            return PemSmimeKeySource.fromFolder(folder);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    parameter + ": cannot load keys from '" + value + "': " + e.getMessage(), e);
        }
    }

    /** The parameters {@link #directory} reads. */
    public static final java.util.Set<String> DIRECTORY_PARAMETERS =
            java.util.Set.of(
                    "certificateFolder",
                    "ldapUrl",
                    "ldapBaseDn",
                    "ldapBindDn",
                    "ldapPassword",
                    "ldapPasswordSecret",
                    "ldapTlsTrustAnchors",
                    "ldapFilter",
                    "ldapCacheTtl",
                    "ldapTimeout");

    /**
     * How long a directory answer (also "no certificate") is kept, unless configured: ten minutes.
     */
    private static final int DEFAULT_CACHE_SECONDS = 600;

    /** The parameters {@link #crlLdapServer} reads. */
    public static final java.util.Set<String> CRL_LDAP_PARAMETERS =
            java.util.Set.of(
                    "crlLdapUrl",
                    "crlLdapBindDn",
                    "crlLdapPassword",
                    "crlLdapPasswordSecret",
                    "crlLdapTlsTrustAnchors");

    /**
     * A certificate directory from either {@code certificateFolder} or {@code ldapUrl} + {@code
     * ldapBaseDn} (optional {@code ldapBindDn} with {@code ldapPasswordSecret} or {@code
     * ldapPassword}, and {@code ldapFilter}); exactly one of the two.
     *
     * @param dkm the DKM client for {@code ldapPasswordSecret}, asked for only when that is set
     */
    public static CertificateDirectory directory(
            java.util.function.UnaryOperator<String> parameters,
            java.util.function.Supplier<dev.mailsec.dkm.Dkm> dkm) {
        String folder = parameters.apply("certificateFolder");
        String url = parameters.apply("ldapUrl");
        if ((folder == null) == (url == null)) {
            throw new IllegalArgumentException(
                    "certificateFolder or ldapUrl: exactly one is required");
        }
        if (folder != null) {
            for (String p :
                    java.util.List.of(
                            "ldapBaseDn",
                            "ldapBindDn",
                            "ldapPassword",
                            "ldapPasswordSecret",
                            "ldapTlsTrustAnchors",
                            "ldapFilter",
                            "ldapCacheTtl",
                            "ldapTimeout")) {
                if (parameters.apply(p) != null) {
                    throw new IllegalArgumentException(
                            p + ": only used with ldapUrl, not with certificateFolder");
                }
            }
            return certificateFolder("certificateFolder", folder);
        }
        String base = parameters.apply("ldapBaseDn");
        if (base == null || base.trim().isEmpty()) {
            throw new IllegalArgumentException("ldapBaseDn: required with ldapUrl");
        }
        LdapBind bind = ldapBind(parameters, "ldap", dkm);
        LdapTls tls =
                ldapTls(
                        "ldapTlsTrustAnchors",
                        parameters.apply("ldapTlsTrustAnchors"),
                        "ldapUrl",
                        url.trim());
        warnIfPlaintext("ldapUrl", url.trim(), bind);
        String filter = parameters.apply("ldapFilter");
        return new LdapCertificateDirectory(
                url.trim(),
                base.trim(),
                bind,
                tls,
                filter == null ? LdapCertificateDirectory.DEFAULT_FILTER : filter.trim(),
                seconds("ldapTimeout", parameters.apply("ldapTimeout"), 10, 1, 60),
                seconds(
                        "ldapCacheTtl",
                        parameters.apply("ldapCacheTtl"),
                        DEFAULT_CACHE_SECONDS,
                        0,
                        86400),
                Clock.systemUTC());
    }

    /**
     * How to authenticate to an LDAP server, from {@code <prefix>BindDn} with {@code
     * <prefix>PasswordSecret} (an OPAQUE DKM secret, read at start to catch a wrong name, then at
     * every connection) or, discouraged (logged at start), {@code <prefix>Password} in clear;
     * anonymous when none is set.
     *
     * @param dkm asked for only when {@code <prefix>PasswordSecret} is set; may throw
     *     IllegalArgumentException
     */
    public static LdapBind ldapBind(
            java.util.function.UnaryOperator<String> parameters,
            String prefix,
            java.util.function.Supplier<dev.mailsec.dkm.Dkm> dkm) {
        String dnName = prefix + "BindDn";
        String passwordName = prefix + "Password";
        String secretName = prefix + "PasswordSecret";
        String dn = parameters.apply(dnName);
        String password = parameters.apply(passwordName);
        String secret = parameters.apply(secretName);
        if (dn == null) {
            if (password != null || secret != null) {
                throw new IllegalArgumentException(
                        dnName + ": required with " + (secret != null ? secretName : passwordName));
            }
            return LdapBind.anonymous();
        }
        if (dn.trim().isEmpty()) {
            throw new IllegalArgumentException(
                    dnName + ": empty (leave it out for an anonymous bind)");
        }
        if ((password == null) == (secret == null)) {
            throw new IllegalArgumentException(
                    dnName
                            + ": give "
                            + secretName
                            + " (a DKM secret holding the password) or "
                            + passwordName
                            + ", exactly one"
                            + (password == null ? "" : ", not both"));
        }
        if (password != null) {
            if (password.isEmpty()) {
                throw new IllegalArgumentException(
                        passwordName + ": empty (an empty password binds anonymously)");
            }
            LOGGER.warn(
                    "{}: the LDAP password for {} is in clear in the configuration; store it in DKM"
                            + " (./mailsec dkm secret put NAME --group GROUP) and name that secret with {} instead",
                    passwordName,
                    dn.trim(),
                    secretName);
            return LdapBind.withPassword(dn, password.toCharArray());
        }
        if (secret.trim().isEmpty()) {
            throw new IllegalArgumentException(secretName + ": empty");
        }
        LdapBind bind = LdapBind.withDkmSecret(dn, dkm.get(), secret.trim());
        try {
            bind.check();
        } catch (IOException e) {
            if (e.getCause() instanceof dev.mailsec.dkm.DkmUnavailableException) {
                // the store may come back: lookups fail (and mail waits) until it does
                LOGGER.warn(
                        "{}: cannot check secret {} now: {}",
                        secretName,
                        secret.trim(),
                        e.getMessage());
            } else {
                throw new IllegalArgumentException(
                        secretName + ": '" + secret.trim() + "': " + e.getMessage(), e);
            }
        }
        return bind;
    }

    /**
     * The server for LDAP CRL distribution points that name none ({@code crlLdapUrl}), with its
     * bind ({@code crlLdapBindDn} with {@code crlLdapPasswordSecret} or {@code crlLdapPassword},
     * used only towards that server) and, for {@code ldaps://}, the CA certificates its TLS
     * certificate must chain to ({@code crlLdapTlsTrustAnchors}, default the JVM's trust store);
     * {@link LdapServer#none()} when unset.
     */
    public static LdapServer crlLdapServer(
            java.util.function.UnaryOperator<String> parameters,
            java.util.function.Supplier<dev.mailsec.dkm.Dkm> dkm) {
        String url = ldapServer("crlLdapUrl", parameters.apply("crlLdapUrl"));
        LdapBind bind = ldapBind(parameters, "crlLdap", dkm);
        String anchors = parameters.apply("crlLdapTlsTrustAnchors");
        if (url == null) {
            if (!bind.isAnonymous()) {
                throw new IllegalArgumentException(
                        "crlLdapBindDn: needs crlLdapUrl (the one server the credentials are sent to)");
            }
            if (anchors != null) {
                throw new IllegalArgumentException(
                        "crlLdapTlsTrustAnchors: needs an ldaps:// crlLdapUrl");
            }
            return LdapServer.none();
        }
        warnIfPlaintext("crlLdapUrl", url, bind);
        return LdapServer.of(
                url, bind, ldapTls("crlLdapTlsTrustAnchors", anchors, "crlLdapUrl", url));
    }

    /**
     * TLS trust from {@code parameter} (CA certificates, PEM file or folder), which only an
     * ldaps:// URL can use.
     */
    private static LdapTls ldapTls(
            String parameter, String value, String urlParameter, String url) {
        if (value == null) {
            return LdapTls.jvmDefault();
        }
        if (!url.toLowerCase(Locale.ROOT).startsWith("ldaps://")) {
            throw new IllegalArgumentException(
                    parameter
                            + ": only used with an ldaps:// "
                            + urlParameter
                            + ", got '"
                            + url
                            + "'");
        }
        try {
            return LdapTls.trusting(trustAnchors(parameter, value));
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(parameter)
                    ? e
                    : new IllegalArgumentException(parameter + ": " + e.getMessage(), e);
        }
    }

    /**
     * A simple bind over ldap:// to another host sends the password readable on the network: say so
     * at start.
     */
    private static void warnIfPlaintext(String parameter, String url, LdapBind bind) {
        if (bind.isAnonymous() || !url.toLowerCase(Locale.ROOT).startsWith("ldap://")) {
            return;
        }
        String host = java.net.URI.create(url).getHost();
        if (host != null
                && (host.equals("localhost")
                        || host.startsWith("127.")
                        || host.equals("[::1]")
                        || host.equals("::1"))) {
            return;
        }
        LOGGER.warn(
                "{}: {} binds as {} without TLS, so the password crosses the network in clear; use ldaps://",
                parameter,
                url,
                bind.dn());
    }

    /**
     * The recipient-certificate selection of a matcher's one-string condition: a folder path, or an
     * {@code ldap://host:port/BASE-DN} URL, anonymous or followed by {@code ; bindDn=DN;
     * passwordSecret=NAME} (an OPAQUE DKM secret read through the shared client of {@code ;
     * dkmConfig=FILE}, default {@code conf/dkm.properties}), {@code ; cacheTtl=SECONDS} (default
     * 600, as {@code ldapCacheTtl}) and, for {@code ldaps://}, {@code ; tlsTrustAnchors=FILE} (the
     * CA certificates the server's TLS certificate must chain to); either may end with {@code ;
     * trustAnchors=FILE}, and then a certificate must also chain to those anchors and not be
     * revoked (OCSP, then CRLs), as {@code EncryptSmime} checks with the same anchors.
     */
    public static RecipientCertificates recipientCertificatesFromCondition(
            String parameter, String value) {
        java.util.Map<String, String> options = conditionOptions(parameter, value);
        ChainValidator chains = null;
        if (options.containsKey("trustAnchors")) {
            chains =
                    chains(
                            trustAnchors(parameter + ": trustAnchors", options.get("trustAnchors")),
                            true,
                            LdapServer.none());
        }
        return new RecipientCertificates(
                directoryFromCondition(parameter, value), chains, Clock.systemUTC());
    }

    /** The certificate directory of such a condition (its {@code trustAnchors} option aside). */
    public static CertificateDirectory directoryFromCondition(String parameter, String value) {
        java.util.Map<String, String> options = conditionOptions(parameter, value);
        String target = value.trim().split(";")[0].trim();
        if (!isLdapUrl(target)) {
            return certificateFolder(parameter, target);
        }
        java.net.URI uri;
        try {
            uri = new java.net.URI(target);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(
                    parameter + ": not an LDAP URL: '" + target + "'", e);
        }
        String base = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (base.isEmpty()) {
            throw new IllegalArgumentException(
                    parameter + ": the LDAP URL needs a base DN as its path, got '" + target + "'");
        }
        if (options.containsKey("bindDn") != options.containsKey("passwordSecret")) {
            throw new IllegalArgumentException(
                    parameter
                            + ": bindDn and passwordSecret (a DKM secret holding the password) go together");
        }
        java.util.Map<String, String> named = new java.util.HashMap<>();
        if (options.containsKey("bindDn")) {
            named.put("ldapBindDn", options.get("bindDn"));
        }
        if (options.containsKey("passwordSecret")) {
            named.put("ldapPasswordSecret", options.get("passwordSecret"));
        }
        LdapBind bind;
        try {
            bind =
                    ldapBind(
                            named::get,
                            "ldap",
                            dev.mailsec.dkmclient.DkmClients.lazy(
                                    "dkmConfig", options.get("dkmConfig")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    parameter
                            + ": "
                            + e.getMessage()
                                    .replace("ldapBindDn", "bindDn")
                                    .replace("ldapPasswordSecret", "passwordSecret"),
                    e);
        }
        if (bind.isAnonymous() && options.containsKey("dkmConfig")) {
            throw new IllegalArgumentException(
                    parameter + ": dkmConfig is only used with bindDn and passwordSecret");
        }
        String server = uri.getScheme() + "://" + uri.getAuthority();
        LdapTls tls;
        try {
            tls = ldapTls("tlsTrustAnchors", options.get("tlsTrustAnchors"), "URL", server);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(parameter + ": " + e.getMessage(), e);
        }
        warnIfPlaintext(parameter, server, bind);
        Duration ttl;
        try {
            ttl = seconds("cacheTtl", options.get("cacheTtl"), DEFAULT_CACHE_SECONDS, 0, 86400);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(parameter + ": " + e.getMessage(), e);
        }
        return new LdapCertificateDirectory(
                server,
                base,
                bind,
                tls,
                LdapCertificateDirectory.DEFAULT_FILTER,
                Duration.ofSeconds(10),
                ttl,
                Clock.systemUTC());
    }

    private static boolean isLdapUrl(String target) {
        return target.startsWith("ldap://") || target.startsWith("ldaps://");
    }

    /**
     * The {@code ; key=value} options after a condition's folder or URL, each known for that kind
     * of target.
     */
    private static java.util.Map<String, String> conditionOptions(String parameter, String value) {
        if (value == null || value.trim().isEmpty()) {
            throw new IllegalArgumentException(
                    parameter + ": a certificate folder or an ldap:// URL is required");
        }
        String[] parts = value.trim().split(";");
        boolean ldap = isLdapUrl(parts[0].trim());
        Set<String> known =
                ldap
                        ? Set.of(
                                "bindDn",
                                "passwordSecret",
                                "dkmConfig",
                                "tlsTrustAnchors",
                                "cacheTtl",
                                "trustAnchors")
                        : Set.of("trustAnchors");
        java.util.Map<String, String> options = new java.util.HashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].trim();
            int eq = part.indexOf('=');
            String key = eq < 0 ? part : part.substring(0, eq).trim();
            if (eq < 0 || !known.contains(key)) {
                throw new IllegalArgumentException(
                        parameter
                                + ": after "
                                + (ldap
                                        ? "the LDAP URL only '; bindDn=DN', '; passwordSecret=NAME',"
                                                + " '; dkmConfig=FILE', '; tlsTrustAnchors=FILE', '; cacheTtl=SECONDS' and"
                                        : "the folder only")
                                + " '; trustAnchors=FILE' are known, got '"
                                + part
                                + "'");
            }
            options.put(key, part.substring(eq + 1).trim());
        }
        return options;
    }

    public static FolderCertificateDirectory certificateFolder(String parameter, String value) {
        Path folder = existingFolder(parameter, value);
        try {
            return new FolderCertificateDirectory(folder);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    parameter
                            + ": cannot load certificates from '"
                            + value
                            + "': "
                            + e.getMessage(),
                    e);
        }
    }

    public static Set<TrustAnchor> trustAnchors(String parameter, String value) {
        if (value == null || value.trim().isEmpty()) {
            throw new IllegalArgumentException(
                    parameter + ": required (a PEM file or a folder of CA certificates)");
        }
        Path file = path(parameter, value);
        try {
            return TrustAnchors.load(file);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    parameter
                            + ": cannot load trust anchors from '"
                            + value
                            + "': "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * A chain validator with OCSP (where certificates name a responder) and CRL checking when
     * {@code checkRevocation}; {@code crlLdap} serves LDAP distribution points that name no server,
     * and is the only server its bind authenticates to.
     */
    public static ChainValidator chains(
            Set<TrustAnchor> anchors, boolean checkRevocation, LdapServer crlLdap) {
        return chains(
                anchors,
                checkRevocation,
                true,
                ChainValidator.OcspFailure.HARD,
                Duration.ofSeconds(5),
                crlLdap);
    }

    /**
     * A chain validator; with {@code checkRevocation}, OCSP first when {@code ocsp} (answers cached
     * until nextUpdate, at most an hour), then CRLs; {@code crlLdap} as {@link #crlLdapServer}
     * returns it.
     */
    public static ChainValidator chains(
            Set<TrustAnchor> anchors,
            boolean checkRevocation,
            boolean ocsp,
            ChainValidator.OcspFailure ocspFailure,
            Duration ocspTimeout,
            LdapServer crlLdap) {
        return new ChainValidator(
                anchors,
                checkRevocation
                        ? new CachingCrlSource(
                                Duration.ofSeconds(10),
                                Duration.ofHours(1),
                                Clock.systemUTC(),
                                crlLdap)
                        : null,
                checkRevocation && ocsp
                        ? new CachingOcspClient(ocspTimeout, Duration.ofHours(1), Clock.systemUTC())
                        : null,
                ocspFailure,
                Clock.systemUTC());
    }

    /**
     * {@code ldap://host[:port]} or {@code ldaps://...} (nothing after the server), for LDAP CRL
     * distribution points that name no server, as Active Directory writes them; {@code null} when
     * unset.
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
        if (!(scheme.equals("ldap") || scheme.equals("ldaps"))
                || uri.getHost() == null
                || !(path.isEmpty() || path.equals("/"))
                || uri.getRawQuery() != null) {
            throw new IllegalArgumentException(
                    parameter
                            + ": must be ldap://host[:port] or ldaps://host[:port], got '"
                            + value
                            + "'");
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
        throw new IllegalArgumentException(
                parameter + ": must be hard or soft, got '" + value + "'");
    }

    /** Whole seconds, 1 to 60. */
    public static Duration seconds(String parameter, String value, int defaultSeconds) {
        return seconds(parameter, value, defaultSeconds, 1, 60);
    }

    /**
     * A whole number of seconds from {@code min} to {@code max}; {@code defaultSeconds} when unset.
     */
    public static Duration seconds(
            String parameter, String value, int defaultSeconds, int min, int max) {
        if (value == null || value.trim().isEmpty()) {
            return Duration.ofSeconds(defaultSeconds);
        }
        try {
            int s = Integer.parseInt(value.trim());
            if (s >= min && s <= max) {
                return Duration.ofSeconds(s);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                parameter
                        + ": must be a number of seconds from "
                        + min
                        + " to "
                        + max
                        + ", got '"
                        + value
                        + "'");
    }

    public static SigningMode signingMode(String parameter, String value) {
        if (value == null || value.trim().isEmpty()) {
            return SigningMode.DETACHED;
        }
        try {
            return SigningMode.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    parameter + ": must be detached or opaque, got '" + value + "'", e);
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

    /** A configured file or folder, by the pack's path rule ({@link PackPaths}, docs/paths.md). */
    private static Path path(String parameter, String value) {
        try {
            return PackPaths.resolve(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(parameter + ": " + e.getMessage(), e);
        }
    }

    private static Path existingFolder(String parameter, String value) {
        if (value == null || value.trim().isEmpty()) {
            throw new IllegalArgumentException(parameter + ": required (a folder)");
        }
        Path folder = path(parameter, value);
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(parameter + ": not a folder: '" + value + "'");
        }
        return folder;
    }
}
