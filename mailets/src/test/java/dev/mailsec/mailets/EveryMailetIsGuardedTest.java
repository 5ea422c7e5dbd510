package dev.mailsec.mailets;

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
 * Every mailet of the pack runs its {@code service()} through {@code PerMailGuard}, so an {@code
 * Error} met on one hostile mail (a stack overflow in a parser) goes to that mail's {@code
 * onMailetException} route instead of killing a James spooler thread (issue 13). A mailet added
 * later without the guard fails here. The two {@code RemoteDelivery} subclasses are left out: their
 * {@code service()} is James's own, which only queues the mail for James's delivery threads. So is
 * a mailet whose {@code service()} is empty (SendTlsReports: it only runs a report schedule and
 * reads no mail).
 */
class EveryMailetIsGuardedTest {

    private static final String EMPTY_SERVICE = "public void service(Mail mail) {}";

    @Test
    void everyGenericMailetShouldRunServiceThroughPerMailGuard() throws IOException {
        List<Path> mailets = sources("extends GenericMailet");

        assertThat(mailets).hasSizeGreaterThanOrEqualTo(13);
        assertThat(mailets)
                .filteredOn(
                        source ->
                                !read(source)
                                                .contains(
                                                        "PerMailGuard.run(getClass().getSimpleName()")
                                        && !read(source).contains(EMPTY_SERVICE))
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
