package dev.mailsec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MailsecCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = MailsecCommand.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void helpShouldListSubcommands() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("run").contains("Usage: mailsec");
    }

    @Test
    void unknownSubcommandShouldFailWithOneLine() {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err.toString().trim()).doesNotContain("\n").contains("frobnicate");
    }

    @Test
    void missingSubcommandShouldFail() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("missing subcommand");
    }

    @Test
    void runThroughTheJarShouldPointToTheLauncher() {
        assertThat(run("run")).isEqualTo(2);
        assertThat(err.toString().trim()).doesNotContain("\n").contains("./mailsec");
    }
}
