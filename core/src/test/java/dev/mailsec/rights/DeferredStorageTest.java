package dev.mailsec.rights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.dkm.DkmUnavailableException;
import dev.mailsec.dkm.spi.Write;
import dev.mailsec.dkm.store.FileStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rights store that was down when its process started: opened by the first use that reaches it,
 * tried again at most once per pause while it stays down; a wrong configuration still fails at
 * once.
 */
class DeferredStorageTest {

    @TempDir Path dir;

    final AtomicLong clock = new AtomicLong();
    final AtomicInteger attempts = new AtomicInteger();
    volatile boolean reachable;

    private DeferredStorage deferred() {
        return new DeferredStorage(
                () -> {
                    attempts.incrementAndGet();
                    if (!reachable) {
                        throw new DkmUnavailableException("connection refused");
                    }
                    return FileStorage.create(dir.resolve("store"));
                },
                new DkmUnavailableException("connection refused at start"),
                Duration.ofSeconds(5),
                clock::get);
    }

    @Test
    void aStoreDownAtStartShouldBeOpenedByTheFirstUseAfterItIsBack() throws Exception {
        try (DeferredStorage s = deferred()) {
            clock.set(Duration.ofSeconds(6).toNanos());
            assertThatThrownBy(() -> s.get("k")).hasMessageContaining("connection refused");
            assertThat(s.isOpen()).isFalse();

            reachable = true;
            clock.addAndGet(Duration.ofSeconds(6).toNanos());
            s.write(List.of(new Write("k", 0, "v".getBytes(StandardCharsets.UTF_8))));
            assertThat(s.isOpen()).isTrue();
            assertThat(s.get("k")).isPresent();
            assertThat(attempts).hasValue(2);
        }
    }

    @Test
    void usesWithinThePauseAfterAFailureShouldFailAtOnceWithoutConnecting() throws Exception {
        try (DeferredStorage s = deferred()) {
            reachable = true;
            // the failure at start was at 0: until 5 s later nobody connects, however many ask
            clock.set(Duration.ofSeconds(4).toNanos());
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> s.list("e/"))
                        .isInstanceOf(DkmUnavailableException.class)
                        .hasMessageContaining("connection refused at start");
            }
            assertThat(attempts).hasValue(0);

            clock.set(Duration.ofSeconds(5).toNanos());
            assertThat(s.list("e/")).isEmpty();
            assertThat(attempts).hasValue(1);
        }
    }

    @Test
    void aClosedStoreShouldNotBeOpened() throws Exception {
        DeferredStorage s = deferred();
        s.close();
        reachable = true;
        clock.set(Duration.ofMinutes(1).toNanos());
        assertThatThrownBy(() -> s.get("k")).hasMessageContaining("closed");
        assertThat(attempts).hasValue(0);
    }

    @Test
    void anUnreachablePostgresqlStoreShouldOpenLaterButAWrongOneFailAtOnce() throws Exception {
        // port 1: nothing listens, the connection is refused at once
        try (RightsStore store =
                RightsStore.openWhenReachable(
                        "jdbc:postgresql://127.0.0.1:1/mailsec?connectTimeout=2", "rights")) {
            assertThatThrownBy(() -> store.find("LicenceThatIsNotThere0"))
                    .isInstanceOf(RightsStoreUnavailableException.class);
        }
        assertThatThrownBy(
                        () ->
                                RightsStore.openWhenReachable(
                                        "jdbc:postgresql://127.0.0.1:1/mailsec", "no such schema"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("store.schema")
                .hasMessageContaining("no such schema");
        assertThatThrownBy(() -> RightsStore.openWhenReachable("jdbc:mysql://x/y", "rights"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:mysql://x/y");
    }
}
