package dev.mailsec.rights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.dkm.spi.Write;
import dev.mailsec.dkm.store.FileStorage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rights store's one compare-and-set loop, against a real file storage and a second writer. */
class RightsRecordsTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir Path dir;
    FileStorage storage;
    RightsRecords records;

    @BeforeEach
    void setUp() throws Exception {
        storage = FileStorage.create(dir.resolve("store"));
        records = new RightsRecords(storage);
    }

    @AfterEach
    void tearDown() {
        records.close();
    }

    @Test
    void aTransactionThatLostARaceShouldRunAgainOnFreshReads() throws Exception {
        List<List<String>> seen = new ArrayList<>();
        String result =
                records.update(
                        "index",
                        (tx, attempt) -> {
                            MessageIndex idx =
                                    tx.read("i/x", MessageIndex.CODEC).orElse(MessageIndex.EMPTY);
                            seen.add(idx.licenceIds());
                            if (attempt == 0) {
                                sneak(
                                        "i/x",
                                        MessageIndex.CODEC,
                                        MessageIndex.EMPTY.with("other-writer"));
                            }
                            tx.put("i/x", MessageIndex.CODEC, idx.with("mine"));
                            return "done " + attempt;
                        });

        assertThat(result).isEqualTo("done 1");
        assertThat(seen).containsExactly(List.of(), List.of("other-writer"));
        assertThat(records.get("i/x", MessageIndex.CODEC).orElseThrow().licenceIds())
                .containsExactly("other-writer", "mine");
    }

    @Test
    void aTransactionThatKeepsLosingShouldGiveUpNamingWhatItDid() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        assertThatThrownBy(
                        () ->
                                records.update(
                                        "record abc",
                                        (tx, attempt) -> {
                                            runs.incrementAndGet();
                                            RateWindow w =
                                                    tx.read("r/c/x", RateWindow.CODEC)
                                                            .orElse(RateWindow.EMPTY);
                                            sneak(
                                                    "r/c/x",
                                                    RateWindow.CODEC,
                                                    RateWindow.EMPTY.plus(
                                                            T0.plusSeconds(attempt),
                                                            1000,
                                                            RateLimitedException.Scope.CLIENT));
                                            tx.put(
                                                    "r/c/x",
                                                    RateWindow.CODEC,
                                                    w.plus(
                                                            T0,
                                                            1000,
                                                            RateLimitedException.Scope.CLIENT));
                                            return null;
                                        }))
                .isInstanceOf(RightsStoreUnavailableException.class)
                .hasMessage("record abc: too much concurrent writing");
        assertThat(runs).hasValue(RightsRecords.RETRIES);
    }

    @Test
    void aTransactionThatStagesNothingShouldEndAtOnce() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        boolean found =
                records.update(
                        "read",
                        (tx, attempt) -> {
                            runs.incrementAndGet();
                            return tx.read("m/none", StoredMessage.CODEC).isPresent();
                        });
        assertThat(found).isFalse();
        assertThat(runs).hasValue(1);
    }

    /**
     * Another writer (node, process) changes the record between the transaction's read and its
     * write.
     */
    private <T> void sneak(String key, RecordCodec<T> codec, T value) {
        try {
            long rev = storage.get(key).map(r -> r.revision()).orElse(0L);
            storage.write(List.of(new Write(key, rev, codec.encode(value))));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
