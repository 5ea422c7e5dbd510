package dev.mailsec.dkm.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.dkm.DkmUnavailableException;
import dev.mailsec.dkm.spi.StoredRecord;
import dev.mailsec.dkm.spi.Write;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one compare-and-set retry loop over a real file store: a batch is written all or nothing over
 * the revisions its attempt read, a conflict runs the attempt again on fresh reads, and the
 * attempts are bounded.
 */
class CompareAndSetTest {
    @TempDir Path tmp;
    private FileStorage storage;
    private final List<Integer> pauses = new ArrayList<>();
    private CompareAndSet<DkmUnavailableException> loop;

    @BeforeEach
    void setUp() throws Exception {
        storage = FileStorage.create(tmp.resolve("store"));
        storage.write(
                List.of(new Write("a", 0, new byte[] {0}), new Write("b", 0, new byte[] {0})));
        loop =
                new CompareAndSet<>(
                        storage::write,
                        3,
                        (attempt, what) -> pauses.add(attempt),
                        what -> new DkmUnavailableException("gave up on " + what));
    }

    @AfterEach
    void tearDown() throws Exception {
        storage.close();
    }

    @Test
    void aConflictOnOneRecordShouldWriteNeitherAndRunTheAttemptAgainOnFreshReads()
            throws Exception {
        List<Long> revisionsOfB = new ArrayList<>();
        String result =
                loop.run(
                        "a and b",
                        (attempt, writes) -> {
                            StoredRecord a = storage.get("a").get();
                            StoredRecord b = storage.get("b").get();
                            revisionsOfB.add(b.revision());
                            if (attempt == 0) {
                                // another writer changes b after our read
                                storage.write(
                                        List.of(new Write("b", b.revision(), new byte[] {9})));
                            }
                            writes.add(new Write("a", a.revision(), new byte[] {1}));
                            writes.add(new Write("b", b.revision(), new byte[] {1}));
                            return "attempt " + attempt;
                        });
        assertThat(result).isEqualTo("attempt 1");
        assertThat(revisionsOfB).containsExactly(1L, 2L);
        assertThat(pauses).containsExactly(0);
        // a was written once (by the second attempt): the first batch left it alone
        assertThat(storage.get("a").get().revision()).isEqualTo(2);
        assertThat(storage.get("b").get().value()).containsExactly(1);
    }

    @Test
    void theLastLostAttemptShouldGiveUpWithTheCallersException() {
        int[] runs = {0};
        assertThatThrownBy(
                        () ->
                                loop.run(
                                        "b",
                                        (attempt, writes) -> {
                                            runs[0]++;
                                            long rev = storage.get("b").get().revision();
                                            storage.write(
                                                    List.of(new Write("b", rev, new byte[] {2})));
                                            writes.add(new Write("b", rev, new byte[] {3}));
                                            return null;
                                        }))
                .isInstanceOf(DkmUnavailableException.class)
                .hasMessage("gave up on b");
        assertThat(runs[0]).isEqualTo(3);
        assertThat(pauses).containsExactly(0, 1);
    }

    @Test
    void anAttemptThatStagesNothingShouldEndAtOnce() throws Exception {
        Optional<StoredRecord> before = storage.get("a");
        Integer result = loop.run("a", (attempt, writes) -> attempt);
        assertThat(result).isZero();
        assertThat(storage.get("a").get().revision()).isEqualTo(before.get().revision());
        assertThat(pauses).isEmpty();
    }
}
