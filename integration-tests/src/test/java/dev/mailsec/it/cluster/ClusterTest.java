package dev.mailsec.it.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.dkim.DkimPolicy;
import dev.mailsec.dkim.DkimResult;
import dev.mailsec.dkim.DkimSignatureResult;
import dev.mailsec.dkim.DkimVerifier;
import dev.mailsec.dkim.ZoneFileKeyRecordSource;
import dev.mailsec.it.harness.InstalledJames;
import dev.mailsec.it.harness.PortalReader;
import dev.mailsec.it.harness.PostgresServer;
import dev.mailsec.it.harness.SmtpSink;
import dev.mailsec.it.load.LoadDriver;
import dev.mailsec.it.load.LoadedJames;
import dev.mailsec.it.load.LoopbackDns;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, a cluster as users who outgrow one machine run it: two stock James 3.8.1 nodes
 * (separate JVMs and homes) and two portals, installed as INSTALL.md "Several James nodes" says
 * (node A {@code --dkm-store jdbc:... --rights-store jdbc:...}, node B the same with {@code --join
 * --node-name node2 --admin-credential --root-keys}), sharing one PostgreSQL of the test's own. The
 * only edits beyond INSTALL.md: free ports, {@code cacheTtl=PT2S} in both nodes' DKM client files
 * (so a rollover shows within seconds, not five minutes) and a smarthost for RemoteDelivery (the
 * {@link SmtpSink}, standing for the Internet). The steps share the started cluster, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {

    static final String DOMAIN = "example.test";
    static final String ALICE = "alice@example.test";
    static final String BOB = "bob@example.test";
    static final String CAROL = "carol@external.test";
    static final String ERIN = "erin@external.test";
    static final String DAVE = "dave@remote.test";
    static final Duration CACHE_TTL = Duration.ofSeconds(10);
    static final Pattern LINK = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/m/([A-Za-z0-9_-]+)");

    @TempDir static Path work;
    static PostgresServer pg;
    static SmtpSink sink;
    static InstalledJames a;
    static InstalledJames b;
    static String zone;
    static final List<String> figures = new ArrayList<>();

    /**
     * Mails of the PostgreSQL-killed phase over both nodes (a third before the kill, a third while
     * it is down, a third after); the long run ({@code -Dmailsec.faults.long=true}) sends 1,500.
     */
    static final int LOAD_MAILS = LoadedJames.LONG ? 1500 : 300;

    /** The load phase's DNS for VerifyDkim (bank.test's key) and its traffic. */
    static LoopbackDns dns;

    static LoadDriver.Traffic traffic;

    @BeforeAll
    static void startTheCluster() throws Exception {
        assertThat(PostgresServer.binaries())
                .as("PostgreSQL server binaries (initdb, pg_ctl; .ci/run installs postgresql)")
                .isPresent();
        Instant t0 = Instant.now();
        pg = PostgresServer.start(PostgresServer.binaries().get());
        sink = new SmtpSink();
        dns = new LoopbackDns();
        traffic = LoadedJames.traffic(dns);
        Path mailsec = InstalledJames.bundledMailsec();
        a =
                InstalledJames.stock(
                        Files.createDirectories(work.resolve("a")), "mx1." + DOMAIN, mailsec);
        b =
                InstalledJames.stock(
                        Files.createDirectories(work.resolve("b")), "mx2." + DOMAIN, mailsec);
        String store = pg.jdbcUrl();
        List<String> first = new ArrayList<>(a.sampleFlags(DOMAIN));
        first.addAll(List.of("--dkm-store", store, "--rights-store", store));
        a.useFreeServerPorts();
        a.install(first);
        clusterEdits(a);
        figures.add("install node A " + since(t0) + " ms");
        // node A starts while node B joins
        Instant t1 = Instant.now();
        CompletableFuture<Void> startA = CompletableFuture.runAsync(() -> start(a));
        List<String> join = new ArrayList<>(b.sampleFlags(DOMAIN));
        join.addAll(
                List.of(
                        "--dkm-store",
                        store,
                        "--rights-store",
                        store,
                        "--join",
                        "--node-name",
                        "node2",
                        "--admin-credential",
                        adminCredential().toString(),
                        "--root-keys",
                        a.home().resolve("var/mailsec/dkm-root-keys").toString()));
        b.useFreeServerPorts();
        b.install(join);
        clusterEdits(b);
        assertThat(Files.readString(b.home().resolve("conf/dkm.properties")))
                .contains("store=" + store)
                .contains("james-transport-node2.cred");
        zone = Files.readString(a.home().resolve("var/mailsec/dkim-records.txt"));
        figures.add("install node B (joining) " + since(t1) + " ms");
        start(b);
        startA.join();
        figures.add("both nodes up " + since(t1) + " ms after node A's start");
        for (InstalledJames n : List.of(a, b)) {
            for (String d : List.of(DOMAIN, "external.test")) {
                n.addDomain(d);
            }
            for (String u : List.of(ALICE, BOB, CAROL, ERIN)) {
                n.addUser(u, "secret");
            }
            for (String u : LoadedJames.mailboxes(traffic)) {
                n.addUser(u, "secret");
            }
        }
    }

    /**
     * Beyond INSTALL.md: a short DKM cache in James's and the portal's client files, the smarthost
     * (the sink) for RemoteDelivery, and the test's DNS for VerifyDkim (bank.test's key, for the
     * load phase).
     */
    private static void clusterEdits(InstalledJames n) throws Exception {
        for (String f : List.of("conf/dkm.properties", "conf/portal-dkm.properties")) {
            InstalledJames.editFirst(n.home().resolve(f), "cacheTtl=\\S+", "cacheTtl=" + CACHE_TTL);
        }
        InstalledJames.editFirst(
                n.home().resolve("conf/mailetcontainer.xml"),
                "<mailet match=\"All\" class=\"dev.mailsec.mailets.connector.ReportingRemoteDelivery\">",
                "<mailet match=\"All\" class=\"dev.mailsec.mailets.connector.ReportingRemoteDelivery\">\n"
                        + "<gateway>127.0.0.1:"
                        + sink.port()
                        + "</gateway>");
        LoadedJames.verifyDkimAsks(n, dns);
    }

    /** The node's portal, then its James. */
    private static void start(InstalledJames n) {
        try {
            n.startPortal();
            n.startJames();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stopTheCluster() throws Exception {
        System.out.println("ClusterTest: " + String.join("; ", figures));
        for (InstalledJames n : new InstalledJames[] {a, b}) {
            if (n != null) {
                n.close();
            }
        }
        if (sink != null) {
            sink.close();
        }
        if (pg != null) {
            pg.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    @Order(1)
    void aRolloverOnAShouldSignBsNewMailOnceBsCacheExpiresAndBsOldSignaturesStillVerify()
            throws Exception {
        b.send(ALICE, DAVE, "before rollover from B", "signed by v1", true);
        a.send(ALICE, DAVE, "before rollover from A", "signed by v1", true);
        String oldB = awaitSunk("before rollover from B");
        assertThat(selectors(oldB)).containsExactlyInAnyOrder("rsa-v1", "ed25519-v1");

        // the operator, on node A: rollover step 1 (publish the printed record), step 2 promote
        String rotated =
                InstalledJames.run(
                        work,
                        a.mailsec().toString(),
                        "dkim",
                        "rotate",
                        DOMAIN,
                        "--store",
                        a.home().resolve("var/mailsec/dkm").toString(),
                        "--identity",
                        adminCredential().toString());
        zone +=
                rotated.lines()
                        .filter(l -> l.contains("._domainkey."))
                        .collect(Collectors.joining("\n", "\n", "\n"));
        assertThat(zone).contains("rsa-v2._domainkey." + DOMAIN);
        // not yet primary: B goes on signing with rsa-v1 (this mail also fills B's cache)
        b.send(ALICE, DAVE, "after rotate from B", "still v1", true);
        String rotatedB = awaitSunk("after rotate from B");
        Instant cacheFilled = Instant.now();
        assertThat(selectors(rotatedB)).containsExactlyInAnyOrder("rsa-v1", "ed25519-v1");
        InstalledJames.run(
                work,
                a.mailsec().toString(),
                "dkm",
                "--store",
                a.home().resolve("var/mailsec/dkm").toString(),
                "--identity",
                adminCredential().toString(),
                "secret",
                "promote",
                "dkim/" + DOMAIN,
                "2");
        Instant promoted = Instant.now();

        // B picks the new version up once its cache expires: a mail every half second until one
        // is signed with rsa-v2; those before it still verify with rsa-v1
        String newB = null;
        List<String> stale = new ArrayList<>();
        for (int i = 0; newB == null; i++) {
            assertThat(Duration.between(promoted, Instant.now()))
                    .as("B still signs with rsa-v1 after its cacheTtl of %s", CACHE_TTL)
                    .isLessThan(Duration.ofSeconds(60));
            String subject = "after rollover from B " + i;
            b.send(ALICE, DAVE, subject, "signed by v2?", true);
            String got = awaitSunk(subject);
            if (selectors(got).contains("rsa-v2")) {
                newB = got;
                figures.add(
                        "rollover: promote command "
                                + Duration.between(cacheFilled, promoted).toMillis()
                                + " ms; B signed "
                                + stale.size()
                                + " more mail(s) with rsa-v1, the first with rsa-v2 "
                                + since(promoted)
                                + " ms after the promote returned ("
                                + since(cacheFilled)
                                + " ms after B's last fetch; cacheTtl "
                                + CACHE_TTL.toMillis()
                                + " ms)");
            } else {
                stale.add(got);
                Thread.sleep(500);
            }
        }
        assertThat(selectors(newB)).containsExactlyInAnyOrder("rsa-v2", "ed25519-v1");
        List<String> signed = new ArrayList<>(List.of(oldB, rotatedB, newB));
        signed.add(awaitSunk("before rollover from A"));
        signed.addAll(stale);
        for (String m : signed) {
            assertThat(verify(m)).as(m).containsOnly(DkimResult.PASS).hasSize(2);
        }
    }

    @Test
    @Order(2)
    void aMessageProtectedOnAShouldOpenInBsPortal() throws Exception {
        String id = protectOnA("[encrypt] cluster open on B", "cluster secret 7QX1");
        PortalReader onB = new PortalReader(b.portalUrl());
        assertThat(onB.ask(id, CAROL)).isEqualTo("303 /m/" + id + "/code");
        String code = awaitPasscode(b, id, 1);
        assertThat(onB.enter(id, code)).startsWith("303");
        HttpResponse<String> view = onB.get("/m/" + id + "/view");
        assertThat(view.statusCode()).isEqualTo(200);
        assertThat(view.body()).contains("cluster secret 7QX1");
        // no sticky sessions: the session B's portal signed goes on working on A's
        HttpResponse<String> onA = onB.at(a.portalUrl()).get("/m/" + id + "/view");
        assertThat(onA.statusCode()).isEqualTo(200);
        assertThat(onA.body()).contains("cluster secret 7QX1");
    }

    @Test
    @Order(3)
    void aRevocationMadeThroughBShouldBeRefusedOnAAtTheNextClick() throws Exception {
        String id = protectOnA("[encrypt] cluster revoke", "cluster secret 9RV2");
        PortalReader onA = new PortalReader(a.portalUrl());
        assertThat(onA.ask(id, CAROL)).isEqualTo("303 /m/" + id + "/code");
        assertThat(onA.enter(id, awaitPasscode(a, id, 1))).startsWith("303");
        assertThat(onA.get("/m/" + id + "/view").statusCode()).isEqualTo(200);

        InstalledJames.run(
                work,
                b.mailsec().toString(),
                "rights",
                "revoke",
                id,
                "--reason",
                "sent by mistake",
                "--james-home",
                b.home().toString());

        HttpResponse<String> next = onA.get("/m/" + id + "/view");
        assertThat(next.statusCode()).isEqualTo(410);
        assertThat(next.body()).doesNotContain("cluster secret 9RV2");
    }

    @Test
    @Order(4)
    void passcodeRateLimitsShouldHoldAcrossBothPortals() throws Exception {
        // five wrong codes, split over the two portals, lock the client out on both
        String locked = protectOnA("[encrypt] cluster lock", "cluster secret 3LK4");
        PortalReader onA = new PortalReader(a.portalUrl());
        PortalReader onB = new PortalReader(b.portalUrl());
        assertThat(onA.ask(locked, CAROL)).startsWith("303");
        assertThat(onB.ask(locked, CAROL)).startsWith("303");
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            answers.add((i % 2 == 0 ? onA : onB).enter(locked, "00000000"));
        }
        assertThat(answers.subList(0, 4))
                .allSatisfy(s -> assertThat(s).startsWith("401"))
                .anySatisfy(s -> assertThat(s).contains("1 attempt"));
        assertThat(answers.get(4)).startsWith("423");
        assertThat(onB.enter(locked, "00000000")).startsWith("423");

        // five passcode requests per address and message, split over the portals
        String limited = protectOnA("[encrypt] cluster limit", "cluster secret 5LM6");
        PortalReader r1 = new PortalReader(a.portalUrl());
        PortalReader r2 = new PortalReader(b.portalUrl());
        List<String> asks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            asks.add((i % 2 == 0 ? r1 : r2).ask(limited, CAROL));
        }
        assertThat(asks.subList(0, 5)).allSatisfy(s -> assertThat(s).startsWith("303"));
        assertThat(asks.get(5)).startsWith("429");
        assertThat(r1.ask(limited, CAROL)).startsWith("429");
    }

    @Test
    @Order(5)
    void postgresqlKilledMidTrafficShouldLoseNoMailOnEitherNode() throws Exception {
        ClusterLoad load =
                new ClusterLoad(
                        Map.of("pgA", a, "pgB", b),
                        sink,
                        traffic,
                        LoadedJames.RATE / 2,
                        () -> ZoneFileKeyRecordSource.parse(zone, "zone"));
        Duration phase = Duration.ofSeconds((long) (LOAD_MAILS / LoadedJames.RATE) + 120);
        Instant t0 = Instant.now();
        String heldDuring;
        int whileDown;
        long down;
        load.start();
        try {
            load.awaitAccepted(LOAD_MAILS / 3, phase);
            int beforeKill = load.accepted();
            Instant killed = Instant.now();
            pg.kill();
            // both portals see it (their health check reads the stores)
            for (InstalledJames n : List.of(a, b)) {
                awaitStatus(n.portalUrl() + "/healthz", 503);
            }
            // mail that needs keys is held on both nodes (once their DKM caches expire), not lost
            // and
            // not sent on unsigned or in clear; the rest flows
            LoadedJames.await(
                    "mail held on both nodes",
                    Duration.ofSeconds(120),
                    () -> load.held("pgA") > 0 && load.held("pgB") > 0);
            load.awaitAccepted(LOAD_MAILS * 2 / 3, phase);
            heldDuring = load.heldNow();
            whileDown = load.accepted() - beforeKill;
            pg.start();
            down = since(killed);
            load.awaitAccepted(LOAD_MAILS, phase);
            load.stop();
        } finally {
            load.stopNow();
        }
        String heldAtEnd = load.heldNow();

        // the operator reprocesses held mail through WebAdmin, as the sample's comments say, until
        // every mail is out
        Instant restarted = Instant.now();
        String counted = load.awaitCountedOut(Duration.ofSeconds(240));
        assertThat(load.sent()).isGreaterThanOrEqualTo(LOAD_MAILS);
        figures.add(
                String.format(
                        "PostgreSQL killed (SIGKILL) %d ms, %d mails accepted meanwhile; %d mails"
                                + " (%d id|recipient) in over both nodes at %.1f/s each; held when"
                                + " it came back: %s; after the traffic: %s; all counted out %d ms"
                                + " after the traffic stopped; %s; the phase took %d s",
                        down,
                        whileDown,
                        load.sent(),
                        load.pairs(),
                        LoadedJames.RATE / 2,
                        heldDuring,
                        heldAtEnd,
                        since(restarted),
                        counted,
                        Duration.between(t0, Instant.now()).toSeconds()));
        for (InstalledJames n : List.of(a, b)) {
            for (String repo : List.of("error", "address-error", "relay-denied", "rrt-error")) {
                assertThat(n.webAdmin().repositorySize("var/mail/" + repo)).as(repo).isZero();
            }
        }
    }

    private static String subject(String raw) {
        Matcher m = Pattern.compile("(?m)^Subject: (.*)$").matcher(raw);
        return m.find() ? m.group(1).trim() : "";
    }

    /** Sends a protected mail from alice to carol through A; the licence id of its wrapper. */
    private static String protectOnA(String subject, String body) throws Exception {
        a.send(ALICE, CAROL, subject, body, true);
        String wrapper = null;
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (wrapper == null) {
            for (String m : inbox(a, CAROL)) {
                if (subject(m).equals(subject)) {
                    wrapper = m;
                }
            }
            assertThat(Instant.now()).as("wrapper %s", subject).isBefore(deadline);
            Thread.sleep(wrapper == null ? 300 : 0);
        }
        assertThat(wrapper).doesNotContain(body);
        Matcher link = LINK.matcher(wrapper);
        assertThat(link.find()).as(wrapper).isTrue();
        return link.group(1);
    }

    /** The passcode of the n-th passcode mail for this licence in carol's INBOX on the node. */
    private static String awaitPasscode(InstalledJames n, String id, int nth) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            List<String> mails =
                    inbox(n, CAROL).stream()
                            .filter(m -> m.contains("X-Mailsec-Portal: passcode; licence=" + id))
                            .collect(Collectors.toList());
            if (mails.size() >= nth) {
                // the code stands alone on its line, indented by four spaces (PortalMailer); any
                // 8-digit run elsewhere (a Message-ID's "....12345678.JavaMail") is not it
                Matcher code =
                        Pattern.compile("(?m)^ {4}(\\d{8})\\r?$").matcher(mails.get(nth - 1));
                assertThat(code.find()).as(mails.get(nth - 1)).isTrue();
                return code.group(1);
            }
            assertThat(Instant.now()).as("passcode mail for %s", id).isBefore(deadline);
            Thread.sleep(300);
        }
    }

    /** Raw text of every message in the user's INBOX on the node. */
    private static List<String> inbox(InstalledJames n, String user) throws Exception {
        List<String> out = new ArrayList<>();
        Store store = n.imapSession().getStore("imap");
        store.connect("127.0.0.1", n.imapPort, user, "secret");
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            for (Message m : inbox.getMessages()) {
                ByteArrayOutputStream raw = new ByteArrayOutputStream();
                m.writeTo(raw);
                out.add(raw.toString(UTF_8));
            }
            inbox.close(false);
        } finally {
            store.close();
        }
        return out;
    }

    private static String awaitSunk(String subject) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            for (String m : sink.messages()) {
                if (subject(m).equals(subject)) {
                    return m;
                }
            }
            assertThat(Instant.now())
                    .as("'%s' relayed; James B:%n%s", subject, b.tail("james.out"))
                    .isBefore(deadline);
            Thread.sleep(200);
        }
    }

    private static List<String> selectors(String raw) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\\bs=([a-z0-9-]+);").matcher(raw);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The pack's verifier against the zone published so far (both key generations). */
    private static List<DkimResult> verify(String raw) {
        return new DkimVerifier(ZoneFileKeyRecordSource.parse(zone, "zone"), DkimPolicy.defaults())
                .verify(raw.getBytes(UTF_8)).results().stream()
                        .map(DkimSignatureResult::result)
                        .collect(Collectors.toList());
    }

    private static void awaitStatus(String url, int status) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (http.send(
                                HttpRequest.newBuilder(URI.create(url))
                                        .timeout(Duration.ofSeconds(10))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                != status) {
            assertThat(Instant.now()).as("%s answering %d", url, status).isBefore(deadline);
            Thread.sleep(300);
        }
    }

    private static Path adminCredential() {
        return a.home().resolve("var/mailsec/dkm/credentials/admin.cred");
    }

    private static long since(Instant t) {
        return Duration.between(t, Instant.now()).toMillis();
    }
}
