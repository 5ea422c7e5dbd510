package dev.mailsec.tls.connector.dane;

/** A TLSA record that cannot be read at all (not one that is merely unusable). */
public final class MalformedTlsaException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedTlsaException(String message) {
        super(message);
    }
}
