package dev.mailsec.rights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.dkm.DkmUnavailableException;
import dev.mailsec.dkm.spi.Storage;
import dev.mailsec.dkm.spi.StoredRecord;
import dev.mailsec.dkm.spi.Write;
import dev.mailsec.dkm.store.FileStorage;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The access log's group commit against a real file storage: the first appender's write is held
 * open (a gate in front of the storage) until the others have queued, so the batches are known
 * without timing.
 */
class AccessLogTest {
    private static final String LICENCE = "LicenceForTheLogTest01";
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    @TempDir Path dir;
    GatedStorage storage;
    AccessLog log;
    ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void setUp() throws Exception {
        storage = new GatedStorage(FileStorage.create(dir.resolve("store")));
        log = new AccessLog(new RightsRecords(storage), new SecureRandom(), true);
    }

    @AfterEach
    void tearDown() throws IOException {
        threads.shutdownNow();
        storage.close();
    }

    @Test
    void appendersQueuedBehindAWriteShouldBeWrittenTogetherAndAllBeDurable() throws Exception {
        Future<?> first = holdFirstWrite(event(0));
        List<Future<?>> others = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            AccessEvent e = event(i);
            others.add(threads.submit(() -> append(e)));
        }
        awaitQueued(10);
        storage.open();

        first.get(30, TimeUnit.SECONDS);
        for (Future<?> f : others) {
            f.get(30, TimeUnit.SECONDS);
        }
        assertThat(storage.batches).containsExactly(1, 10);
        // durable: a storage opened afresh on the directory has every event
        try (FileStorage again = FileStorage.open(dir.resolve("store"))) {
            List<AccessEvent> read =
                    new AccessLog(new RightsRecords(again), new SecureRandom(), true)
                            .of(List.of(LICENCE));
            assertThat(details(read))
                    .containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
        }
    }

    @Test
    void aFailedBatchWriteShouldFailEveryAppenderInItAndNoOther() throws Exception {
        Future<?> first = holdFirstWrite(event(0));
        List<Future<?>> others = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            AccessEvent e = event(i);
            others.add(threads.submit(() -> append(e)));
        }
        awaitQueued(5);
        storage.failNextWrite = true;
        storage.open();

        first.get(30, TimeUnit.SECONDS);
        for (Future<?> f : others) {
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(RightsStoreUnavailableException.class)
                    .hasMessageContaining("store went away");
        }
        assertThat(storage.batches).containsExactly(1, 5);
        assertThat(details(log.of(List.of(LICENCE)))).containsExactly("0");
    }

    @Test
    void aKeyCollisionInABatchShouldFailOnlyItsAppender() throws Exception {
        // every nonce zero: two events of one licence in the same millisecond have the same key
        log = new AccessLog(new RightsRecords(storage), new ZeroRandom(), true);
        Future<?> first = holdFirstWrite(event(0));
        Future<?> before = threads.submit(() -> append(event(1)));
        awaitQueued(1);
        Future<?> collides = threads.submit(() -> append(event(0)));
        awaitQueued(2);
        Future<?> after = threads.submit(() -> append(event(2)));
        awaitQueued(3);
        storage.open();

        first.get(30, TimeUnit.SECONDS);
        before.get(30, TimeUnit.SECONDS);
        after.get(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> collides.get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("event key collision");
        assertThat(details(log.of(List.of(LICENCE)))).containsExactly("0", "1", "2");
    }

    @Test
    void aQueueLongerThanOneBatchShouldBeWrittenInSeveralAndLoseNothing() throws Exception {
        Future<?> first = holdFirstWrite(event(0));
        List<Future<?>> others = new ArrayList<>();
        int n = AccessLog.MAX_BATCH + 5;
        for (int i = 1; i <= n; i++) {
            AccessEvent e = event(i);
            others.add(threads.submit(() -> append(e)));
        }
        awaitQueued(n);
        storage.open();

        first.get(30, TimeUnit.SECONDS);
        for (Future<?> f : others) {
            f.get(30, TimeUnit.SECONDS);
        }
        assertThat(storage.batches).containsExactly(1, AccessLog.MAX_BATCH, 5);
        assertThat(details(log.of(List.of(LICENCE)))).hasSize(n + 1).doesNotHaveDuplicates();
    }

    @Test
    void manyConcurrentAppendersShouldLoseNoEvent() throws Exception {
        List<Future<?>> all = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            all.add(
                    threads.submit(
                            () -> {
                                for (int i = 0; i < 25; i++) {
                                    append(event(thread * 100 + i));
                                }
                                return null;
                            }));
        }
        for (Future<?> f : all) {
            f.get(60, TimeUnit.SECONDS);
        }
        List<String> read = details(log.of(List.of(LICENCE)));
        assertThat(read).hasSize(200).doesNotHaveDuplicates();
        assertThat(storage.batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(200);
    }

    /** Starts appending {@code e} and returns once its write is held at the gate. */
    private Future<?> holdFirstWrite(AccessEvent e) throws Exception {
        storage.closeGate();
        Future<?> f = threads.submit(() -> append(e));
        assertThat(storage.entered.await(30, TimeUnit.SECONDS)).isTrue();
        return f;
    }

    private Void append(AccessEvent e) throws RightsStoreUnavailableException {
        log.append(e);
        return null;
    }

    private void awaitQueued(int n) throws InterruptedException {
        while (log.queued() < n) {
            Thread.sleep(5);
        }
    }

    /** Event {@code i}: its detail is {@code i}, its time T0 + i ms (the log's order). */
    private static AccessEvent event(int i) {
        return new AccessEvent(
                T0.plusMillis(i),
                LICENCE,
                "carol@external.test",
                EventType.OPENED,
                Channel.PORTAL,
                "192.0.2.1",
                Integer.toString(i));
    }

    private static List<String> details(List<AccessEvent> events) {
        return events.stream().map(AccessEvent::detail).collect(Collectors.toList());
    }

    /** Random bytes that are all zero. */
    private static final class ZeroRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;

        @Override
        public void nextBytes(byte[] bytes) {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * A real storage behind a gate: the first write after {@link #closeGate} waits for {@link
     * #open}; {@link #failNextWrite} makes the next write fail as an unreachable store does.
     * Records the size of every write.
     */
    private static final class GatedStorage implements Storage {
        final FileStorage real;
        final List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch entered = new CountDownLatch(1);
        final AtomicBoolean holdNext = new AtomicBoolean();
        final CountDownLatch held = new CountDownLatch(1);
        volatile boolean failNextWrite;

        GatedStorage(FileStorage real) {
            this.real = real;
        }

        void closeGate() {
            holdNext.set(true);
        }

        void open() {
            held.countDown();
        }

        @Override
        public void write(List<Write> writes) throws ConflictException, DkmUnavailableException {
            batches.add(writes.size());
            if (holdNext.getAndSet(false)) {
                entered.countDown();
                try {
                    held.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else if (failNextWrite) {
                failNextWrite = false;
                throw new DkmUnavailableException("store went away");
            }
            real.write(writes);
        }

        @Override
        public Optional<StoredRecord> get(String key) throws DkmUnavailableException {
            return real.get(key);
        }

        @Override
        public List<StoredRecord> list(String prefix) throws DkmUnavailableException {
            return real.list(prefix);
        }

        @Override
        public void appendAudit(AuditLineBuilder builder, boolean durable)
                throws DkmUnavailableException {
            real.appendAudit(builder, durable);
        }

        @Override
        public Optional<String> readAuditHead() throws DkmUnavailableException {
            return real.readAuditHead();
        }

        @Override
        public List<String> readAudit() throws DkmUnavailableException {
            return real.readAudit();
        }

        @Override
        public void close() throws IOException {
            real.close();
        }
    }
}
