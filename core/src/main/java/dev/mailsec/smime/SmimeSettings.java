package dev.mailsec.smime;

import dev.mailsec.config.PackPaths;
import dev.mailsec.dkm.Dkm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.TrustAnchor;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Turns the operator's parameter values into engine objects, failing with a message that names the
 * parameter and the bad value. Shared by the mailets, the matchers and the CLI so they accept the
 * same values.
 */
public final class SmimeSettings {

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
    public static final Set<String> DIRECTORY_PARAMETERS =
            Set.of(
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

    /** The parameters {@link #crlLdapServer} reads. */
    public static final Set<String> CRL_LDAP_PARAMETERS =
            Set.of(
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
            UnaryOperator<String> parameters, Supplier<Dkm> dkm) {
        return LdapSettings.directory(parameters, dkm);
    }

    /**
     * How to authenticate to an LDAP server, from {@code <prefix>BindDn} with {@code
     * <prefix>PasswordSecret} or {@code <prefix>Password}; anonymous when none is set.
     *
     * @param dkm asked for only when {@code <prefix>PasswordSecret} is set
     */
    public static LdapBind ldapBind(
            UnaryOperator<String> parameters, String prefix, Supplier<Dkm> dkm) {
        return LdapSettings.ldapBind(parameters, prefix, dkm);
    }

    /**
     * The server for LDAP CRL distribution points that name none ({@code crlLdapUrl} and its bind
     * and TLS trust); {@link LdapServer#none()} when unset.
     */
    public static LdapServer crlLdapServer(UnaryOperator<String> parameters, Supplier<Dkm> dkm) {
        return LdapSettings.crlLdapServer(parameters, dkm);
    }

    /**
     * {@code ldap://host[:port]} or {@code ldaps://...} (nothing after the server); {@code null}
     * when unset.
     */
    public static String ldapServer(String parameter, String value) {
        return LdapSettings.ldapServer(parameter, value);
    }

    /**
     * The recipient-certificate selection of a matcher's one-string condition: a folder path or an
     * LDAP URL, with {@code ; key=value} options (docs/smime.md).
     */
    public static RecipientCertificates recipientCertificatesFromCondition(
            String parameter, String value) {
        return RecipientConditionSettings.recipientCertificatesFromCondition(parameter, value);
    }

    /** The certificate directory of such a condition (its {@code trustAnchors} option aside). */
    public static CertificateDirectory directoryFromCondition(String parameter, String value) {
        return RecipientConditionSettings.directoryFromCondition(parameter, value);
    }

    /** Trust anchors from a PEM file or a folder of CA certificates. */
    public static Set<TrustAnchor> trustAnchors(String parameter, String value) {
        return TrustSettings.trustAnchors(parameter, value);
    }

    /**
     * A chain validator with OCSP (where certificates name a responder) and CRL checking when
     * {@code checkRevocation}; {@code crlLdap} serves LDAP distribution points that name no server.
     */
    public static ChainValidator chains(
            Set<TrustAnchor> anchors, boolean checkRevocation, LdapServer crlLdap) {
        return TrustSettings.chains(anchors, checkRevocation, crlLdap);
    }

    /**
     * A chain validator; with {@code checkRevocation}, OCSP first when {@code ocsp}, then CRLs;
     * {@code crlLdap} as {@link #crlLdapServer} returns it.
     */
    public static ChainValidator chains(
            Set<TrustAnchor> anchors,
            boolean checkRevocation,
            boolean ocsp,
            ChainValidator.OcspFailure ocspFailure,
            Duration ocspTimeout,
            LdapServer crlLdap) {
        return TrustSettings.chains(
                anchors, checkRevocation, ocsp, ocspFailure, ocspTimeout, crlLdap);
    }

    /** {@code hard} (the default) or {@code soft}. */
    public static ChainValidator.OcspFailure ocspFailure(String parameter, String value) {
        return TrustSettings.ocspFailure(parameter, value);
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
    static Path path(String parameter, String value) {
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
