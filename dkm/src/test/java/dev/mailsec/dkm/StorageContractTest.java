package dev.mailsec.dkm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.dkm.spi.Storage;
import dev.mailsec.dkm.spi.StoredRecord;
import dev.mailsec.dkm.spi.Write;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The storage SPI contract; every backend runs the same tests. */
abstract class StorageContractTest {
    Backend backend;
    Storage storage;

    abstract Backend backend(Path tmp);

    @BeforeEach
    void setUp(@TempDir Path tmp) throws Exception {
        backend = backend(tmp);
        storage = backend.create();
    }

    @AfterEach
    void tearDown() throws Exception {
        storage.close();
        backend.cleanUp();
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void writeShouldCreateAtRevisionOneAndGetShouldReturnIt() throws Exception {
        storage.write(List.of(new Write("secret/a", 0, b("one"))));
        StoredRecord r = storage.get("secret/a").get();
        assertThat(r.revision()).isEqualTo(1);
        assertThat(r.value()).isEqualTo(b("one"));
        assertThat(storage.get("secret/b")).isEmpty();
    }

    @Test
    void writeShouldRefuseAStaleRevisionAndWriteNothing() throws Exception {
        storage.write(List.of(new Write("k1", 0, b("v1")), new Write("k2", 0, b("v1"))));
        storage.write(List.of(new Write("k1", 1, b("v2"))));
        assertThatThrownBy(
                        () ->
                                storage.write(
                                        List.of(
                                                new Write("k2", 1, b("new")),
                                                new Write("k1", 1, b("stale")))))
                .isInstanceOf(Storage.ConflictException.class)
                .hasMessageContaining("k1");
        assertThat(storage.get("k2").get().value()).isEqualTo(b("v1"));
        assertThat(storage.get("k1").get().value()).isEqualTo(b("v2"));
        assertThatThrownBy(() -> storage.write(List.of(new Write("k1", 0, b("again")))))
                .isInstanceOf(Storage.ConflictException.class);
    }

    @Test
    void listShouldReturnKeysWithThePrefixInOrder() throws Exception {
        List<Write> writes = new ArrayList<>();
        for (String k : Arrays.asList("secret/b", "group/x", "secret/a", "secret/c/d", "secretx")) {
            writes.add(new Write(k, 0, b(k)));
        }
        storage.write(writes);
        assertThat(
                        storage.list("secret/").stream()
                                .map(StoredRecord::key)
                                .collect(Collectors.toList()))
                .containsExactly("secret/a", "secret/b", "secret/c/d");
        assertThat(storage.list("")).hasSize(5);
    }

    @Test
    void auditShouldAppendInOrderAndPassTheLastLine() throws Exception {
        List<String> seen = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            int n = i;
            storage.appendAudit(
                    last -> {
                        seen.add(String.valueOf(last));
                        return "line " + n;
                    },
                    n % 2 == 0);
        }
        assertThat(seen).containsExactly("null", "line 1", "line 2");
        assertThat(storage.readAudit()).containsExactly("line 1", "line 2", "line 3");
    }

    @Test
    void everyAppendShouldReplaceTheHeadCheckpoint() throws Exception {
        assertThat(storage.readAuditHead()).isEmpty();
        storage.appendAudit(last -> "a fairly long first line, longer than the next", true);
        assertThat(storage.readAuditHead())
                .contains("a fairly long first line, longer than the next");
        storage.appendAudit(last -> "short", false);
        assertThat(storage.readAuditHead()).contains("short");
        try (Storage other = backend.reopen()) {
            other.appendAudit(last -> "from another handle", false);
            assertThat(storage.readAuditHead()).contains("from another handle");
        }
    }

    @Test
    void concurrentWritersThroughTwoHandlesShouldLoseNoUpdate() throws Exception {
        storage.write(List.of(new Write("counter", 0, b("0"))));
        Storage other = backend.reopen();
        try {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Storage s = t % 2 == 0 ? storage : other;
                fs.add(
                        pool.submit(
                                () -> {
                                    for (int i = 0; i < 25; i++) {
                                        while (true) {
                                            StoredRecord r = s.get("counter").get();
                                            int v =
                                                    Integer.parseInt(
                                                            new String(
                                                                    r.value(),
                                                                    StandardCharsets.UTF_8));
                                            try {
                                                s.write(
                                                        List.of(
                                                                new Write(
                                                                        "counter",
                                                                        r.revision(),
                                                                        b(
                                                                                Integer.toString(
                                                                                        v + 1)))));
                                                break;
                                            } catch (Storage.ConflictException e) {
                                                // retry
                                            }
                                        }
                                    }
                                    return null;
                                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            pool.shutdown();
        } finally {
            other.close();
        }
        StoredRecord r = storage.get("counter").get();
        assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("100");
        assertThat(r.revision()).isEqualTo(101);
    }

    @Test
    void concurrentAuditAppendsShouldChainWithoutGaps() throws Exception {
        Storage other = backend.reopen();
        try {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Storage s = t % 2 == 0 ? storage : other;
                fs.add(
                        pool.submit(
                                () -> {
                                    for (int i = 0; i < 20; i++) {
                                        s.appendAudit(
                                                last ->
                                                        Integer.toString(
                                                                last == null
                                                                        ? 1
                                                                        : Integer.parseInt(last)
                                                                                + 1),
                                                false);
                                    }
                                    return null;
                                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            pool.shutdown();
        } finally {
            other.close();
        }
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 80; i++) {
            expected.add(Integer.toString(i));
        }
        assertThat(storage.readAudit()).isEqualTo(expected);
    }

    @Test
    @Timeout(60)
    void aBuilderThatThrowsShouldLeaveTheAuditLogUsable() throws Exception {
        storage.appendAudit(last -> "line 1", true);
        assertThatThrownBy(
                        () ->
                                storage.appendAudit(
                                        last -> {
                                            throw new IllegalStateException("refused");
                                        },
                                        true))
                .isInstanceOf(IllegalStateException.class);
        Storage other = backend.reopen();
        try {
            other.appendAudit(last -> "after " + last, true);
            storage.appendAudit(last -> "then " + last, false);
        } finally {
            other.close();
        }
        assertThat(storage.readAudit())
                .containsExactly("line 1", "after line 1", "then after line 1");
    }

    @Test
    void emptyStoreShouldHaveNoAuditAndNoRecords() throws Exception {
        assertThat(storage.readAudit()).isEqualTo(Collections.emptyList());
        assertThat(storage.list("")).isEmpty();
    }
}
