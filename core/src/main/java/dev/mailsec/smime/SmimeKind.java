package dev.mailsec.smime;

/** What kind of S/MIME wrapper a message's top-level Content-Type announces. */
public enum SmimeKind {
    /** {@code multipart/signed} with a PKCS#7 signature part. */
    SIGNED_DETACHED,
    /** {@code application/pkcs7-mime; smime-type=signed-data}. */
    SIGNED_OPAQUE,
    /** {@code application/pkcs7-mime; smime-type=enveloped-data} or {@code authEnveloped-data}. */
    ENCRYPTED,
    /** Anything else. */
    NONE;

    public boolean isSigned() {
        return this == SIGNED_DETACHED || this == SIGNED_OPAQUE;
    }
}
