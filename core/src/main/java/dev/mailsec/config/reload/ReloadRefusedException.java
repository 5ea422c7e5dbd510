package dev.mailsec.config.reload;

/**
 * A configuration file that cannot be applied: its message is the one the start gives for the same
 * file (naming the element or parameter and the bad value), and the running configuration stays.
 */
public final class ReloadRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    public ReloadRefusedException(String message, Throwable cause) {
        super(message, cause);
    }

    public ReloadRefusedException(String message) {
        super(message);
    }
}
