package dev.mailsec.dkm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * DKM keeps values out of logs by design: its classes reference no logging API and never print
 * stack traces or to the console, so no value can reach a log through DKM. This test keeps it that
 * way.
 */
class NoLoggingTest {
    @Test
    void dkmClassesShouldReferenceNoLoggingOrConsole() throws Exception {
        Path classes =
                Paths.get(
                        KeyManager.class
                                .getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI());
        List<Path> files;
        try (Stream<Path> s = Files.walk(classes)) {
            files = s.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toList());
        }
        assertThat(files).hasSizeGreaterThan(20);
        for (Path f : files) {
            String constants = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            assertThat(constants)
                    .as(f.toString())
                    .doesNotContain("org/slf4j")
                    .doesNotContain("java/util/logging")
                    .doesNotContain("org/apache/logging")
                    .doesNotContain("java/lang/System$Logger")
                    .doesNotContain("printStackTrace");
            if (constants.contains("java/io/PrintStream")) {
                throw new AssertionError(f + " writes to a PrintStream (console)");
            }
        }
    }
}
