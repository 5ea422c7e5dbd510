package dev.mailsec.dkm.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.dkm.DkmUnavailableException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File-store specifics beyond the shared contract: torn audit tails, long lines, the store marker. */
class FileStorageTest {
  @TempDir Path tmp;

  @Test
  void aTornLastAuditLineShouldBeIgnoredAndCutOffByTheNextAppend() throws Exception {
    try (FileStorage s = FileStorage.create(tmp.resolve("data"))) {
      s.appendAudit(last -> "one", true);
      Files.write(tmp.resolve("data/audit.log"), "half-writ".getBytes(StandardCharsets.UTF_8),
          StandardOpenOption.APPEND);
      assertThat(s.readAudit()).containsExactly("one");
      List<String> seen = new ArrayList<>();
      s.appendAudit(last -> {
        seen.add(last);
        return "two";
      }, false);
      assertThat(seen).containsExactly("one");
      assertThat(new String(Files.readAllBytes(tmp.resolve("data/audit.log")), StandardCharsets.UTF_8))
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
      s.appendAudit(last -> {
        seen.add(last);
        return "after";
      }, true);
      assertThat(seen.get(0)).isEqualTo(big.toString());
    }
  }

  @Test
  void aDirectoryWithoutTheMarkerShouldNotOpen() throws Exception {
    Files.createDirectories(tmp.resolve("empty"));
    assertThatThrownBy(() -> FileStorage.open(tmp.resolve("empty"))).isInstanceOf(DkmUnavailableException.class)
        .hasMessageContaining("no DKM file store");
    FileStorage.create(tmp.resolve("data")).close();
    assertThatThrownBy(() -> FileStorage.create(tmp.resolve("data"))).hasMessageContaining("already exists");
  }
}
