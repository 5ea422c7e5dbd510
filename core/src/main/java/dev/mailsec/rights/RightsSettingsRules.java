package dev.mailsec.rights;

import dev.mailsec.config.PackPaths;
import dev.mailsec.mail.DomainName;
import dev.mailsec.mail.DomainName.Option;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules each rights setting is checked by, for the {@link RightsSettings.Builder} (so for
 * rights.xml and for settings made in code alike): each returns the value as kept, or throws an
 * {@link IllegalArgumentException} naming the element or attribute and the bad value. Stateless.
 */
final class RightsSettingsRules {
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+/=-]{0,199}");

    private RightsSettingsRules() {}

    static String issuer(String v) {
        return DomainName.normalize(v, Option.TRIM, Option.MULTI_LABEL)
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "<issuer>: must be a domain name, got '" + v + "'"));
    }

    static Set<String> organisationDomains(List<String> domains) {
        Set<String> out = new LinkedHashSet<>();
        for (String d : domains) {
            out.add(
                    DomainName.normalize(d, Option.TRIM, Option.MULTI_LABEL)
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    "<organisationDomains>: not a domain name: '"
                                                            + d
                                                            + "'")));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(
                    "<organisationDomains>: at least one domain, got ''");
        }
        return out;
    }

    static URI portalUrl(String v) {
        try {
            URI u = new URI(v.trim());
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
                    || u.getHost() == null
                    || u.getQuery() != null
                    || u.getFragment() != null) {
                throw new URISyntaxException(v, "need http(s)://host[:port][/path]");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "<portal> url: must be an http(s) URL such as http://127.0.0.1:8090,"
                            + " got '"
                            + v
                            + "'");
        }
    }

    /**
     * {@code file:DIR} ({@code file://var/x} relative to {@code home}, James's working directory
     * when null; {@code file:///x} absolute), kept resolved, or {@code jdbc:postgresql:...}.
     */
    static String storeUrl(String v, Path home) {
        String s = v == null ? "" : v.trim();
        if (s.startsWith("file:") && s.replaceFirst("^file:(//)?", "").length() > 0) {
            return "file:" + resolve(home, "<store> url", s);
        } else if (s.startsWith("jdbc:postgresql:")) {
            return s;
        }
        throw new IllegalArgumentException(
                "<store> url: file:DIR or jdbc:postgresql://..., got '" + v + "'");
    }

    static String storeSchema(String v) {
        if (v == null || !SCHEMA.matcher(v).matches()) {
            throw new IllegalArgumentException(
                    "<store> schema: lower-case SQL identifier, got '" + v + "'");
        }
        return v;
    }

    /** A DKM secret name given in the {@code <keys>} attribute {@code attr}. */
    static String secret(String attr, String v) {
        if (v == null || !SECRET.matcher(v).matches()) {
            throw new IllegalArgumentException(
                    "<keys> " + attr + ": not a DKM secret name, got '" + v + "'");
        }
        return v;
    }

    static RightsSettings.SubjectMode subjectMode(String v) {
        String m = v == null ? "" : v.trim().toLowerCase(Locale.ROOT);
        if ("keep".equals(m)) {
            return RightsSettings.SubjectMode.KEEP;
        } else if ("replace".equals(m)) {
            return RightsSettings.SubjectMode.REPLACE;
        }
        throw new IllegalArgumentException("<subject> mode: keep or replace, got '" + v + "'");
    }

    static String replacementSubject(String v) {
        if (v == null || v.trim().isEmpty() || v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
            throw new IllegalArgumentException(
                    "<subject> text: one non-empty line, got '" + v + "'");
        }
        return v.trim();
    }

    /**
     * A path by the pack's rule ({@link PackPaths}): relative to {@code home}, James's working
     * directory when null; an error names {@code what}.
     */
    static Path resolve(Path home, String what, String path) {
        try {
            return PackPaths.resolve(home == null ? PackPaths.home() : home, path);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }
}
