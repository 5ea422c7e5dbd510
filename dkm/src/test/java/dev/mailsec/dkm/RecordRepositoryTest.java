package dev.mailsec.dkm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.dkm.internal.GroupRecord;
import dev.mailsec.dkm.store.FileStorage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one compare-and-set retry loop: a concurrent change is never overwritten, and retries are
 * bounded.
 */
class RecordRepositoryTest {
    @TempDir Path tmp;
    private FileStorage raw;
    private RecordRepository repo;

    /** A second writer on the same store (another session, thread or process). */
    private RecordRepository other;

    private final List<Integer> pauses = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        raw = FileStorage.create(tmp.resolve("store"));
        repo = new RecordRepository(storage(), (attempt, key) -> pauses.add(attempt));
        other = new RecordRepository(storage());
        assertThat(repo.insert(RecordType.GROUP, "g", group("g"))).isTrue();
    }

    @AfterEach
    void tearDown() throws Exception {
        raw.close();
    }

    @Test
    void updateShouldStartAgainFromAFreshReadWhenAnotherWriterChangedTheRecord() throws Exception {
        List<List<String>> seen = new ArrayList<>();
        String result =
                repo.update(
                        RecordType.GROUP,
                        "g",
                        g -> {
                            seen.add(new ArrayList<>(g.memberSealed.keySet()));
                            if (seen.size() == 1) {
                                addMember(other, "theirs");
                            }
                            g.memberSealed.put("mine", new byte[] {1});
                            return "done";
                        });
        assertThat(result).isEqualTo("done");
        assertThat(seen).containsExactly(List.of(), List.of("theirs"));
        assertThat(pauses).containsExactly(0);
        assertThat(repo.get(RecordType.GROUP, "g").memberSealed).containsOnlyKeys("mine", "theirs");
    }

    @Test
    void updateShouldGiveUpAfterTheLastRetryWithoutOverwritingTheOtherWriter() throws Exception {
        int[] attempts = {0};
        assertThatThrownBy(
                        () ->
                                repo.update(
                                        RecordType.GROUP,
                                        "g",
                                        g -> {
                                            addMember(other, "theirs-" + attempts[0]++);
                                            g.memberSealed.clear();
                                            return null;
                                        }))
                .isInstanceOf(DkmUnavailableException.class)
                .hasMessage(
                        "gave up after "
                                + RecordRepository.MAX_RETRIES
                                + " concurrent changes of group/g");
        assertThat(attempts[0]).isEqualTo(RecordRepository.MAX_RETRIES + 1);
        assertThat(pauses).hasSize(RecordRepository.MAX_RETRIES);
        assertThat(repo.get(RecordType.GROUP, "g").memberSealed)
                .hasSize(RecordRepository.MAX_RETRIES + 1);
    }

    @Test
    void aMutationThatThrowsShouldWriteNothing() throws Exception {
        long before = repo.load(RecordType.GROUP, "g").revision;
        assertThatThrownBy(
                        () ->
                                repo.update(
                                        RecordType.GROUP,
                                        "g",
                                        g -> {
                                            g.memberSealed.put("x", new byte[] {1});
                                            throw new DkmInvalidRequestException("no");
                                        }))
                .hasMessage("no");
        assertThat(repo.load(RecordType.GROUP, "g").revision).isEqualTo(before);
        assertThat(repo.get(RecordType.GROUP, "g").memberSealed).isEmpty();
    }

    @Test
    void updateShouldNameAMissingRecordLikeALoad() {
        assertThatThrownBy(() -> repo.update(RecordType.GROUP, "nope", g -> null))
                .isInstanceOf(DkmNotFoundException.class)
                .hasMessage("group: no such group 'nope'");
    }

    @Test
    void updateIfPresentShouldSkipMissingRecordsAndWriteNothingWhenNothingChanged()
            throws Exception {
        assertThat(repo.updateIfPresent(RecordType.GROUP, "nope", g -> 1, n -> n > 0)).isEmpty();
        long before = repo.load(RecordType.GROUP, "g").revision;
        assertThat(repo.updateIfPresent(RecordType.GROUP, "g", g -> 0, n -> n > 0)).contains(0);
        assertThat(repo.load(RecordType.GROUP, "g").revision).isEqualTo(before);
        assertThat(
                        repo.updateIfPresent(
                                RecordType.GROUP,
                                "g",
                                g -> {
                                    g.memberSealed.put("m", new byte[] {1});
                                    return 1;
                                },
                                n -> n > 0))
                .isEqualTo(Optional.of(1));
        assertThat(repo.load(RecordType.GROUP, "g").revision).isEqualTo(before + 1);
    }

    @Test
    void insertShouldRefuseAnExistingName() throws Exception {
        assertThat(repo.insert(RecordType.GROUP, "g", group("g"))).isFalse();
    }

    private static void addMember(RecordRepository writer, String member) throws DkmException {
        writer.update(RecordType.GROUP, "g", g -> g.memberSealed.put(member, new byte[] {2}));
    }

    private static GroupRecord group(String name) {
        GroupRecord g = new GroupRecord();
        g.name = name;
        GroupRecord.KeyVersion v = new GroupRecord.KeyVersion();
        v.version = 1;
        v.state = VersionState.PRIMARY;
        g.versions.add(v);
        g.rootKeyId = "root-1";
        g.keysetRootWrapped = new byte[] {0};
        return g;
    }

    /**
     * A store without keys and without meta (records written as before MACs), so no session is
     * needed.
     */
    private AuthenticatedStorage storage() {
        AuthenticatedStorage s = new AuthenticatedStorage(raw);
        s.keys(
                new AuthenticatedStorage.Keys() {
                    @Override
                    public byte[] rootAuditKey() {
                        return null;
                    }

                    @Override
                    public byte[] groupKey(String group, int version) {
                        return null;
                    }

                    @Override
                    public int groupWriteVersion(String group) {
                        return 1;
                    }

                    @Override
                    public byte[] auditKey(String identity) {
                        return null;
                    }

                    @Override
                    public String self() {
                        return "test";
                    }

                    @Override
                    public void commit(String keysAndCounters) {}
                });
        return s;
    }
}
