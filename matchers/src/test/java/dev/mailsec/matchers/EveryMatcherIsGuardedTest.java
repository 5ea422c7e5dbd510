package dev.mailsec.matchers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every matcher of the pack runs its {@code match()} through {@code PerMailGuard}, so an {@code
 * Error} met on one hostile mail goes to that mail's {@code onMatchException} route instead of
 * killing a James spooler thread (issue 13). A matcher added later without the guard fails here.
 */
class EveryMatcherIsGuardedTest {

    @Test
    void everyGenericMatcherShouldRunMatchThroughPerMailGuard() throws IOException {
        List<Path> mailets = sources("extends GenericMatcher");

        assertThat(mailets).hasSizeGreaterThanOrEqualTo(14);
        assertThat(mailets)
                .filteredOn(
                        source ->
                                !read(source)
                                        .contains("PerMailGuard.call(getClass().getSimpleName()"))
                .isEmpty();
    }

    static List<Path> sources(String marker) throws IOException {
        try (Stream<Path> files = Files.walk(Paths.get("src/main/java"))) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> read(p).contains(marker))
                    .collect(Collectors.toList());
        }
    }

    static String read(Path source) {
        try {
            return Files.readString(source);
        } catch (IOException e) {
            throw new IllegalStateException(source.toString(), e);
        }
    }
}
