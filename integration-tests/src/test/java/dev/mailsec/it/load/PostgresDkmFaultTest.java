package dev.mailsec.it.load;

import static dev.mailsec.it.load.LoadedJames.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DKM on PostgreSQL ({@code mailsec install --dkm-store jdbc:postgresql://...}), on a PostgreSQL
 * the test starts on its own port, killed (SIGKILL to the postmaster and its backends) while James
 * is under load, then started again: mail needing keys is held meanwhile, reprocessed as
 * docs/faults.md says, and every mail is counted out exactly once, signed and protected as policy
 * says. Skipped where no PostgreSQL is installed.
 */
class PostgresDkmFaultTest {

    private static final Duration PHASE = Duration.ofSeconds(LoadedJames.LONG ? 60 : 7);

    @TempDir static Path work;
    private static ScratchPostgres postgres;
    private static LoadedJames loaded;

    @BeforeAll
    static void start() throws Exception {
        Optional<Path> bin = ScratchPostgres.binaries();
        assumeTrue(bin.isPresent(), "no PostgreSQL in /usr/lib/postgresql");
        postgres = ScratchPostgres.create(bin.get());
        loaded = LoadedJames.start(work, List.of("--dkm-store", postgres.jdbcUrl()));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (loaded != null) {
                loaded.close();
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    @Test
    void postgresKilledMidRunAndRestartedShouldHoldThenDeliverEverything() throws Exception {
        String run = "dkmpg";
        LoadDriver driver = loaded.driver(run);
        driver.start();
        FaultsEndToEndTest.awaitSent(driver, PHASE);
        postgres.kill();
        try {
            await(
                    "mail held in dkim-key-store-down and rights-key-store-down",
                    Duration.ofSeconds(120),
                    () ->
                            loaded.held("var/mail/dkim-key-store-down") > 0
                                    && loaded.held("var/mail/rights-key-store-down") > 0);
            FaultsEndToEndTest.awaitSent(driver, PHASE.multipliedBy(2));
        } finally {
            postgres.start();
        }
        FaultsEndToEndTest.awaitSent(driver, PHASE.multipliedBy(3));
        List<LoadDriver.Sent> sent = driver.stop();
        long heldDkim = loaded.held("var/mail/dkim-key-store-down");
        long heldRights = loaded.held("var/mail/rights-key-store-down");

        loaded.reprocessHeld();
        MailCount c = loaded.awaitCountedOut(run, sent, Duration.ofSeconds(240));
        FaultsEndToEndTest.report(
                run + " (held before reprocess: dkim " + heldDkim + ", rights " + heldRights + ")",
                driver,
                sent,
                c);
    }
}
