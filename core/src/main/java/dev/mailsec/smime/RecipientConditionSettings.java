package dev.mailsec.smime;

import dev.mailsec.dkmclient.DkmClients;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads a matcher's one-string recipient-certificate condition (a folder or an LDAP URL with {@code
 * ; key=value} options). {@link SmimeSettings} is the public entry.
 */
final class RecipientConditionSettings {

    private RecipientConditionSettings() {}

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
    static RecipientCertificates recipientCertificatesFromCondition(
            String parameter, String value) {
        Map<String, String> options = conditionOptions(parameter, value);
        ChainValidator chains = null;
        if (options.containsKey("trustAnchors")) {
            chains =
                    TrustSettings.chains(
                            TrustSettings.trustAnchors(
                                    parameter + ": trustAnchors", options.get("trustAnchors")),
                            true,
                            LdapServer.none());
        }
        return new RecipientCertificates(
                directoryFromCondition(parameter, value), chains, Clock.systemUTC());
    }

    /** The certificate directory of such a condition (its {@code trustAnchors} option aside). */
    static CertificateDirectory directoryFromCondition(String parameter, String value) {
        Map<String, String> options = conditionOptions(parameter, value);
        String target = value.trim().split(";")[0].trim();
        if (!isLdapUrl(target)) {
            return SmimeSettings.certificateFolder(parameter, target);
        }
        URI uri;
        try {
            uri = new URI(target);
        } catch (URISyntaxException e) {
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
        Map<String, String> named = new HashMap<>();
        if (options.containsKey("bindDn")) {
            named.put("ldapBindDn", options.get("bindDn"));
        }
        if (options.containsKey("passwordSecret")) {
            named.put("ldapPasswordSecret", options.get("passwordSecret"));
        }
        LdapBind bind;
        try {
            bind =
                    LdapSettings.ldapBind(
                            named::get,
                            "ldap",
                            DkmClients.lazy("dkmConfig", options.get("dkmConfig")));
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
            tls =
                    LdapSettings.ldapTls(
                            "tlsTrustAnchors", options.get("tlsTrustAnchors"), "URL", server);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(parameter + ": " + e.getMessage(), e);
        }
        LdapSettings.warnIfPlaintext(parameter, server, bind);
        Duration ttl;
        try {
            ttl =
                    SmimeSettings.seconds(
                            "cacheTtl",
                            options.get("cacheTtl"),
                            LdapSettings.DEFAULT_CACHE_SECONDS,
                            0,
                            86400);
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

    static boolean isLdapUrl(String target) {
        return target.startsWith("ldap://") || target.startsWith("ldaps://");
    }

    /**
     * The {@code ; key=value} options after a condition's folder or URL, each known for that kind
     * of target.
     */
    static Map<String, String> conditionOptions(String parameter, String value) {
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
        Map<String, String> options = new HashMap<>();
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
}
