package dev.mailsec.smime;

import dev.mailsec.dkm.Dkm;
import dev.mailsec.dkm.DkmUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the LDAP settings: the certificate directory ({@code certificateFolder} or {@code ldap*}),
 * an LDAP server's bind and TLS trust, and the server for LDAP CRL distribution points ({@code
 * crlLdap*}). {@link SmimeSettings} is the public entry.
 */
final class LdapSettings {

    // named after the public entry, as it was before this class was split from it
    private static final Logger LOGGER = LoggerFactory.getLogger(SmimeSettings.class);

    /**
     * How long a directory answer (also "no certificate") is kept, unless configured: ten minutes.
     */
    static final int DEFAULT_CACHE_SECONDS = 600;

    /**
     * A certificate directory from either {@code certificateFolder} or {@code ldapUrl} + {@code
     * ldapBaseDn} (optional {@code ldapBindDn} with {@code ldapPasswordSecret} or {@code
     * ldapPassword}, and {@code ldapFilter}); exactly one of the two.
     *
     * @param dkm the DKM client for {@code ldapPasswordSecret}, asked for only when that is set
     */
    static CertificateDirectory directory(UnaryOperator<String> parameters, Supplier<Dkm> dkm) {
        String folder = parameters.apply("certificateFolder");
        String url = parameters.apply("ldapUrl");
        if ((folder == null) == (url == null)) {
            throw new IllegalArgumentException(
                    "certificateFolder or ldapUrl: exactly one is required");
        }
        if (folder != null) {
            for (String p :
                    List.of(
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
            return SmimeSettings.certificateFolder("certificateFolder", folder);
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
                SmimeSettings.seconds("ldapTimeout", parameters.apply("ldapTimeout"), 10, 1, 60),
                SmimeSettings.seconds(
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
    static LdapBind ldapBind(UnaryOperator<String> parameters, String prefix, Supplier<Dkm> dkm) {
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
            if (e.getCause() instanceof DkmUnavailableException) {
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
    static LdapServer crlLdapServer(UnaryOperator<String> parameters, Supplier<Dkm> dkm) {
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
    static LdapTls ldapTls(String parameter, String value, String urlParameter, String url) {
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
            return LdapTls.trusting(TrustSettings.trustAnchors(parameter, value));
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
    static void warnIfPlaintext(String parameter, String url, LdapBind bind) {
        if (bind.isAnonymous() || !url.toLowerCase(Locale.ROOT).startsWith("ldap://")) {
            return;
        }
        String host = URI.create(url).getHost();
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
     * {@code ldap://host[:port]} or {@code ldaps://...} (nothing after the server), for LDAP CRL
     * distribution points that name no server, as Active Directory writes them; {@code null} when
     * unset.
     */
    static String ldapServer(String parameter, String value) {
        if (value == null || value.trim().isEmpty()) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (URISyntaxException e) {
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

    private LdapSettings() {}
}
