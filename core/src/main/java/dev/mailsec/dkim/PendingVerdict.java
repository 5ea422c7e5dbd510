package dev.mailsec.dkim;

/**
 * A verifier's verdict on one message after its header section, which may still wait for the body
 * hashes registered in a {@link BodyHashers}.
 *
 * @param <R> the verdict
 */
public interface PendingVerdict<R> {

    /** Whether the verdict needs the body hashes. */
    boolean needsBody();

    /** The verdict; the body hashers must have had the whole body if {@link #needsBody()}. */
    R result();
}
