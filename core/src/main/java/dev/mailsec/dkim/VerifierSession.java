package dev.mailsec.dkim;

import java.io.OutputStream;

/**
 * One message's verification by a header-then-body verifier (DKIM, ARC): write the raw message
 * (header section, empty line, body; bare LF line endings are accepted) into it, then call {@link
 * #result()}. The header section is collected within the policy's bounds and checked once complete;
 * the body then streams through the body hashers the check registered, and is skipped once the
 * verdict is known. Not thread-safe; never throws for any input.
 *
 * @param <R> the verdict
 */
public abstract class VerifierSession<R> extends OutputStream {
    private final HeaderCollector header;
    private final int maxHeaderFields;
    private final BodyHashers bodies;
    private PendingVerdict<R> checked;
    private R result;

    protected VerifierSession(DkimPolicy policy, BodyHashes known) {
        this.header = new HeaderCollector(policy.maxHeaderBytes());
        this.maxHeaderFields = policy.maxHeaderFields();
        this.bodies = new BodyHashers(known);
    }

    /**
     * Checks the collected header section, registering the body hashes it needs in {@code bodies}.
     */
    protected abstract PendingVerdict<R> check(CollectedHeader header, BodyHashers bodies);

    /**
     * The body hashes of this message (the known ones and those computed), for a later verifier of
     * the same body; only after {@link #result()} of a session that was given the whole message.
     */
    public BodyHashes bodyHashes() {
        result();
        return bodies.finish();
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (result != null) {
            return;
        }
        if (checked == null) {
            int taken = header.take(b, off, len);
            if (taken < 0) {
                endHeaders();
                return;
            }
            if (header.complete()) {
                endHeaders();
            }
            off += taken;
            len -= taken;
        }
        if (result == null && checked != null && len > 0) {
            bodies.update(b, off, len);
        }
    }

    /**
     * Whether the verdict is known already and further bytes would be ignored: the header section
     * held nothing whose body hash is still to check, or broke a limit. A caller may then stop
     * writing and call {@link #result()}, sparing the body.
     */
    public boolean decided() {
        return result != null;
    }

    /** Ends the message (if not yet ended) and returns the verdict. */
    public R result() {
        close();
        return result;
    }

    @Override
    public void close() {
        if (checked == null) {
            // the message ended inside its header section: no body
            endHeaders();
        }
        if (result == null) {
            result = checked.result();
        }
    }

    private void endHeaders() {
        checked = check(header.collected(maxHeaderFields), bodies);
        if (!checked.needsBody()) {
            result = checked.result();
        }
    }
}
