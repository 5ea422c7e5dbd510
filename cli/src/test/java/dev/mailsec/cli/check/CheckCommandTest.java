package dev.mailsec.cli.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.cli.CliRun;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the command says about a folder that is no James home, and which jars it loads from one. */
class CheckCommandTest {

    @TempDir Path tmp;

    @Test
    void aFolderThatIsNoJamesHomeShouldFailNamingWhatIsMissing() {
        CliRun run = CliRun.of("check", "--james-home", tmp.toString(), "--offline");

        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.out)
                .startsWith(
                        "error james home "
                                + tmp
                                + ": not a James 3.8.1 home: no "
                                + "james-server-memory-app.lib/ folder in "
                                + tmp
                                + "\n")
                .contains("\nFAILED: ");
    }

    @Test
    void aMissingFolderShouldBeABadOption() {
        CliRun run = CliRun.of("check", "--james-home", tmp.resolve("nowhere").toString());

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err)
                .contains("--james-home: not a folder: '" + tmp.resolve("nowhere") + "'");
    }

    @Test
    void theClassPathShouldBeJamesLibrariesThenEveryJarUnderExtensionsJarsFollowingLinks()
            throws Exception {
        Files.createDirectories(tmp.resolve("james-server-memory-app.lib"));
        Files.createFile(tmp.resolve("james-server-memory-app.lib/a.jar"));
        Files.createFile(tmp.resolve("james-server-memory-app.jar"));
        Path elsewhere = Files.createDirectories(tmp.resolve("opt/mailsec-1.0"));
        Files.createFile(elsewhere.resolve("mailsec-mailets.jar"));
        Files.createDirectories(tmp.resolve("extensions-jars/other"));
        Files.createFile(tmp.resolve("extensions-jars/other/b.jar"));
        Files.createFile(tmp.resolve("extensions-jars/notes.txt"));
        Files.createSymbolicLink(tmp.resolve("extensions-jars/mailsec"), elsewhere);

        List<URL> classPath = PipelineCheck.classPath(tmp);

        assertThat(classPath)
                .extracting(url -> tmp.relativize(Path.of(url.toURI())).toString())
                .containsExactly(
                        "james-server-memory-app.lib/a.jar", "james-server-memory-app.jar",
                        "extensions-jars/mailsec/mailsec-mailets.jar",
                                "extensions-jars/other/b.jar");
    }
}
