package dev.mailsec.smime;

import java.io.IOException;
import java.net.URI;
import java.security.cert.X509Certificate;

/** Asks a certificate's OCSP responder (RFC 6960) for its revocation status. */
public interface OcspSource {

    /** What a responder said about one certificate. */
    enum Status {
        GOOD,
        REVOKED,
        UNKNOWN
    }

    /**
     * @param responder the responder named in the certificate's Authority Information Access
     * @throws IOException when the responder cannot be reached, refuses, or its answer cannot be
     *     trusted (bad signature, wrong certificate, stale, nonce mismatch)
     */
    Status check(URI responder, X509Certificate certificate, X509Certificate issuer)
            throws IOException;
}
