package dev.mailsec.dkm.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.dkm.DkmUnavailableException;
import dev.mailsec.dkm.spi.StoreFormatException;
import dev.mailsec.dkm.spi.Write;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File-store specifics beyond the shared contract: torn audit tails, long lines, the store marker
 * and its format.
 */
class FileStorageTest {
    @TempDir Path tmp;

    @Test
    void aTornLastAuditLineShouldBeIgnoredAndCutOffByTheNextAppend() throws Exception {
        try (FileStorage s = FileStorage.create(tmp.resolve("data"))) {
            s.appendAudit(last -> "one", true);
            Files.write(
                    tmp.resolve("data/audit.log"),
                    "half-writ".getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.APPEND);
            assertThat(s.readAudit()).containsExactly("one");
            List<String> seen = new ArrayList<>();
            s.appendAudit(
                    last -> {
                        seen.add(last);
                        return "two";
                    },
                    false);
            assertThat(seen).containsExactly("one");
            assertThat(
                            new String(
                                    Files.readAllBytes(tmp.resolve("data/audit.log")),
                                    StandardCharsets.UTF_8))
                    .isEqualTo("one\ntwo\n");
        }
    }

    @Test
    void linesLongerThanTheTailBufferShouldBeReadWhole() throws Exception {
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 20000; i++) {
            big.append((char) ('a' + i % 26));
        }
        try (FileStorage s = FileStorage.create(tmp.resolve("data"))) {
            s.appendAudit(last -> "short", true);
            s.appendAudit(last -> big.toString(), true);
            List<String> seen = new ArrayList<>();
            s.appendAudit(
                    last -> {
                        seen.add(last);
                        return "after";
                    },
                    true);
            assertThat(seen.get(0)).isEqualTo(big.toString());
        }
    }

    @Test
    void aDirectoryWithoutTheMarkerShouldNotOpen() throws Exception {
        Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> FileStorage.open(tmp.resolve("empty")))
                .isInstanceOf(DkmUnavailableException.class)
                .hasMessageContaining("no DKM file store");
        FileStorage.create(tmp.resolve("data")).close();
        assertThatThrownBy(() -> FileStorage.create(tmp.resolve("data")))
                .hasMessageContaining("already exists");
    }

    @Test
    void aStoreOfTheFormatThePreviousVersionWroteShouldOpen() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("old"));
        // the marker exactly as every version before the check wrote it
        Files.write(
                dir.resolve("dkm-store"),
                "mailsec DKM file store, format 1\n".getBytes(StandardCharsets.US_ASCII));
        try (FileStorage s = FileStorage.open(dir)) {
            s.write(List.of(new Write("k", 0, new byte[] {1})));
            assertThat(s.get("k")).isPresent();
        }
        FileStorage.create(tmp.resolve("new")).close();
        assertThat(Files.readAllBytes(tmp.resolve("new/dkm-store")))
                .isEqualTo(Files.readAllBytes(dir.resolve("dkm-store")));
    }

    @Test
    void aStoreOfANewerFormatShouldBeRefusedAndLeftUntouched() throws Exception {
        Path dir = newerStore("mailsec DKM file store, format 2\n");
        Map<String, String> before = StoreSnapshot.files(dir);

        assertThatThrownBy(() -> FileStorage.open(dir))
                .isInstanceOf(StoreFormatException.class)
                .hasMessage(
                        "DKM file store "
                                + dir
                                + " is format 2, written by a newer mailsec; this mailsec reads format 1:"
                                + " upgrade mailsec (the store is left untouched)");
        assertThat(StoreSnapshot.files(dir)).isEqualTo(before);
    }

    @Test
    void aStoreWhoseMarkerCannotBeReadShouldBeRefusedAndLeftUntouched() throws Exception {
        for (String marker :
                new String[] {
                    "",
                    "mailsec DKM file store\n",
                    "mailsec DKM file store, format two\n",
                    "mailsec DKM file store, format 0\n",
                    "mailsec DKM file store, format 99999999999\n",
                    "mailsec DKM file store, format 1 and more\n"
                }) {
            Path dir = newerStore(marker);
            Map<String, String> before = StoreSnapshot.files(dir);
            assertThatThrownBy(() -> FileStorage.open(dir))
                    .as(marker)
                    .isInstanceOf(StoreFormatException.class)
                    .hasMessageStartingWith("DKM file store " + dir + ": cannot tell its format (")
                    .hasMessageEndingWith(
                            "this mailsec reads format 1: refusing it (the store is left untouched)");
            assertThat(StoreSnapshot.files(dir)).isEqualTo(before);
        }
    }

    /**
     * A store as a newer mailsec might leave it: a marker, a shard of another layout, an audit log;
     * no lock file.
     */
    private Path newerStore(String marker) throws Exception {
        Path dir =
                Files.createDirectories(
                        tmp.resolve("store-" + Integer.toHexString(marker.hashCode())));
        Files.write(dir.resolve("dkm-store"), marker.getBytes(StandardCharsets.US_ASCII));
        Files.write(
                dir.resolve("shard-00.dat"),
                "DKMSHARD2 something new".getBytes(StandardCharsets.US_ASCII));
        Files.write(dir.resolve("audit.log"), "a line\n".getBytes(StandardCharsets.US_ASCII));
        return dir;
    }
}
