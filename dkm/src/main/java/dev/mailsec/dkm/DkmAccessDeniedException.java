package dev.mailsec.dkm;

/** A permanent refusal: the caller is not entitled to the operation (or its grant has expired). */
public class DkmAccessDeniedException extends DkmException {
    private static final long serialVersionUID = 1L;

    public DkmAccessDeniedException(String message) {
        super(message);
    }
}
