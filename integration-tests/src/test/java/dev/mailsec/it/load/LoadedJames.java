package dev.mailsec.it.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.dkim.DkimSigner;
import dev.mailsec.dkim.ZoneFileKeyRecordSource;
import dev.mailsec.dkim.sign.KeyRecords;
import dev.mailsec.dkim.sign.SigningKey;
import dev.mailsec.it.harness.InstalledJames;
import dev.mailsec.it.harness.SmtpSink;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/**
 * The real James distribution with the pack installed as INSTALL.md says ({@code mailsec install
 * --sample-pipeline}, domain {@code example.test}), its portal, a remote domain's mail server (the
 * {@link SmtpSink}) and the users a {@link LoadDriver} spreads mail over; then load runs counted
 * out. The only edits after install: the sample relay's {@code RemoteDelivery} delivers through the
 * sink ({@code gateway}), {@code VerifyDkim} asks the test's {@link LoopbackDns} ({@code
 * dnsServers}), and the DKM client cache lives 2 s ({@code cacheTtl=PT2S} in {@code
 * conf/dkm.properties}) so a fault of a few seconds reaches the mailets.
 */
public final class LoadedJames implements AutoCloseable {

    /** Traffic rate of a fault run, mails per second. */
    public static final double RATE =
            Double.parseDouble(System.getProperty("mailsec.load.rate", "8"));

    /** SMTP connections of a fault run. */
    public static final int CONNECTIONS = 4;

    /** True with {@code -Dmailsec.faults.long=true}: minutes of traffic per fault, and the soak. */
    public static final boolean LONG = Boolean.getBoolean("mailsec.faults.long");

    public final InstalledJames james;
    public final SmtpSink sink;

    /** The resolver VerifyDkim asks (publishes bank.test's key). */
    public final LoopbackDns dns;

    public final LoadDriver.Traffic traffic;
    private final List<String> mailboxes = new ArrayList<>();
    private final Set<String> encryptedOnly = new HashSet<>();
    private final List<LoadDriver> drivers = new ArrayList<>();

    /** A change to the installed James home before James starts (e.g. to its pipeline). */
    @FunctionalInterface
    public interface HomeEdit {
        void apply(Path home) throws Exception;
    }

    private LoadedJames(InstalledJames james, SmtpSink sink, LoopbackDns dns) throws Exception {
        this.james = james;
        this.sink = sink;
        this.dns = dns;
        traffic = traffic(dns);
        mailboxes.addAll(mailboxes(traffic));
    }

    /**
     * The fault runs' traffic, for a James serving {@code example.test}: forty local recipients
     * (u0..u39), five local senders (s0..s4), ten remote addresses (r0..r9 at remote.test), a
     * sender outside, and bank.test's signer, whose Ed25519 key {@code dns} publishes
     * (s1._domainkey.bank.test).
     */
    public static LoadDriver.Traffic traffic(LoopbackDns dns) throws Exception {
        KeyPair bank = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        dns.txt("s1._domainkey.bank.test", KeyRecords.txt(bank.getPublic()));
        DkimSigner signer = DkimSigner.of(SigningKey.of("bank.test", "s1", bank.getPrivate()));
        List<String> local = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            local.add("u" + i + "@example.test");
        }
        List<String> senders = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            senders.add("s" + i + "@example.test");
        }
        List<String> remote = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            remote.add("r" + i + "@remote.test");
        }
        return new LoadDriver.Traffic(
                local, senders, remote, "news@outside.test", "alerts@bank.test", signer);
    }

    /** Every local user of the traffic (recipients and senders): the mailboxes to count. */
    public static List<String> mailboxes(LoadDriver.Traffic traffic) {
        List<String> all = new ArrayList<>(traffic.localRecipients);
        all.addAll(traffic.localSenders);
        return all;
    }

    /**
     * Makes the installed sample's {@code VerifyDkim} ask {@code dns} for DKIM keys ({@code
     * dnsServers}).
     */
    public static void verifyDkimAsks(InstalledJames james, LoopbackDns dns) throws Exception {
        InstalledJames.edit(
                james.home().resolve("conf/mailetcontainer.xml"),
                "<dnsTimeoutMillis>3000</dnsTimeoutMillis>",
                "<dnsTimeoutMillis>3000</dnsTimeoutMillis>\n"
                        + "                <dnsServers>127.0.0.1:"
                        + dns.port()
                        + "</dnsServers>");
    }

    /**
     * Installs and starts everything in {@code work}, with extra install flags (e.g. {@code
     * --dkm-store jdbc:...}).
     */
    public static LoadedJames start(Path work, List<String> extraInstallFlags) throws Exception {
        return start(work, extraInstallFlags, home -> {});
    }

    /**
     * As {@link #start(Path, List)}, with {@code edit} applied to the James home after the edits
     * above and before James starts.
     */
    public static LoadedJames start(Path work, List<String> extraInstallFlags, HomeEdit edit)
            throws Exception {
        InstalledJames james =
                InstalledJames.stock(work, "mail.example.test", InstalledJames.bundledMailsec());
        SmtpSink sink = new SmtpSink();
        LoadedJames loaded = new LoadedJames(james, sink, new LoopbackDns());
        try {
            james.useFreeServerPorts();
            List<String> flags = new ArrayList<>(james.sampleFlags("example.test"));
            flags.addAll(extraInstallFlags);
            james.install(flags);
            InstalledJames.edit(
                    james.home().resolve("conf/dkm.properties"), "cacheTtl=PT5M", "cacheTtl=PT2S");
            InstalledJames.edit(
                    james.home().resolve("conf/mailetcontainer.xml"),
                    "<outgoing>outgoing</outgoing>",
                    "<outgoing>outgoing</outgoing>\n"
                            + "                <gateway>127.0.0.1</gateway>\n"
                            + "                <gatewayPort>"
                            + sink.port()
                            + "</gatewayPort>");
            verifyDkimAsks(james, loaded.dns);
            edit.apply(james.home());
            james.jamesMemory("-Xmx512m");
            james.startPortal();
            james.startJames();
            james.addDomain("example.test");
            for (String user : loaded.mailboxes) {
                james.addUser(user, "secret");
            }
            return loaded;
        } catch (Exception | AssertionError e) {
            loaded.close();
            throw e;
        }
    }

    /**
     * The local users (of {@link #traffic}) whose mail policy encrypts with S/MIME: counted as a
     * breach when a mail of theirs is in their mailbox not encrypted.
     */
    public void encryptedOnly(List<String> users) {
        encryptedOnly.addAll(users);
    }

    /** A driver at the fault rate, tagging its mails with {@code run}. */
    public LoadDriver driver(String run) {
        LoadDriver d = new LoadDriver("127.0.0.1", james.smtpPort, traffic, CONNECTIONS, RATE, run);
        drivers.add(d);
        return d;
    }

    /**
     * Stops every driver made here that still runs (after each test: one that failed before its
     * {@code stop()} must not go on loading James for the next).
     */
    public void stopDrivers() {
        drivers.forEach(LoadDriver::stopNow);
        drivers.clear();
    }

    /** Counts everything now. */
    public MailCount count(List<LoadDriver.Sent> sent) throws Exception {
        Map<String, LoadDriver.Sent> byId = new HashMap<>();
        for (LoadDriver.Sent s : sent) {
            byId.put(s.id, s);
        }
        return MailCount.now(
                james.imapSession(),
                james.imapPort,
                mailboxes,
                james.webAdmin(),
                sink,
                byId,
                ZoneFileKeyRecordSource.load(james.home().resolve("var/mailsec/dkim-records.txt")),
                Set.copyOf(encryptedOnly));
    }

    /**
     * Polls until every accepted mail of the run is counted out exactly once (queues empty, none
     * held), within {@code deadline}; asserts it, and that no policy was breached; returns the last
     * count.
     */
    public MailCount awaitCountedOut(String run, List<LoadDriver.Sent> sent, Duration deadline)
            throws Exception {
        Instant end = Instant.now().plus(deadline);
        MailCount c;
        List<String> diff;
        do {
            c = count(sent);
            diff = c.differences(sent, run);
            if (diff.isEmpty() && c.queued == 0 && c.held(run) == 0) {
                break;
            }
            Thread.sleep(1000);
        } while (Instant.now().isBefore(end));
        assertThat(diff)
                .as(
                        "count in %d (id|recipient) = count out; %s; James:%n%s",
                        MailCount.expected(sent).size(), c.summary(run), james.tail("james.out"))
                .isEmpty();
        assertThat(c.queued).as("mails left in queues; %s", c.summary(run)).isZero();
        assertThat(c.held(run))
                .as("mails of the run left held; %s; held:%n%s", c.summary(run), c.heldDetails(run))
                .isZero();
        assertThat(c.violations).as("policy breaches").isEmpty();
        return c;
    }

    /**
     * Polls until every accepted mail of the run is counted exactly once, held mail included, and
     * the queues are empty, within {@code deadline}; asserts it and returns the count (for a run
     * that reads what is held before reprocessing it).
     */
    public MailCount awaitSettled(String run, List<LoadDriver.Sent> sent, Duration deadline)
            throws Exception {
        Instant end = Instant.now().plus(deadline);
        MailCount c;
        List<String> diff;
        do {
            c = count(sent);
            diff = c.differences(sent, run);
            if (diff.isEmpty() && c.queued == 0) {
                break;
            }
            Thread.sleep(1000);
        } while (Instant.now().isBefore(end));
        assertThat(diff)
                .as("count in %d (id|recipient) = count out; %s", sent.size(), c.summary(run))
                .isEmpty();
        assertThat(c.queued).as("mails left in queues; %s", c.summary(run)).isZero();
        return c;
    }

    /** Polls the condition every 200 ms until true, failing after {@code deadline}. */
    public static void await(String what, Duration deadline, BooleanSupplier condition)
            throws InterruptedException {
        Instant end = Instant.now().plus(deadline);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for %s", what).isBefore(end);
            Thread.sleep(200);
        }
    }

    /** The value, or the exception turned unchecked (for conditions). */
    public static <T> T unchecked(Callable<T> call) {
        try {
            return call.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Mails held now in the repository (e.g. var/mail/dkim-key-store-down). */
    public long held(String repository) {
        return unchecked(() -> james.webAdmin().repositorySize(repository));
    }

    /**
     * Sends held mail back as the docs tell operators: dkim-key-store-down to relay,
     * rights-key-store-down and dkim-quarantine to root.
     */
    public void reprocessHeld() throws Exception {
        List<String> existing = james.webAdmin().repositoryPaths();
        String[][] holds = {
            {"var/mail/dkim-key-store-down", "relay"},
            {"var/mail/rights-key-store-down", "root"},
            {"var/mail/dkim-quarantine", "root"}
        };
        for (String[] hold : holds) {
            if (existing.stream().anyMatch(p -> p.startsWith(hold[0]))) {
                reprocess(hold[0], hold[1]);
            }
        }
    }

    /** Sends every mail held in the repository back to the processor, through WebAdmin. */
    public void reprocess(String repository, String processor) throws Exception {
        assertThat(james.webAdmin().reprocessAll(repository, processor))
                .as("reprocess %s", repository)
                .isEqualTo("completed");
    }

    @Override
    public void close() throws Exception {
        stopDrivers();
        try {
            james.close();
        } finally {
            sink.close();
            dns.close();
        }
    }
}
