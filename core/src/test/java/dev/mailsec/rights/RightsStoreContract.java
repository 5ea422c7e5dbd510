package dev.mailsec.rights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.dkm.spi.Storage;
import dev.mailsec.dkm.spi.StoredRecord;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every rights store backend must do; run against the file store and a real PostgreSQL.
 * Messages come from a real protector (DKM file store keys), stored in the backend under test.
 */
abstract class RightsStoreContract<S extends Storage> {
    static final String ALICE = "alice@mailsec.test";
    static final String CAROL = "carol@external.test";
    static final String MALLORY = "mallory@evil.test";
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir Path dir;
    RightsTestEnvironment env;
    S storage;
    RightsStore store;
    RightsProtector protector;
    PortalSettings portal;
    PasscodeKeys keys;

    /** A fresh, empty backend. */
    abstract S newStorage() throws Exception;

    /** The rights store on a backend, as production code opens it there. */
    abstract RightsStore storeOn(S storage);

    /** Removes what {@link #newStorage()} made (if it outlives the temp folder). */
    void dropStorage() throws Exception {}

    @BeforeEach
    void setUp() throws Exception {
        env = RightsTestEnvironment.create(dir.resolve("env"), Clock.systemUTC());
        storage = newStorage();
        store = storeOn(storage);
        protector =
                new RightsProtector(
                        env.settings(), env.keyring(), store, Clock.fixed(T0, ZoneOffset.UTC));
        portal = PortalSettings.builder("mailsec.test").build();
        keys = PasscodeKeys.of(env.keyring());
    }

    @AfterEach
    void tearDown() throws Exception {
        store.close();
        env.close();
        dropStorage();
    }

    Protection protect(String mid, String template) throws Exception {
        byte[] raw = RightsTestMessages.multipart(ALICE, CAROL, mid, "s");
        return protector.protect(
                new MimeMessage(
                        Session.getInstance(new Properties()), new ByteArrayInputStream(raw)),
                ALICE,
                List.of(CAROL),
                env.settings().template(template));
    }

    @Test
    void recordedMessagesShouldBeFoundByLicenceIdAndByMessageId() throws Exception {
        Protection p = protect("one@mailsec.test", "confidential-30d");
        String jti = p.licence().licenceId();
        StoredMessage m = store.find(jti).orElseThrow();
        assertThat(m.licenceId()).isEqualTo(jti);
        assertThat(m.messageId()).isEqualTo("one@mailsec.test");
        assertThat(m.sender()).isEqualTo(ALICE);
        assertThat(m.recipients()).containsExactly(CAROL);
        assertThat(m.template()).isEqualTo("confidential-30d");
        assertThat(m.rights()).containsExactlyInAnyOrder(Right.VIEW, Right.REPLY);
        assertThat(m.created()).isEqualTo(T0);
        assertThat(m.expires()).contains(T0.plus(Duration.ofDays(30)));
        assertThat(m.revocation()).isEmpty();
        assertThat(store.find("<one@mailsec.test>").map(StoredMessage::licenceId)).contains(jti);
        assertThat(store.find(" one@mailsec.test ").map(StoredMessage::licenceId)).contains(jti);
        assertThat(store.packageOf(jti)).contains(p.pkg());
        assertThat(store.find("nobody@mailsec.test")).isEmpty();
        assertThat(store.packageOf("AAAAAAAAAAAAAAAAAAAAAA")).isEmpty();
        assertThat(store.packageOf("../../etc/passwd")).isEmpty();
        assertThatThrownBy(() -> store.record(p.licence(), p.pkg()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aMessageIdProtectedTwiceShouldFindBothAndRevokeBoth() throws Exception {
        Protection a = protect("twice@mailsec.test", "encrypt-only");
        Protection b = protect("twice@mailsec.test", "do-not-forward");
        assertThat(store.findAll("twice@mailsec.test"))
                .extracting(StoredMessage::licenceId)
                .containsExactly(a.licence().licenceId(), b.licence().licenceId());
        assertThat(store.find("twice@mailsec.test").orElseThrow().licenceId())
                .isEqualTo(b.licence().licenceId());
        assertThat(store.revoke("<twice@mailsec.test>", "admin", "leak")).isTrue();
        assertThat(store.revocation(a.licence().licenceId()).orElseThrow().by()).isEqualTo("admin");
        assertThat(store.revocation(b.licence().licenceId()).orElseThrow().reason())
                .isEqualTo("leak");
        assertThat(store.revoke("twice@mailsec.test", "admin", "again")).isFalse();
        assertThat(store.revoke("unknown@mailsec.test", "admin", "x")).isFalse();
        assertThat(store.find(a.licence().licenceId()).orElseThrow().isRevoked()).isTrue();
        assertThat(store.events("twice@mailsec.test"))
                .extracting(AccessEvent::type)
                .containsExactly(EventType.REVOKED, EventType.REVOKED);
    }

    @Test
    void theAccessLogShouldKeepEveryFieldInTimeOrder() throws Exception {
        Protection p = protect("log@mailsec.test", "encrypt-only");
        String jti = p.licence().licenceId();
        store.log(
                new AccessEvent(
                        T0.plusSeconds(20),
                        jti,
                        CAROL,
                        EventType.REPLIED,
                        Channel.PORTAL,
                        "10.0.0.7 Firefox",
                        "to alice@mailsec.test"));
        store.log(
                new AccessEvent(
                        T0.plusSeconds(10),
                        jti,
                        CAROL,
                        EventType.OPENED,
                        Channel.PORTAL,
                        "10.0.0.7",
                        ""));
        store.log(
                new AccessEvent(
                        T0.plusSeconds(10),
                        jti,
                        CAROL,
                        EventType.ATTACHMENT_DOWNLOADED,
                        Channel.PORTAL,
                        "",
                        "report.pdf"));
        List<AccessEvent> log = store.events("<log@mailsec.test>");
        assertThat(log)
                .extracting(AccessEvent::type)
                .containsExactlyInAnyOrder(
                        EventType.OPENED, EventType.ATTACHMENT_DOWNLOADED, EventType.REPLIED);
        assertThat(log.get(2).type()).isEqualTo(EventType.REPLIED);
        assertThat(log.get(2).time()).isEqualTo(T0.plusSeconds(20));
        assertThat(log.get(2).licenceId()).isEqualTo(jti);
        assertThat(log.get(2).address()).isEqualTo(CAROL);
        assertThat(log.get(2).channel()).isEqualTo(Channel.PORTAL);
        assertThat(log.get(2).client()).isEqualTo("10.0.0.7 Firefox");
        assertThat(log.get(2).detail()).isEqualTo("to alice@mailsec.test");
        assertThat(store.events(jti)).hasSize(3);
        assertThat(store.events("nothing@mailsec.test")).isEmpty();
    }

    @Test
    void aPasscodeShouldWorkOnceOnly() throws Exception {
        String jti = protect("pc1@mailsec.test", "encrypt-only").licence().licenceId();
        PasscodeIssue issue =
                store.issuePasscode(jti, "Carol@External.test", "10.0.0.1", T0, portal, keys);
        assertThat(issue.code()).matches("[0-9]{8}");
        assertThat(issue.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
        assertThat(issue.toString()).doesNotContain(issue.code());
        assertThat(
                        store.checkPasscode(
                                        jti, CAROL, issue.code(), T0.plusSeconds(30), portal, keys)
                                .status())
                .isEqualTo(PasscodeCheck.Status.OK);
        assertThat(
                        store.checkPasscode(
                                        jti, CAROL, issue.code(), T0.plusSeconds(31), portal, keys)
                                .status())
                .isEqualTo(PasscodeCheck.Status.NONE);
        assertThat(
                        store.checkPasscode(
                                        jti, ALICE, issue.code(), T0.plusSeconds(31), portal, keys)
                                .status())
                .isEqualTo(PasscodeCheck.Status.NONE);
        // only a keyed MAC is stored (PasscodeMacTest)
        for (StoredRecord r : storage.list("")) {
            assertThat(new String(r.value(), StandardCharsets.ISO_8859_1))
                    .doesNotContain(issue.code());
        }
        assertThat(store.events(jti))
                .extracting(AccessEvent::type)
                .containsExactly(EventType.PASSCODE_SENT, EventType.PASSCODE_OK);
        assertThat(store.events(jti).toString()).doesNotContain(issue.code());
    }

    @Test
    void fiveWrongPasscodesShouldLockTheClientOutOfThatMessageForThatAddress() throws Exception {
        String jti = protect("pc2@mailsec.test", "encrypt-only").licence().licenceId();
        String other = protect("pc3@mailsec.test", "encrypt-only").licence().licenceId();
        PasscodeIssue issue = store.issuePasscode(jti, CAROL, "10.0.0.1", T0, portal, keys);
        String wrong = issue.code().equals("00000000") ? "11111111" : "00000000";
        for (int i = 4; i >= 1; i--) {
            PasscodeCheck c =
                    store.checkPasscode(
                            jti, CAROL, wrong, "10.0.0.1", T0.plusSeconds(5 - i), portal, keys);
            assertThat(c.status()).isEqualTo(PasscodeCheck.Status.WRONG);
            assertThat(c.remainingAttempts()).isEqualTo(i);
        }
        PasscodeCheck fifth =
                store.checkPasscode(
                        jti, CAROL, "not digits", "10.0.0.1", T0.plusSeconds(5), portal, keys);
        assertThat(fifth.status()).isEqualTo(PasscodeCheck.Status.LOCKED);
        assertThat(fifth.lockedUntil()).contains(T0.plusSeconds(5).plus(Duration.ofHours(1)));
        // the right code no longer helps, and no new one is issued while locked
        assertThat(
                        store.checkPasscode(
                                        jti,
                                        CAROL,
                                        issue.code(),
                                        "10.0.0.1",
                                        T0.plusSeconds(6),
                                        portal,
                                        keys)
                                .status())
                .isEqualTo(PasscodeCheck.Status.LOCKED);
        assertThatThrownBy(
                        () ->
                                store.issuePasscode(
                                        jti, CAROL, "10.0.0.1", T0.plusSeconds(7), portal, keys))
                .isInstanceOf(LockedOutException.class);
        // the lock is per message, address and client
        assertThat(
                        store.issuePasscode(
                                        other, CAROL, "10.0.0.1", T0.plusSeconds(8), portal, keys)
                                .code())
                .matches("[0-9]{8}");
        // after the lock-out a new passcode works
        Instant later = T0.plus(Duration.ofHours(2));
        PasscodeIssue again = store.issuePasscode(jti, CAROL, "10.0.0.2", later, portal, keys);
        assertThat(
                        store.checkPasscode(
                                        jti,
                                        CAROL,
                                        again.code(),
                                        later.plusSeconds(1),
                                        portal,
                                        keys)
                                .isOk())
                .isTrue();
        assertThat(store.events(jti))
                .extracting(AccessEvent::type)
                .contains(
                        EventType.PASSCODE_FAILED,
                        EventType.PASSCODE_LOCKED,
                        EventType.PASSCODE_OK);
    }

    @Test
    void anExpiredPasscodeShouldBeRefusedAndANewOneReplaceTheOld() throws Exception {
        String jti = protect("pc4@mailsec.test", "encrypt-only").licence().licenceId();
        PasscodeIssue first = store.issuePasscode(jti, CAROL, "10.0.0.1", T0, portal, keys);
        assertThat(
                        store.checkPasscode(
                                        jti,
                                        CAROL,
                                        first.code(),
                                        T0.plus(Duration.ofMinutes(10)),
                                        portal,
                                        keys)
                                .status())
                .isEqualTo(PasscodeCheck.Status.EXPIRED);
        PasscodeIssue second =
                store.issuePasscode(
                        jti, CAROL, "10.0.0.1", T0.plus(Duration.ofMinutes(11)), portal, keys);
        if (!second.code().equals(first.code())) {
            assertThat(
                            store.checkPasscode(
                                            jti,
                                            CAROL,
                                            first.code(),
                                            T0.plus(Duration.ofMinutes(12)),
                                            portal,
                                            keys)
                                    .status())
                    .isEqualTo(PasscodeCheck.Status.WRONG);
        }
        assertThat(
                        store.checkPasscode(
                                        jti,
                                        CAROL,
                                        second.code(),
                                        T0.plus(Duration.ofMinutes(12)),
                                        portal,
                                        keys)
                                .isOk())
                .isTrue();
    }

    @Test
    void passcodeRequestsShouldBeRateLimitedPerAddress() throws Exception {
        String jti = protect("rl1@mailsec.test", "encrypt-only").licence().licenceId();
        for (int i = 0; i < 5; i++) {
            store.issuePasscode(jti, CAROL, "10.0.0." + i, T0.plusSeconds(i), portal, keys);
        }
        assertThatThrownBy(
                        () ->
                                store.issuePasscode(
                                        jti, CAROL, "10.0.0.99", T0.plusSeconds(60), portal, keys))
                .isInstanceOfSatisfying(
                        RateLimitedException.class,
                        e -> {
                            assertThat(e.scope()).isEqualTo(RateLimitedException.Scope.ADDRESS);
                            assertThat(e.retryAfter()).isEqualTo(T0.plus(Duration.ofHours(1)));
                        });
        assertThat(
                        store.issuePasscode(
                                        jti, ALICE, "10.0.0.99", T0.plusSeconds(61), portal, keys)
                                .code())
                .isNotEmpty();
        assertThat(
                        store.issuePasscode(
                                        jti,
                                        CAROL,
                                        "10.0.0.99",
                                        T0.plus(Duration.ofHours(1)).plusSeconds(1),
                                        portal,
                                        keys)
                                .code())
                .isNotEmpty();
    }

    @Test
    void passcodeRequestsShouldBeRateLimitedPerClient() throws Exception {
        PortalSettings tight =
                PortalSettings.builder("mailsec.test").passcodesPerClientPerHour(3).build();
        String a = protect("rl2@mailsec.test", "encrypt-only").licence().licenceId();
        String b = protect("rl3@mailsec.test", "encrypt-only").licence().licenceId();
        store.issuePasscode(a, CAROL, "192.0.2.1", T0, tight, keys);
        store.issuePasscode(a, ALICE, "192.0.2.1", T0, tight, keys);
        store.issuePasscode(b, CAROL, "192.0.2.1", T0, tight, keys);
        assertThatThrownBy(
                        () ->
                                store.issuePasscode(
                                        b, ALICE, "192.0.2.1", T0.plusSeconds(1), tight, keys))
                .isInstanceOfSatisfying(
                        RateLimitedException.class,
                        e -> assertThat(e.scope()).isEqualTo(RateLimitedException.Scope.CLIENT));
        assertThat(
                        store.issuePasscode(b, ALICE, "192.0.2.2", T0.plusSeconds(1), tight, keys)
                                .code())
                .isNotEmpty();
    }

    @Test
    void passcodesShouldOnlyBeIssuedToPartiesOfALiveMessage() throws Exception {
        Protection p = protect("pc5@mailsec.test", "encrypt-only");
        String jti = p.licence().licenceId();
        assertThatThrownBy(
                        () ->
                                store.issuePasscode(
                                        jti, "mallory@evil.test", "10.0.0.1", T0, portal, keys))
                .isInstanceOfSatisfying(
                        RightsDeniedException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(RightsDeniedException.Reason.NOT_A_PARTY));
        assertThatThrownBy(
                        () ->
                                store.issuePasscode(
                                        "AAAAAAAAAAAAAAAAAAAAAA",
                                        CAROL,
                                        "10.0.0.1",
                                        T0,
                                        portal,
                                        keys))
                .isInstanceOfSatisfying(
                        RightsDeniedException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(RightsDeniedException.Reason.UNKNOWN_MESSAGE));
        store.revoke(jti, ALICE, "");
        assertThatThrownBy(() -> store.issuePasscode(jti, CAROL, "10.0.0.1", T0, portal, keys))
                .isInstanceOfSatisfying(
                        RightsDeniedException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(RightsDeniedException.Reason.REVOKED));
        assertThat(
                        store.checkPasscode("not a licence id", CAROL, "12345678", T0, portal, keys)
                                .status())
                .isEqualTo(PasscodeCheck.Status.NONE);
    }

    @Test
    void twoStoresOnTheSameBackendShouldShareState() throws Exception {
        Protection p = protect("shared@mailsec.test", "encrypt-only");
        String jti = p.licence().licenceId();
        PasscodeIssue issue = store.issuePasscode(jti, CAROL, "10.0.0.1", T0, portal, keys);
        try (RightsStore second = storeOn(reopen())) {
            assertThat(second.packageOf(jti)).contains(p.pkg());
            assertThat(
                            second.checkPasscode(
                                            jti,
                                            CAROL,
                                            issue.code(),
                                            T0.plusSeconds(1),
                                            portal,
                                            keys)
                                    .isOk())
                    .isTrue();
            assertThat(second.revoke(jti, "admin", "")).isTrue();
        }
        assertThat(
                        store.checkPasscode(
                                        jti, CAROL, issue.code(), T0.plusSeconds(2), portal, keys)
                                .status())
                .isEqualTo(PasscodeCheck.Status.NONE);
        assertThat(store.find(jti).orElseThrow().isRevoked()).isTrue();
    }

    // ---------------------------------------------------------------- issue 13: parties and
    // non-parties alike

    /**
     * What a passcode request answers, as the portal shows it: SENT for a party and a non-party
     * alike.
     */
    String ask(String jti, String address, String client, Instant t, PortalSettings p)
            throws Exception {
        try {
            store.issuePasscode(jti, address, client, t, p, keys);
            return "SENT";
        } catch (RightsDeniedException e) {
            return e.reason() == RightsDeniedException.Reason.NOT_A_PARTY
                    ? "SENT"
                    : e.reason().name();
        } catch (RateLimitedException e) {
            return "LIMITED " + e.scope() + " " + e.retryAfter();
        } catch (LockedOutException e) {
            return "LOCKED " + e.lockedUntil();
        }
    }

    String check(String jti, String address, String code, String client, Instant t)
            throws Exception {
        PasscodeCheck c = store.checkPasscode(jti, address, code, client, t, portal, keys);
        return c.toString();
    }

    @Test
    void aNonPartyShouldMeetThePerAddressLimitLikeAParty() throws Exception {
        String jti = protect("np1@mailsec.test", "encrypt-only").licence().licenceId();
        List<String> party = new ArrayList<>();
        List<String> stranger = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            party.add(ask(jti, CAROL, "10.0.1." + i, T0.plusSeconds(i), portal));
            stranger.add(ask(jti, MALLORY, "10.0.2." + i, T0.plusSeconds(i), portal));
        }
        assertThat(party.get(5)).startsWith("LIMITED ADDRESS");
        assertThat(stranger).isEqualTo(party);
    }

    @Test
    void aNonPartysRequestsShouldCountTowardsThePerClientLimit() throws Exception {
        PortalSettings tight =
                PortalSettings.builder("mailsec.test").passcodesPerClientPerHour(3).build();
        String jti = protect("np2@mailsec.test", "encrypt-only").licence().licenceId();
        for (int i = 0; i < 3; i++) {
            assertThat(ask(jti, "nobody" + i + "@evil.test", "192.0.2.9", T0.plusSeconds(i), tight))
                    .isEqualTo("SENT");
        }
        assertThat(ask(jti, "nobody9@evil.test", "192.0.2.9", T0.plusSeconds(4), tight))
                .startsWith("LIMITED CLIENT");
        assertThat(ask(jti, CAROL, "192.0.2.9", T0.plusSeconds(5), tight))
                .startsWith("LIMITED CLIENT");
    }

    @Test
    void aWrongCodeShouldGetTheSameAnswersForANonPartyAsForAParty() throws Exception {
        String jti = protect("np3@mailsec.test", "encrypt-only").licence().licenceId();
        ask(jti, CAROL, "10.0.3.1", T0, portal);
        ask(jti, MALLORY, "10.0.3.2", T0, portal);
        List<String> party = new ArrayList<>();
        List<String> stranger = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            // 8 digits nobody was sent (a code of 9 digits is never issued)
            party.add(check(jti, CAROL, "123456789", "10.0.3.1", T0.plusSeconds(1 + i)));
            stranger.add(check(jti, MALLORY, "123456789", "10.0.3.2", T0.plusSeconds(1 + i)));
        }
        assertThat(party.get(0)).isEqualTo("PasscodeCheck[WRONG, 4 left]");
        assertThat(party.get(4)).startsWith("PasscodeCheck[LOCKED");
        assertThat(stranger).isEqualTo(party);
        // and after the passcode's lifetime both answer EXPIRED
        Instant late = T0.plus(portal.passcodeTtl()).plusSeconds(1);
        assertThat(check(jti, MALLORY, "123456789", "10.0.3.9", late))
                .isEqualTo(check(jti, CAROL, "123456789", "10.0.3.9", late))
                .isEqualTo("PasscodeCheck[EXPIRED]");
    }

    @Test
    void nonPartyRequestsShouldNotGrowTheStoreBeyondTheLimits() throws Exception {
        String jti = protect("np4@mailsec.test", "encrypt-only").licence().licenceId();
        int before = storage.list("").size();
        for (int i = 0; i < 200; i++) {
            ask(jti, "x" + (i % 7) + "@evil.test", "198.51.100.1", T0.plusSeconds(i), portal);
        }
        // the per-client limit (20 an hour) bounds what one client leaves behind: at most a rate
        // window per
        // client and per address, a passcode record per address and one access-log line per
        // answered request
        assertThat(storage.list("").size() - before)
                .isLessThanOrEqualTo(1 + 2 * 7 + portal.passcodesPerClientPerHour());
    }

    @Test
    void aStrangerShouldNotLockAReaderOut() throws Exception {
        String jti = protect("np5@mailsec.test", "encrypt-only").licence().licenceId();
        // the stranger asks for a code for carol (she gets it by mail) and enters five wrong ones
        PasscodeIssue mailed = store.issuePasscode(jti, CAROL, "203.0.113.66", T0, portal, keys);
        String wrong = mailed.code().equals("00000000") ? "11111111" : "00000000";
        for (int i = 0; i < 5; i++) {
            store.checkPasscode(
                    jti, CAROL, wrong, "203.0.113.66", T0.plusSeconds(1 + i), portal, keys);
        }
        assertThat(check(jti, CAROL, mailed.code(), "203.0.113.66", T0.plusSeconds(7)))
                .startsWith("PasscodeCheck[LOCKED");
        assertThat(ask(jti, CAROL, "203.0.113.66", T0.plusSeconds(8), portal)).startsWith("LOCKED");
        // carol, on her own client, still gets in with the code she was mailed, and can ask for a
        // new one
        assertThat(check(jti, CAROL, mailed.code(), "10.9.9.9", T0.plusSeconds(9)))
                .isEqualTo("PasscodeCheck[OK]");
        assertThat(ask(jti, CAROL, "10.9.9.9", T0.plusSeconds(10), portal)).isEqualTo("SENT");
    }

    @Test
    void thePerAddressLimitShouldBePerMessage() throws Exception {
        String a = protect("np6@mailsec.test", "encrypt-only").licence().licenceId();
        String b = protect("np7@mailsec.test", "encrypt-only").licence().licenceId();
        for (int i = 0; i < 5; i++) {
            assertThat(ask(a, CAROL, "10.0.4." + i, T0.plusSeconds(i), portal)).isEqualTo("SENT");
        }
        assertThat(ask(a, CAROL, "10.0.4.9", T0.plusSeconds(6), portal))
                .startsWith("LIMITED ADDRESS");
        assertThat(ask(b, CAROL, "10.0.4.9", T0.plusSeconds(7), portal)).isEqualTo("SENT");
    }

    @Test
    void anEndedSessionShouldBeEndedForEveryStoreOnTheBackend() throws Exception {
        Instant expires = T0.plus(Duration.ofMinutes(30));
        assertThat(store.isSessionEnded("nonce-1", T0)).isFalse();
        store.endSession("nonce-1", expires, T0);
        assertThat(store.isSessionEnded("nonce-1", T0.plusSeconds(1))).isTrue();
        assertThat(store.isSessionEnded("nonce-2", T0.plusSeconds(1))).isFalse();
        try (RightsStore second = storeOn(reopen())) {
            assertThat(second.isSessionEnded("nonce-1", T0.plusSeconds(2))).isTrue();
        }
        assertThat(storage.list("").toString()).doesNotContain("nonce-1");
    }

    /** A second handle on the same backend (another process or node). */
    abstract S reopen() throws Exception;

    @Test
    void aSendersMessagesShouldBeListedNewestFirstInBoundedPages() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < RightsStore.SENT_PAGE_SIZE + 2; i++) {
            ids.add(protect("sent" + i + "@mailsec.test", "encrypt-only").licence().licenceId());
        }
        SentMessages first = store.sentBy("Alice@Mailsec.test", 0);
        assertThat(first.total()).isEqualTo(RightsStore.SENT_PAGE_SIZE + 2);
        assertThat(first.pages()).isEqualTo(2);
        // page 0: the two newest (the page record still filling), newest first
        assertThat(first.messages())
                .extracting(StoredMessage::licenceId)
                .containsExactly(ids.get(ids.size() - 1), ids.get(ids.size() - 2));
        SentMessages second = store.sentBy(ALICE, 1);
        assertThat(second.messages()).hasSize(RightsStore.SENT_PAGE_SIZE);
        assertThat(second.messages().get(0).licenceId())
                .isEqualTo(ids.get(RightsStore.SENT_PAGE_SIZE - 1));
        assertThat(second.messages().get(RightsStore.SENT_PAGE_SIZE - 1).licenceId())
                .isEqualTo(ids.get(0));
        assertThat(store.sentBy(ALICE, 2).messages()).isEmpty();
        assertThat(store.sentBy(ALICE, -1).messages()).isEmpty();
        // a recipient sent nothing
        assertThat(store.sentBy(CAROL, 0).total()).isZero();
        assertThat(store.sentBy(CAROL, 0).messages()).isEmpty();
        // a revoked message stays in the list, revoked
        assertThat(store.revoke(ids.get(0), ALICE, "wrong person", Channel.PORTAL, "10.0.0.9"))
                .isTrue();
        assertThat(
                        store.sentBy(ALICE, 1)
                                .messages()
                                .get(RightsStore.SENT_PAGE_SIZE - 1)
                                .isRevoked())
                .isTrue();
        assertThat(store.events(ids.get(0)))
                .anySatisfy(
                        e -> {
                            assertThat(e.type()).isEqualTo(EventType.REVOKED);
                            assertThat(e.address()).isEqualTo(ALICE);
                            assertThat(e.channel()).isEqualTo(Channel.PORTAL);
                            assertThat(e.client()).isEqualTo("10.0.0.9");
                            assertThat(e.detail()).isEqualTo("wrong person");
                        });
    }

    @Test
    void aSenderPasscodeShouldSignInOnlyASenderAndNeverMixWithAReadersPasscode() throws Exception {
        String jti = protect("spc@mailsec.test", "encrypt-only").licence().licenceId();
        PasscodeIssue issue = store.issueSenderPasscode(ALICE, "10.0.0.1", T0, portal, keys);
        assertThat(issue.code()).matches("[0-9]{8}");
        // a sender passcode is not a reader passcode of her message
        assertThat(
                        store.checkPasscode(jti, ALICE, issue.code(), "10.0.0.1", T0, portal, keys)
                                .status())
                .isEqualTo(PasscodeCheck.Status.NONE);
        assertThat(
                        store.checkSenderPasscode(
                                        ALICE,
                                        issue.code(),
                                        "10.0.0.1",
                                        T0.plusSeconds(1),
                                        portal,
                                        keys)
                                .status())
                .isEqualTo(PasscodeCheck.Status.OK);
        assertThat(
                        store.checkSenderPasscode(
                                        ALICE,
                                        issue.code(),
                                        "10.0.0.1",
                                        T0.plusSeconds(2),
                                        portal,
                                        keys)
                                .status())
                .isEqualTo(PasscodeCheck.Status.NONE);
        // a reader passcode (alice is a party of her own message) does not sign in a sender
        PasscodeIssue reader = store.issuePasscode(jti, ALICE, "10.0.0.1", T0, portal, keys);
        assertThat(
                        store.checkSenderPasscode(
                                        ALICE, reader.code(), "10.0.0.1", T0, portal, keys)
                                .status())
                .isEqualTo(PasscodeCheck.Status.NONE);
        // carol received it but sent nothing: the same work, then NOT_A_PARTY
        assertThatThrownBy(() -> store.issueSenderPasscode(CAROL, "10.0.0.2", T0, portal, keys))
                .isInstanceOfSatisfying(
                        RightsDeniedException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(RightsDeniedException.Reason.NOT_A_PARTY));
        assertThat(store.events(RightsStore.senderLogId(ALICE)))
                .extracting(AccessEvent::type)
                .containsExactly(EventType.PASSCODE_SENT, EventType.PASSCODE_OK);
        assertThat(store.events(RightsStore.senderLogId(CAROL)))
                .extracting(AccessEvent::type)
                .containsExactly(EventType.OPEN_REFUSED);
        assertThat(RightsStore.senderLogId("ALICE@mailsec.test"))
                .isEqualTo(RightsStore.senderLogId(ALICE))
                .matches("sender-[0-9a-f]{40}");
    }

    @Test
    void senderPasscodesShouldShareTheReadersLimitsAndLockOut() throws Exception {
        protect("spl@mailsec.test", "encrypt-only");
        PortalSettings one =
                PortalSettings.builder("mailsec.test").passcodesPerAddressPerHour(1).build();
        store.issueSenderPasscode(ALICE, "10.0.0.1", T0, one, keys);
        assertThatThrownBy(() -> store.issueSenderPasscode(ALICE, "10.0.0.1", T0, one, keys))
                .isInstanceOf(RateLimitedException.class);
        String code =
                store.issueSenderPasscode(ALICE, "10.0.0.3", T0.plusSeconds(3601), portal, keys)
                        .code();
        String wrong = code.equals("00000000") ? "11111111" : "00000000";
        PasscodeCheck last = null;
        for (int i = 0; i < portal.maxWrongAttempts(); i++) {
            last =
                    store.checkSenderPasscode(
                            ALICE, wrong, "10.0.0.3", T0.plusSeconds(3602), portal, keys);
        }
        assertThat(last.status()).isEqualTo(PasscodeCheck.Status.LOCKED);
        assertThat(
                        store.checkSenderPasscode(
                                        ALICE, code, "10.0.0.3", T0.plusSeconds(3603), portal, keys)
                                .status())
                .isEqualTo(PasscodeCheck.Status.LOCKED);
    }
}
