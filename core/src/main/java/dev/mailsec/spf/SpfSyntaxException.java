package dev.mailsec.spf;

/** A malformed SPF record or macro: permerror (RFC 7208 sections 4.6 and 7). */
public final class SpfSyntaxException extends Exception {

    private static final long serialVersionUID = 1L;

    public SpfSyntaxException(String message) {
        super(message);
    }
}
