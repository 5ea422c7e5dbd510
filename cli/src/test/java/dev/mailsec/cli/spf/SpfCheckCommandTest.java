package dev.mailsec.cli.spf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpfCheckCommandTest {

    @TempDir Path dir;

    private Path zone() throws Exception {
        return Files.writeString(
                dir.resolve("spf.zone"),
                "$ORIGIN example.test.\n"
                        + "@ TXT \"v=spf1 ip4:192.0.2.0/24 -all exp=why.example.test\"\n"
                        + "why TXT \"%{i} is not one of %{d}'s senders\"\n"
                        + "mx1 TXT \"v=spf1 a -all\"\n"
                        + "mx1 A 192.0.2.25\n");
    }

    @Test
    void checkPrintsResultReasonExplanationAndLookups() throws Exception {
        CliRun r =
                CliRun.of(
                        "spf",
                        "check",
                        "--ip",
                        "203.0.113.9",
                        "--mail-from",
                        "a@example.test",
                        "--helo",
                        "mx1.example.test",
                        "--zone",
                        zone().toString());
        assertThat(r.exitCode).isEqualTo(0);
        assertThat(r.out)
                .contains("spf=fail\n")
                .contains("scope: mailfrom (example.test)\n")
                .contains("reason: matched -all at example.test\n")
                .contains("explanation: 203.0.113.9 is not one of example.test's senders\n")
                .contains("lookups: 2\n")
                .contains("  TXT example.test: FOUND");
    }

    @Test
    void withoutMailFromTheHeloIsChecked() throws Exception {
        CliRun r =
                CliRun.of(
                        "spf",
                        "check",
                        "--ip",
                        "192.0.2.25",
                        "--helo",
                        "mx1.example.test",
                        "--zone",
                        zone().toString());
        assertThat(r.out).contains("spf=pass\n").contains("scope: helo (mx1.example.test)\n");
    }

    @Test
    void badOptionsExitWithTwo() throws Exception {
        assertThat(CliRun.of("spf", "check", "--ip", "mail.example", "--helo", "h.test").exitCode)
                .isEqualTo(2);
        CliRun both =
                CliRun.of(
                        "spf",
                        "check",
                        "--ip",
                        "192.0.2.1",
                        "--helo",
                        "h.test",
                        "--zone",
                        zone().toString(),
                        "--dns-server",
                        "127.0.0.1");
        assertThat(both.exitCode).isEqualTo(2);
        assertThat(both.err).contains("--zone and --dns-server exclude each other");
    }
}
