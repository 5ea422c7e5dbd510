package dev.mailsec.smime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * A byte buffer for a message going into or coming out of the engine, read in place: {@link #in()}
 * gives the bytes without the copy {@code toByteArray()} makes. Given one as its output, the
 * engine's base64 writer puts its lines straight into the buffer instead of writing them from a
 * block of its own (one copy fewer of the ~1.4 MB an encrypted 1 MB message takes). Like the
 * engine's streams, one buffer serves one writer at a time: {@link #reserve} and {@link #advance}
 * are two calls.
 */
public final class SmimeBuffer extends ByteArrayOutputStream {

    public SmimeBuffer(int size) {
        super(size);
    }

    /**
     * Sized for a result of about {@code percent} % of {@code input}, plus room for the header
     * fields the engine adds.
     */
    public static SmimeBuffer sizedFor(int input, int percent) {
        return new SmimeBuffer(
                (int) Math.min(Integer.MAX_VALUE - 16, (long) input * percent / 100 + 8192));
    }

    /**
     * The bytes written so far, as a stream over the buffer itself; later writes do not show in it.
     */
    public synchronized ByteArrayInputStream in() {
        return new ByteArrayInputStream(buf, 0, count);
    }

    /** The buffer itself; its first {@link #size()} bytes are the content. */
    public synchronized byte[] array() {
        return buf;
    }

    /**
     * The buffer with room for {@code n} more bytes after {@link #size()}, for a writer that fills
     * them in place and then calls {@link #advance}.
     */
    public synchronized byte[] reserve(int n) {
        if (buf.length - count < n) {
            long wanted = Math.max((long) buf.length * 2, (long) count + n);
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new OutOfMemoryError("message larger than a byte array");
            }
            buf = Arrays.copyOf(buf, (int) wanted);
        }
        return buf;
    }

    /** Counts {@code n} bytes written in place after a {@link #reserve}. */
    public synchronized void advance(int n) {
        if (n < 0 || count + n > buf.length) {
            throw new IndexOutOfBoundsException("advance " + n + " past the buffer");
        }
        count += n;
    }
}
