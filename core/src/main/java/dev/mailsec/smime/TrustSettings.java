package dev.mailsec.smime;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.TrustAnchor;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the trust settings: trust anchors, and the chain validator with its revocation checking
 * (OCSP, CRLs). {@link SmimeSettings} is the public entry.
 */
final class TrustSettings {

    private TrustSettings() {}

    static Set<TrustAnchor> trustAnchors(String parameter, String value) {
        if (value == null || value.trim().isEmpty()) {
            throw new IllegalArgumentException(
                    parameter + ": required (a PEM file or a folder of CA certificates)");
        }
        Path file = SmimeSettings.path(parameter, value);
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
    static ChainValidator chains(
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
     * until nextUpdate, at most an hour), then CRLs; {@code crlLdap} as {@link
     * LdapSettings#crlLdapServer} returns it.
     */
    static ChainValidator chains(
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

    static ChainValidator.OcspFailure ocspFailure(String parameter, String value) {
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
}
