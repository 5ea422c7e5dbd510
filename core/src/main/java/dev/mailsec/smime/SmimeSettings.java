package dev.mailsec.smime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.TrustAnchor;
import java.time.Clock;
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

    /** A chain validator with CRL checking when {@code checkRevocation}. */
    public static ChainValidator chains(Set<TrustAnchor> anchors, boolean checkRevocation) {
        return new ChainValidator(anchors, checkRevocation ? new CachingCrlSource() : null, Clock.systemUTC());
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
