package dev.mailsec.it.load;

import static dev.mailsec.it.load.LoadedJames.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.it.harness.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults arriving while the real James distribution (pack installed with {@code mailsec install
 * --sample-pipeline}) is under mixed load from {@link LoadDriver}; after each, held mail is
 * reprocessed as docs/faults.md tells operators, and every mail accepted is counted out exactly
 * once (mailbox, remote server, bounce), none left held or queued, none that had to be signed left
 * unsigned, none that had to be protected left in clear (nor, for the ten users whose S/MIME
 * certificate is in the test's slapd, {@link SmimeDirectory}, delivered not encrypted). DKM is on
 * PostgreSQL ({@code mailsec install --dkm-store jdbc:postgresql://...}, a PostgreSQL the test
 * starts on its own port); {@link DkmFileStoreFaultsTest} runs the same faults on the file store in
 * the long run; fault 4, the certificate directory down, runs here in both runs, and {@link
 * SmimeLdapFaultsTest} adds it on a James of its own in the long run. A short run each in {@code
 * mvn verify}; {@code -Dmailsec.faults.long=true} runs each fault for minutes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultsEndToEndTest {

    /** Traffic before, during and after a fault (each phase). */
    static final Duration PHASE = Duration.ofSeconds(LoadedJames.LONG ? 60 : 5);

    static final Duration DRAIN = Duration.ofSeconds(240);

    @TempDir static Path work;
    private PostgresServer postgres;
    private SmimeDirectory directory;
    private LoadedJames loaded;

    /** Whether DKM is to be on PostgreSQL (when installed). */
    boolean dkmOnPostgres() {
        return true;
    }

    @BeforeAll
    void start() throws Exception {
        directory = SmimeDirectory.start(work.resolve("ldap"));
        if (dkmOnPostgres()) {
            Optional<Path> bin = PostgresServer.binaries();
            assertThat(bin)
                    .as("PostgreSQL's initdb and pg_ctl (.ci/run installs postgresql)")
                    .isPresent();
            postgres = PostgresServer.start(bin.get());
            List<String> flags = new ArrayList<>(directory.installFlags());
            flags.addAll(List.of("--dkm-store", postgres.jdbcUrl()));
            loaded = LoadedJames.start(work, flags, directory.pipeline());
        } else {
            loaded = LoadedJames.start(work, directory.installFlags(), directory.pipeline());
        }
        loaded.encryptedOnly(directory.users());
    }

    @AfterEach
    void stopTheDrivers() {
        if (loaded != null) {
            loaded.stopDrivers();
        }
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (loaded != null) {
                loaded.close();
            }
        } finally {
            try {
                if (postgres != null) {
                    postgres.close();
                }
            } finally {
                if (directory != null) {
                    directory.close();
                }
            }
        }
    }

    @Test
    @Order(1)
    void thePortalKilledAndRestartedShouldCostNoMailAndItsLinksShouldOpenAfter() throws Exception {
        String run = "portal";
        LoadDriver driver = loaded.driver(run);
        driver.start();
        awaitSent(driver, PHASE);
        loaded.james.killPortal();
        awaitSent(driver, PHASE.multipliedBy(2));
        loaded.james.startPortal();
        awaitSent(driver, PHASE.multipliedBy(3));
        List<LoadDriver.Sent> sent = driver.stop();

        MailCount c = loaded.awaitCountedOut(run, sent, DRAIN);
        report(run, driver, sent, c);
        // a wrapper sent while the portal was down opens once it is back
        String wrapper =
                loaded.sink.received().stream()
                        .map(r -> r.data)
                        .filter(d -> d.contains("@load.mailsec>") && d.contains(run + "-"))
                        .filter(d -> d.contains("/m/"))
                        .findFirst()
                        .orElseThrow();
        Matcher link =
                Pattern.compile(Pattern.quote(loaded.james.portalUrl()) + "/m/[A-Za-z0-9_-]+")
                        .matcher(wrapper.replace("=\r\n", ""));
        assertThat(link.find()).as("portal link in a wrapper").isTrue();
        HttpResponse<String> page =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(link.group())).build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void theDkmStoreDownMidRunShouldHoldThenDeliverEverythingSignedAndProtected() throws Exception {
        String run = postgres != null ? "dkmpg" : "dkmfile";
        Path store = loaded.james.home().resolve("var/mailsec/dkm/data");
        Path away = store.resolveSibling("data.away");
        LoadDriver driver = loaded.driver(run);
        driver.start();
        awaitSent(driver, PHASE);
        // PostgreSQL: postmaster and backends killed (SIGKILL), started again (crash recovery);
        // file store: its folder moved away, then back
        if (postgres != null) {
            postgres.kill();
        } else {
            Files.move(store, away);
        }
        try {
            await(
                    "mail held in dkim-key-store-down and rights-key-store-down",
                    Duration.ofSeconds(120),
                    () ->
                            loaded.held("var/mail/dkim-key-store-down") > 0
                                    && loaded.held("var/mail/rights-key-store-down") > 0);
            awaitSent(driver, PHASE.multipliedBy(2));
        } finally {
            if (postgres != null) {
                postgres.start();
            } else {
                Files.move(away, store);
            }
        }
        awaitSent(driver, PHASE.multipliedBy(3));
        List<LoadDriver.Sent> sent = driver.stop();
        long heldDkim = loaded.held("var/mail/dkim-key-store-down");
        long heldRights = loaded.held("var/mail/rights-key-store-down");

        loaded.reprocessHeld();
        MailCount c = loaded.awaitCountedOut(run, sent, DRAIN);
        report(
                run + " (held before reprocess: dkim " + heldDkim + ", rights " + heldRights + ")",
                driver,
                sent,
                c);
    }

    @Test
    @Order(3)
    void dnsServfailThenTimeoutsForDkimKeysShouldQuarantineThenDeliverOnlyVerified()
            throws Exception {
        String run = "dns";
        LoadDriver driver = loaded.driver(run);
        driver.start();
        awaitSent(driver, PHASE);
        long before = loaded.held("var/mail/dkim-quarantine");
        try {
            loaded.dns.mode(LoopbackDns.Mode.SERVFAIL);
            await(
                    "bank.test mail quarantined on SERVFAIL",
                    Duration.ofSeconds(120),
                    () -> loaded.held("var/mail/dkim-quarantine") > before);
            awaitSent(driver, PHASE.multipliedBy(2));
            long afterServfail = loaded.held("var/mail/dkim-quarantine");
            loaded.dns.mode(LoopbackDns.Mode.SILENT);
            await(
                    "bank.test mail quarantined on DNS timeouts",
                    Duration.ofSeconds(120),
                    () -> loaded.held("var/mail/dkim-quarantine") > afterServfail);
            awaitSent(driver, PHASE.multipliedBy(3));
        } finally {
            loaded.dns.mode(LoopbackDns.Mode.ANSWER);
        }
        awaitSent(driver, PHASE.multipliedBy(4));
        List<LoadDriver.Sent> sent = driver.stop();
        long held = loaded.held("var/mail/dkim-quarantine");

        loaded.reprocessHeld();
        MailCount c = loaded.awaitCountedOut(run, sent, DRAIN);
        report(run + " (quarantined before reprocess: " + held + ")", driver, sent, c);
    }

    @Test
    @Order(4)
    void theSmimeDirectoryKilledMidRunShouldHoldThenDeliverEncrypted() throws Exception {
        directory.killedMidRun(loaded, PHASE, DRAIN);
    }

    /** Waits until the driver has run for {@code since start} at its rate. */
    static void awaitSent(LoadDriver driver, Duration sinceStart) throws InterruptedException {
        long target = (long) (sinceStart.toSeconds() * LoadedJames.RATE * 0.9);
        await(
                driver.accepted().size() + " of " + target + " mails accepted",
                sinceStart.plusSeconds(120),
                () -> driver.accepted().size() + driver.refused() >= target);
    }

    static void report(String fault, LoadDriver driver, List<LoadDriver.Sent> sent, MailCount c) {
        long bytes = sent.stream().mapToLong(s -> s.size).sum();
        System.out.printf(
                "FAULT %s: in %d mails (%d id|recipient, %d MB), refused at SMTP %d, out %s,"
                        + " rate %.1f/s over %d connections%n",
                fault,
                sent.size(),
                MailCount.expected(sent).size(),
                bytes / (1024 * 1024),
                driver.refused(),
                c.summary(fault.split(" ")[0]),
                LoadedJames.RATE,
                LoadedJames.CONNECTIONS);
        assertThat(driver.errors()).as("SMTP errors").isEmpty();
    }
}
