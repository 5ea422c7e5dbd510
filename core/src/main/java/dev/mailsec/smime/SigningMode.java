package dev.mailsec.smime;

/** How the signature is attached. */
public enum SigningMode {
    /**
     * {@code multipart/signed}: clients without S/MIME still show the content (RFC 8551 section
     * 3.5.3).
     */
    DETACHED,
    /**
     * {@code application/pkcs7-mime; smime-type=signed-data}: survives gateways that rewrite MIME,
     * readable only by S/MIME clients.
     */
    OPAQUE
}
