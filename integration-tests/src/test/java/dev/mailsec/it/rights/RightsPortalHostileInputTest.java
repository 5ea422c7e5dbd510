package dev.mailsec.it.rights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.dkm.IdentityType;
import dev.mailsec.it.harness.PortalReader;
import dev.mailsec.portal.Portal;
import dev.mailsec.portal.RightsPortalEngine;
import dev.mailsec.rights.RightsSettings;
import dev.mailsec.rights.RightsTestEnvironment;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 13, finding 6, against the real portal over the real rights store and DKM (no James needed:
 * messages are protected with the engine directly): a non-party asking for a passcode and entering
 * codes gets exactly the answers a party gets, limits included, and one client asking for
 * non-parties does not grow the store without bound. The tests share one client address (127.0.0.1)
 * and so its per-client window: the one that exhausts it runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RightsPortalHostileInputTest {

    static final String ALICE = "alice@mailsec.test";
    static final String CAROL = "carol@external.test";
    static final String MALLORY = "mallory@evil.test";
    static final int PER_CLIENT = 60;

    static Path dir;
    static RightsTestEnvironment env;
    static RightsPortalEngine engine;
    static Portal portal;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("mailsec-portal-hostile-");
        int port = freePort();
        int noSmtp =
                freePort(); // passcode mails fail in the background; the answers do not depend on
        // them
        env =
                RightsTestEnvironment.create(
                        dir.resolve("rights"),
                        Clock.systemUTC(),
                        rightsXml("rights-state", port, noSmtp));
        Path portalDir = Files.createDirectories(dir.resolve("rights/portal"));
        env.admin()
                .createIdentity(
                        "rights-portal",
                        IdentityType.SERVICE,
                        false,
                        portalDir.resolve("rights-portal.cred"));
        env.admin().addMember("rights", "rights-portal");
        Files.writeString(
                portalDir.resolve("dkm.properties"),
                "store=file:"
                        + portalDir.resolve("../dkm-data").normalize()
                        + "\nidentity="
                        + portalDir.resolve("rights-portal.cred")
                        + "\ncacheTtl=PT5M\n");
        Files.writeString(
                portalDir.resolve("rights.xml"),
                rightsXml(portalDir.resolve("../rights-state").normalize().toString(), port, noSmtp)
                        .replace(
                                "</rights>",
                                "  <dkm config=\""
                                        + portalDir.resolve("dkm.properties")
                                        + "\"/>\n</rights>"));
        RightsSettings settings = RightsSettings.load(portalDir.resolve("rights.xml"));
        engine = RightsPortalEngine.open(settings);
        portal = Portal.start(RightsPortalEngine.config(settings), engine);
        base = "http://127.0.0.1:" + port;
    }

    @AfterAll
    static void stop() throws Exception {
        if (portal != null) {
            portal.close();
        }
        if (engine != null) {
            engine.close();
        }
        env.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    static String rightsXml(String store, int port, int smtp) {
        return "<rights>\n  <issuer>mailsec.test</issuer>\n  <organisationDomains>mailsec.test</organisationDomains>\n"
                + "  <portal url=\"http://127.0.0.1:"
                + port
                + "\" bind=\"127.0.0.1\" port=\""
                + port
                + "\" smtpHost=\"127.0.0.1\" "
                + "smtpPort=\""
                + smtp
                + "\" perAddressPerHour=\"5\" perClientPerHour=\""
                + PER_CLIENT
                + "\"/>\n"
                + "  <store url=\"file:"
                + store
                + "\"/>\n  <subject mode=\"keep\"/>\n</rights>\n";
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String protect(String subject) throws Exception {
        return protect(subject, List.of(CAROL));
    }

    static String protect(String subject, List<String> to) throws Exception {
        byte[] raw =
                ("From: "
                                + ALICE
                                + "\r\nTo: "
                                + String.join(", ", to)
                                + "\r\nSubject: "
                                + subject
                                + "\r\nMessage-ID: <"
                                + System.nanoTime()
                                + "@mailsec.test>\r\n\r\nsecret\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
        return env.protector()
                .protect(raw, ALICE, to, env.settings().template("encrypt-only"))
                .licence()
                .licenceId();
    }

    @Test
    @Order(0)
    void healthzShouldAnswer503WhileTheStateStoreIsAwayAndOkOnceItIsBack() throws Exception {
        PortalReader probe = new PortalReader(base);
        assertThat(probe.get("/healthz").statusCode()).isEqualTo(200);
        Path state = dir.resolve("rights/rights-state");
        Path away = dir.resolve("rights/rights-state-away");
        Files.move(state, away);
        try {
            HttpResponse<String> down = probe.get("/healthz");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).isEqualTo("unavailable\n");
        } finally {
            Files.move(away, state);
        }
        assertThat(probe.get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(1)
    void aNonPartyShouldGetTheSameAnswersAsAPartyForWrongCodes() throws Exception {
        String id = protect("wrong codes");
        PortalReader party = new PortalReader(base);
        PortalReader stranger = new PortalReader(base);
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        a.add(party.ask(id, CAROL));
        b.add(stranger.ask(id, MALLORY));
        for (int i = 0; i < 6; i++) {
            a.add(party.enter(id, "123456789"));
            b.add(stranger.enter(id, "123456789"));
        }
        assertThat(a.get(1)).startsWith("401").contains("4 attempts left");
        assertThat(a.get(5)).startsWith("423");
        assertThat(b).isEqualTo(a);
    }

    @Test
    @Order(2)
    void aNonPartyShouldMeetThePerAddressLimitLikeAParty() throws Exception {
        String id = protect("limits");
        PortalReader party = new PortalReader(base);
        PortalReader stranger = new PortalReader(base);
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            a.add(party.ask(id, CAROL));
            b.add(stranger.ask(id, MALLORY));
        }
        assertThat(a.get(5)).startsWith("429");
        assertThat(b).isEqualTo(a);
    }

    @Test
    @Order(3)
    void aPasscodeRequestShouldTakeAsLongForANonPartyAsForAParty() throws Exception {
        // interleaved, 15 each, every address asked once (no per-address limit in play); the
        // medians, so one slow
        // moment on a shared machine does not decide
        List<String> parties = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            parties.add("reader" + i + "@external.test");
        }
        String id = protect("timing", parties);
        List<Long> party = new ArrayList<>();
        List<Long> stranger = new ArrayList<>();
        PortalReader a = new PortalReader(base);
        PortalReader b = new PortalReader(base);
        for (int i = 0; i < 15; i++) {
            // each store write rewrites a growing shard: take turns at going first
            if (i % 2 == 0) {
                party.add(timed(a, id, parties.get(i)));
                stranger.add(timed(b, id, "stranger" + i + "@evil.test"));
            } else {
                stranger.add(timed(b, id, "stranger" + i + "@evil.test"));
                party.add(timed(a, id, parties.get(i)));
            }
        }
        long p = median(party);
        long s = median(stranger);
        System.out.printf(
                "passcode request median: party %.2f ms, non-party %.2f ms%n", p / 1e6, s / 1e6);
        assertThat((double) Math.max(p, s) / Math.min(p, s))
                .as("party %d ns, non-party %d ns", p, s)
                .isLessThan(1.5);
    }

    static long timed(PortalReader r, String id, String address) throws Exception {
        HttpResponse<String> landing = r.get("/m/" + id + "?other=1");
        String token = PortalReader.csrf(landing.body());
        long t0 = System.nanoTime();
        HttpResponse<String> answer =
                r.post("/m/" + id + "/passcode", "csrf", token, "address", address);
        long t = System.nanoTime() - t0;
        assertThat(answer.statusCode()).isEqualTo(303);
        return t;
    }

    static long median(List<Long> xs) {
        List<Long> sorted = new ArrayList<>(xs);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    @Test
    @Order(4)
    void oneClientAskingForNonPartiesShouldNotGrowTheStoreWithoutBound() throws Exception {
        String id = protect("growth");
        PortalReader stranger = new PortalReader(base);
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < PER_CLIENT + 30; i++) {
            answers.add(stranger.ask(id, "n" + i + "@evil.test"));
        }
        assertThat(answers.get(answers.size() - 1)).startsWith("429");
        // at most one access-log line per request the per-client limit let through
        assertThat(env.store().events(id).size()).isLessThanOrEqualTo(PER_CLIENT);
    }
}
