package dev.mailsec.it.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak: the fault mix's traffic in 2 KB mails (James's memory mailbox keeps every mail in its
 * heap: 30 minutes of the 1 MB share would fill it) for {@code -Dmailsec.soak.minutes} (default 30
 * with {@code -Dmailsec.faults.long=true}; not run otherwise) into the installed James, reading its
 * JVM (live heap after a full collection, threads, open files, RSS, CPU) every 30 s; then every
 * mail counted out, and threads and open files no higher at the end than after the first minute
 * plus a margin (a leak of one per mail would pass it within seconds).
 *
 * <p>No fault is injected, but a long run on a loaded machine meets temporary ones of its own: a
 * stall of a few seconds (of the machine, or of the test's JVM, where the DNS server publishing
 * bank.test's key runs) makes a key lookup time out ({@code dnsTimeoutMillis}), and the policy
 * holds that {@code bank.test} mail in {@code dkim-quarantine} with {@code dkim=temperror}. So the
 * count runs in two steps, as an operator would act: first every mail counted once, held ones
 * included, and every held one must be such a policy hold (anything else fails, named); then held
 * mail is reprocessed as docs/faults.md says and every mail must be counted out, none held.
 */
class SoakTest {

    private static final Duration EVERY = Duration.ofSeconds(30);

    @TempDir Path work;

    static boolean enabled() {
        return LoadedJames.LONG || System.getProperty("mailsec.soak.minutes") != null;
    }

    @Test
    @EnabledIf("enabled")
    void aLongRunShouldCountEveryMailOutWithThreadsAndFilesSteady() throws Exception {
        Duration length =
                Duration.ofMinutes(Long.getLong("mailsec.soak.minutes", LONG_DEFAULT_MINUTES));
        String run = "soak";
        try (LoadedJames loaded = LoadedJames.start(work, List.of())) {
            long pid = loaded.james.jamesPid();
            List<String> lines = new ArrayList<>();
            LoadDriver driver = loaded.driver(run).smallMailOnly();
            Instant start = Instant.now();
            driver.start();
            JvmReading first = null;
            Instant next = start;
            while (Instant.now().isBefore(start.plus(length))) {
                long wait = Duration.between(Instant.now(), next).toMillis();
                if (wait > 0) {
                    Thread.sleep(wait); // the reading interval, not a synchronisation
                }
                JvmReading r = JvmReading.of(pid);
                long seconds = Duration.between(start, Instant.now()).toSeconds();
                if (first == null && seconds >= 60) {
                    first = r;
                }
                String line =
                        String.format(
                                "SOAK t=%4ds accepted %6d  %s",
                                seconds, driver.accepted().size(), r);
                lines.add(line);
                System.out.println(line);
                next = next.plus(EVERY);
            }
            List<LoadDriver.Sent> sent = driver.stop();
            MailCount settled = loaded.awaitSettled(run, sent, Duration.ofMinutes(5));
            String held = settled.heldDetails(run);
            System.out.print("SOAK held before reprocess: " + settled.held(run) + "\n" + held);
            assertThat(held.lines())
                    .as("mails held, each only as the policy says (a bank.test key lookup failed)")
                    .allMatch(
                            h ->
                                    h.contains("repository var/mail/dkim-quarantine")
                                            && h.contains("dkim=temperror"));
            loaded.reprocessHeld();
            MailCount c = loaded.awaitCountedOut(run, sent, Duration.ofMinutes(5));
            JvmReading last = JvmReading.of(pid);
            FaultsEndToEndTest.report(
                    run + " (held before reprocess: " + settled.held(run) + ")", driver, sent, c);
            System.out.println("SOAK end " + last);
            if (first != null) {
                assertThat(last.threads).as("threads").isLessThanOrEqualTo(first.threads + 30);
                assertThat(last.openFiles)
                        .as("open files")
                        .isLessThanOrEqualTo(first.openFiles + 100);
            }
        }
    }

    private static final long LONG_DEFAULT_MINUTES = 30;
}
