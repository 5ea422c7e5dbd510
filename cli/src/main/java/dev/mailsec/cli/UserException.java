package dev.mailsec.cli;

/**
 * A refusal or bad input that the operator can act on: printed as one line, exit code 1 (refused)
 * or 2 (bad input). Never carries secret values in its message.
 */
public class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public UserException(String message) {
        this(message, 1);
    }

    public UserException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
