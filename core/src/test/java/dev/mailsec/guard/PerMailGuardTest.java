package dev.mailsec.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import javax.mail.MessagingException;
import org.junit.jupiter.api.Test;

class PerMailGuardTest {

    static int recurse(int n) {
        return recurse(n + 1) + 1;
    }

    @Test
    void runShouldTurnAStackOverflowIntoAMessagingExceptionNamingTheMailetAndKeepingTheError() {
        Throwable t = catchThrowable(() -> PerMailGuard.run("VerifySmime", () -> recurse(0)));
        assertThat(t)
                .isInstanceOf(MessagingException.class)
                .hasMessage("VerifySmime: StackOverflowError while processing this mail");
        Throwable cause = ((MessagingException) t).getNextException();
        assertThat(cause)
                .isInstanceOf(PerMailGuard.ContainedError.class)
                .hasCauseInstanceOf(StackOverflowError.class);
        assertThat(cause.getCause().getStackTrace()).hasSizeLessThanOrEqualTo(32);
    }

    @Test
    void runShouldContainAnOutOfMemoryErrorToo() {
        assertThatThrownBy(
                        () ->
                                PerMailGuard.run(
                                        "DecryptSmime",
                                        () -> {
                                            throw new OutOfMemoryError(
                                                    "Requested array size exceeds VM limit");
                                        }))
                .isInstanceOf(MessagingException.class)
                .hasMessage("DecryptSmime: OutOfMemoryError while processing this mail")
                .hasRootCauseMessage("Requested array size exceeds VM limit");
    }

    @Test
    void callShouldReturnTheResultAndContainErrorsOfAMatcher() throws MessagingException {
        assertThat(PerMailGuard.call("IsSmimeSigned", () -> List.of("a"))).containsExactly("a");
        assertThatThrownBy(
                        () ->
                                PerMailGuard.call(
                                        "IsSmimeSigned",
                                        () -> {
                                            throw new AssertionError("boom");
                                        }))
                .isInstanceOf(MessagingException.class)
                .hasMessage("IsSmimeSigned: AssertionError while processing this mail");
    }

    @Test
    void exceptionsAndThreadDeathPassUnchanged() {
        MessagingException own = new MessagingException("own");
        assertThat(
                        catchThrowable(
                                () ->
                                        PerMailGuard.run(
                                                "m",
                                                () -> {
                                                    throw own;
                                                })))
                .isSameAs(own);
        IllegalStateException runtime = new IllegalStateException("x");
        assertThat(
                        catchThrowable(
                                () ->
                                        PerMailGuard.run(
                                                "m",
                                                () -> {
                                                    throw runtime;
                                                })))
                .isSameAs(runtime);
        @SuppressWarnings("removal")
        ThreadDeath death = new ThreadDeath();
        assertThat(
                        catchThrowable(
                                () ->
                                        PerMailGuard.run(
                                                "m",
                                                () -> {
                                                    throw death;
                                                })))
                .isSameAs(death);
    }
}
