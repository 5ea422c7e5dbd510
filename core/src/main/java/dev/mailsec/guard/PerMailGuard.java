package dev.mailsec.guard;

import java.util.Arrays;
import javax.mail.MessagingException;

/**
 * Keeps an {@link Error} thrown while one mail is processed to that mail. James 3.8.1 routes a
 * {@link MessagingException} or {@link RuntimeException} from {@code service()} or {@code match()}
 * by the mailet's {@code onMailetException} / {@code onMatchException} (default: the {@code error}
 * processor), but lets an {@code Error} through: it kills the spooler thread that met it, and once
 * the threads are gone, mail accepted with 250 stays in the spool undelivered (issue 13: a
 * signature nested 20,000 deep, one {@code StackOverflowError} per message). Every mailet's {@code
 * service()} and matcher's {@code match()} in this pack runs its work through here; the error comes
 * out as a {@code MessagingException} naming the mailet or matcher, the error kept as its cause.
 *
 * <p>Which errors: every {@link Error} but {@code ThreadDeath}, which stops a thread on purpose.
 * {@link OutOfMemoryError} included: the usual one here is one mail's allocation that cannot be met
 * (a huge declared length, a message larger than an array); once it has unwound, that memory is
 * free, and the next mail is processed normally. If the heap is really exhausted, every mail goes
 * to the error processor and stays in its repository, which an operator sees and can reprocess,
 * rather than a spool that stops without a word. {@link StackOverflowError} included: the stack is
 * whole again once the error has unwound to here.
 */
public final class PerMailGuard {

    /**
     * Frames kept of a {@code StackOverflowError}: its 1,024 frames of one recursion say nothing
     * more.
     */
    private static final int STACK_OVERFLOW_FRAMES = 32;

    private PerMailGuard() {}

    /** A mailet's work on one mail. */
    @FunctionalInterface
    public interface Work {
        void run() throws MessagingException;
    }

    /** A matcher's work on one mail. */
    @FunctionalInterface
    public interface Call<T> {
        T call() throws MessagingException;
    }

    /**
     * Runs {@code work}; an {@code Error} it throws comes out as a {@code MessagingException}
     * naming {@code component}.
     */
    public static void run(String component, Work work) throws MessagingException {
        try {
            work.run();
        } catch (ThreadDeath e) {
            throw e;
        } catch (Error e) {
            throw contained(component, e);
        }
    }

    /** As {@link #run}, for work with a result. */
    public static <T> T call(String component, Call<T> work) throws MessagingException {
        try {
            return work.call();
        } catch (ThreadDeath e) {
            throw e;
        } catch (Error e) {
            throw contained(component, e);
        }
    }

    private static MessagingException contained(String component, Error e) {
        if (e instanceof StackOverflowError && e.getStackTrace().length > STACK_OVERFLOW_FRAMES) {
            e.setStackTrace(Arrays.copyOf(e.getStackTrace(), STACK_OVERFLOW_FRAMES));
        }
        return new MessagingException(
                component + ": " + e.getClass().getSimpleName() + " while processing this mail",
                new ContainedError(e));
    }

    /**
     * Carries the {@code Error} as the cause of the {@code MessagingException} (whose cause must be
     * an {@code Exception}).
     */
    public static final class ContainedError extends Exception {

        private static final long serialVersionUID = 1L;

        ContainedError(Error error) {
            super(error.toString(), error);
        }
    }
}
