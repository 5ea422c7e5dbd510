package dev.mailsec.tls.report;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads an outbound session's failure as an RFC 8460 result type, from the exception JavaMail
 * threw: {@code starttls-not-supported} when STARTTLS was required and not offered, certificate
 * failures from the handshake's cause chain, {@code validation-failure} for any other TLS failure.
 * A failure before any TLS (connection refused, timeout) is not a TLS session: empty.
 */
public final class TlsFailures {

    private static final int MAX_DEPTH = 16;

    private TlsFailures() {}

    /**
     * @param tlsAttempted whether the client sent STARTTLS before {@code failure}
     */
    public static Optional<TlsResultType> classify(Throwable failure, boolean tlsAttempted) {
        if (!tlsAttempted) {
            String m = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
            return m.contains("does not support starttls")
                    ? Optional.of(TlsResultType.STARTTLS_NOT_SUPPORTED)
                    : Optional.empty();
        }
        Throwable t = failure;
        TlsResultType found = TlsResultType.VALIDATION_FAILURE;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
            if (t instanceof CertificateExpiredException
                    || t instanceof CertificateNotYetValidException) {
                return Optional.of(TlsResultType.CERTIFICATE_EXPIRED);
            }
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("can't verify identity of server")
                    || m.contains("no subject alternative")
                    || m.contains("no name matching")
                    || m.contains("certificate not issued for")) {
                return Optional.of(TlsResultType.CERTIFICATE_HOST_MISMATCH);
            }
            if (t instanceof CertPathBuilderException
                    || m.contains("unable to find valid certification path")
                    || m.contains("pkix path building failed")) {
                found = TlsResultType.CERTIFICATE_NOT_TRUSTED;
            } else if (m.contains("validity check failed")) {
                found = TlsResultType.CERTIFICATE_EXPIRED;
            }
        }
        return Optional.of(found);
    }
}
