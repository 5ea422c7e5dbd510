package dev.mailsec.config.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine of reload without restart on a real file; no James. */
class ReloadableFileTest {
    @TempDir Path dir;

    /** "ok:TEXT" parses to TEXT; anything else is refused as a start would refuse it. */
    private static String read(Path file) throws ReloadRefusedException {
        try {
            String text = Files.readString(file).trim();
            if (!text.startsWith("ok:")) {
                throw new ReloadRefusedException(
                        file + ": must start with ok:, got '" + text + "'");
            }
            return text.substring(3);
        } catch (java.io.IOException e) {
            throw new ReloadRefusedException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private ReloadableFile<String> open(Path file) throws ReloadRefusedException {
        return ReloadableFile.open(
                "test",
                file,
                ReloadableFileTest::read,
                (a, b) -> a.equals(b) ? List.of() : List.of(a + " -> " + b));
    }

    @Test
    void reloadShouldPublishTheNextGenerationAndKeepThePreviousReachable() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "ok:one");
        ReloadableFile<String> live = open(file);
        Snapshot<String> first = live.current();
        Files.writeString(file, "ok:two");

        ReloadOutcome o = live.reload("webadmin:ops", ReloadAudit.NONE);

        assertThat(o.applied()).isTrue();
        assertThat(o.previousGeneration()).isEqualTo(1);
        assertThat(o.generation()).isEqualTo(2);
        assertThat(o.changes()).containsExactly("one -> two");
        assertThat(live.current().value()).isEqualTo("two");
        assertThat(first.value()).as("a snapshot taken before never changes").isEqualTo("one");
        assertThat(live.generation(1)).contains(first);
    }

    @Test
    void sameBytesShouldNotMakeANewGeneration() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "ok:one");
        ReloadableFile<String> live = open(file);

        ReloadOutcome o = live.reload("webadmin:ops", ReloadAudit.NONE);

        assertThat(o.applied()).isFalse();
        assertThat(live.current().generation()).isEqualTo(1);
    }

    @Test
    void aBadFileShouldBeRefusedWithTheStartMessageAndTheRunningOneStay() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "ok:one");
        ReloadableFile<String> live = open(file);
        Files.writeString(file, "broken");
        List<String> refused = new ArrayList<>();
        ReloadAudit audit =
                new ReloadAudit() {
                    @Override
                    public void applied(ReloadOutcome outcome) {
                        throw new AssertionError("applied " + outcome);
                    }

                    @Override
                    public void refused(
                            String kind, Path f, String who, long running, String reason) {
                        refused.add(who + " " + running + " " + reason);
                    }
                };

        assertThatThrownBy(() -> live.reload("webadmin:ops", audit))
                .isInstanceOf(ReloadRefusedException.class)
                .hasMessage(file + ": must start with ok:, got 'broken'");
        assertThat(live.current().value()).isEqualTo("one");
        assertThat(live.current().generation()).isEqualTo(1);
        assertThat(refused)
                .containsExactly("webadmin:ops 1 " + file + ": must start with ok:, got 'broken'");
    }

    @Test
    void aFailedCheckShouldRefuseTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "ok:one");
        ReloadableFile<String> live = open(file);
        live.addCheck(
                "no x",
                (running, candidate) -> {
                    if (candidate.contains("x")) {
                        throw new ReloadRefusedException("x is not allowed after " + running);
                    }
                });
        Files.writeString(file, "ok:x");

        assertThatThrownBy(() -> live.reload("file-change", ReloadAudit.NONE))
                .hasMessage("x is not allowed after one");
        assertThat(live.current().value()).isEqualTo("one");
    }

    @Test
    void aChangedFileShouldBePickedUpByTheWatchWithoutACall() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "ok:one");
        ReloadableFile<String> live = open(file);
        live.poll(ReloadAudit.NONE);
        assertThat(live.current().generation()).as("nothing changed").isEqualTo(1);

        Files.writeString(file, "ok:two");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        live.poll(ReloadAudit.NONE);
        assertThat(live.current().value()).isEqualTo("two");

        Files.writeString(file, "bad");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
        live.poll(ReloadAudit.NONE);
        assertThat(live.current().value()).as("a bad file is only logged").isEqualTo("two");
    }

    @Test
    void theSharedFileShouldBeOnePerPathAndSeeTheFileAsItIsAtALaterStart() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "ok:one");
        ReloadableFile<String> a = ReloadableFiles.shared("test", file, this::open);
        ReloadableFile<String> b =
                ReloadableFiles.shared("test", dir.resolve(".").resolve("f"), this::open);
        assertThat(b).isSameAs(a);

        Files.writeString(file, "ok:two");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        ReloadableFile<String> c = ReloadableFiles.shared("test", file, this::open);
        assertThat(c.current().value()).isEqualTo("two");
    }
}
