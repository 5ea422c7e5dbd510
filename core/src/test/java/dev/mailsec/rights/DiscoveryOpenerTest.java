package dev.mailsec.rights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.dkm.Credential;
import dev.mailsec.dkm.IdentityType;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.store.FileStorage;
import dev.mailsec.tls.connector.ClientKeyCacheTest.MovableClock;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The eDiscovery role against a real DKM file store: a person opens any protected message only with
 * an approved, unexpired grant for the role secret, logged as {@code discovery:<identity>} with the
 * reason, in the rights access log and in DKM's audit log.
 */
class DiscoveryOpenerTest {
    static final String REASON = "LH-2026-17 litigation hold, counsel ticket 4711";

    @TempDir Path dir;
    RightsTestEnvironment env;
    FileStorage officerStorage;
    KeyManager officer;
    KeyManager secondAdmin;
    MovableClock officerClock = new MovableClock();
    byte[] raw;
    Protection protection;

    @BeforeEach
    void setUp() throws Exception {
        env = RightsTestEnvironment.create(dir, Clock.systemUTC());
        assertThat(
                        DiscoveryRole.create(
                                env.admin(),
                                DiscoveryRole.DEFAULT_GROUP,
                                DiscoveryRole.DEFAULT_SECRET))
                .isTrue();
        assertThat(
                        DiscoveryRole.create(
                                env.admin(),
                                DiscoveryRole.DEFAULT_GROUP,
                                DiscoveryRole.DEFAULT_SECRET))
                .isFalse();
        env.admin()
                .createIdentity(
                        "dana", IdentityType.PERSON, false, dir.resolve("credentials/dana.cred"));
        env.admin()
                .createIdentity(
                        "bob-admin",
                        IdentityType.PERSON,
                        true,
                        dir.resolve("credentials/bob.cred"));
        officerStorage = FileStorage.open(dir.resolve("dkm-data"));
        officer =
                KeyManager.open(
                        officerStorage,
                        null,
                        Credential.load(dir.resolve("credentials/dana.cred")),
                        officerClock);
        secondAdmin =
                KeyManager.open(
                        FileStorage.open(dir.resolve("dkm-data")),
                        new dev.mailsec.dkm.root.FileRootKeys(dir.resolve("root-keys")),
                        Credential.load(dir.resolve("credentials/bob.cred")),
                        Clock.systemUTC());
        raw =
                RightsTestMessages.multipart(
                        "alice@mailsec.test", "carol@external.test", "d1@mailsec.test", "Hold me");
        protection =
                env.protector()
                        .protect(
                                new MimeMessage(
                                        Session.getInstance(new Properties()),
                                        new ByteArrayInputStream(raw)),
                                "alice@mailsec.test",
                                List.of("carol@external.test"),
                                env.settings().template("do-not-forward"));
    }

    @AfterEach
    void tearDown() throws Exception {
        officer.close();
        secondAdmin.close();
        officerStorage.close();
        env.close();
    }

    DiscoveryOpener discovery() {
        return new DiscoveryOpener(env.settings(), env.keyring(), env.store(), Clock.systemUTC());
    }

    ProtectedPackage pkg() throws Exception {
        return ProtectedPackage.decode(protection.pkg().encode());
    }

    String requestAndApprove(Duration d, int approvals) throws Exception {
        String id = officer.requestAccess(DiscoveryRole.DEFAULT_SECRET, "LH-2026-17", d);
        if (approvals > 0) {
            env.admin().approve(id, "checked with counsel");
        }
        if (approvals > 1) {
            secondAdmin.approve(id, "second approver");
        }
        return id;
    }

    List<AccessEvent> events() throws Exception {
        return env.store().events(protection.licence().licenceId());
    }

    String audit() throws Exception {
        return String.join("\n", env.admin().tailAudit(200));
    }

    @Test
    void openShouldBeRefusedAndLoggedWithoutAnyGrant() throws Exception {
        DiscoveryAuthority dana =
                DiscoveryRole.viaGrant(officer, DiscoveryRole.DEFAULT_SECRET, officerClock);
        assertThatThrownBy(() -> discovery().open(pkg(), dana, REASON, Channel.CLI, "test"))
                .isInstanceOfSatisfying(
                        RightsDeniedException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(
                                                RightsDeniedException.Reason.NO_DISCOVERY_ACCESS));
        assertThat(events())
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.type()).isEqualTo(EventType.DISCOVERY_REFUSED);
                            assertThat(e.address()).isEqualTo("discovery:dana");
                            assertThat(e.detail()).contains(REASON);
                        });
        assertThat(audit())
                .contains("rights-discovery/role")
                .contains("discovery opening, reason: " + REASON);
    }

    @Test
    void openShouldBeRefusedWhileTheGrantLacksItsSecondApprover() throws Exception {
        requestAndApprove(Duration.ofHours(1), 1);
        assertThatThrownBy(
                        () ->
                                discovery()
                                        .open(
                                                pkg(),
                                                DiscoveryRole.viaGrant(
                                                        officer,
                                                        DiscoveryRole.DEFAULT_SECRET,
                                                        officerClock),
                                                REASON,
                                                Channel.CLI,
                                                "test"))
                .isInstanceOf(RightsDeniedException.class);
        assertThat(events().stream().map(AccessEvent::type))
                .containsExactly(EventType.DISCOVERY_REFUSED);
    }

    @Test
    void openShouldReturnTheOriginalWithAnApprovedGrantAndLogTheRoleNotAParty() throws Exception {
        String id = requestAndApprove(Duration.ofHours(1), 2);
        OpenedMessage o =
                discovery()
                        .open(
                                pkg(),
                                DiscoveryRole.viaGrant(
                                        officer, DiscoveryRole.DEFAULT_SECRET, officerClock),
                                REASON,
                                Channel.CLI,
                                "test");
        assertThat(o.raw()).isEqualTo(raw);
        assertThat(events())
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.type()).isEqualTo(EventType.DISCOVERY_OPENED);
                            assertThat(e.address()).isEqualTo("discovery:dana");
                            assertThat(e.channel()).isEqualTo(Channel.CLI);
                            assertThat(e.detail())
                                    .contains("reason: " + REASON)
                                    .contains("grant " + id + " until ");
                        });
        assertThat(audit()).contains("discovery opening, reason: " + REASON);
    }

    @Test
    void openShouldWorkOnARevokedMessageAndSaySo() throws Exception {
        requestAndApprove(Duration.ofHours(1), 2);
        env.store().revoke(protection.licence().licenceId(), "alice@mailsec.test", "oops");
        OpenedMessage o =
                discovery()
                        .openById(
                                protection.licence().licenceId(),
                                DiscoveryRole.viaGrant(
                                        officer, DiscoveryRole.DEFAULT_SECRET, officerClock),
                                REASON,
                                Channel.CLI,
                                "test");
        assertThat(o.raw()).isEqualTo(raw);
        assertThat(
                        events().stream()
                                .filter(e -> e.type() == EventType.DISCOVERY_OPENED)
                                .map(AccessEvent::detail)
                                .collect(Collectors.joining()))
                .contains("message revoked");
    }

    @Test
    void openShouldBeRefusedOnceTheGrantHasExpired() throws Exception {
        requestAndApprove(Duration.ofMinutes(30), 2);
        DiscoveryAuthority dana =
                DiscoveryRole.viaGrant(officer, DiscoveryRole.DEFAULT_SECRET, officerClock);
        discovery().open(pkg(), dana, REASON, Channel.CLI, "test");
        officerClock.advance(Duration.ofMinutes(31));
        assertThatThrownBy(() -> discovery().open(pkg(), dana, REASON, Channel.CLI, "test"))
                .isInstanceOf(RightsDeniedException.class)
                .hasMessageContaining("unexpired");
        assertThat(events().stream().map(AccessEvent::type))
                .containsExactly(EventType.DISCOVERY_OPENED, EventType.DISCOVERY_REFUSED);
    }

    @Test
    void aServiceShouldNotHoldTheRoleThroughTheGrantPathEvenAsAMember() throws Exception {
        env.admin().addMember(DiscoveryRole.DEFAULT_GROUP, "james-transport");
        try (FileStorage s = FileStorage.open(dir.resolve("dkm-data"));
                KeyManager service =
                        KeyManager.open(
                                s,
                                null,
                                Credential.load(dir.resolve("credentials/james-transport.cred")),
                                Clock.systemUTC())) {
            assertThatThrownBy(
                            () ->
                                    discovery()
                                            .open(
                                                    pkg(),
                                                    DiscoveryRole.viaGrant(
                                                            service,
                                                            DiscoveryRole.DEFAULT_SECRET,
                                                            Clock.systemUTC()),
                                                    REASON,
                                                    Channel.CLI,
                                                    "test"))
                    .isInstanceOf(RightsDeniedException.class)
                    .hasMessageContaining("only as a member");
        }
    }

    @Test
    void aMemberServiceShouldHoldTheRoleForTheJournalAndANonMemberShouldNot() throws Exception {
        DiscoveryAuthority journal =
                DiscoveryRole.viaMembership(
                        env.dkm(), "james-transport", DiscoveryRole.DEFAULT_SECRET);
        assertThatThrownBy(
                        () -> discovery().open(pkg(), journal, "journal", Channel.TRANSPORT, "j"))
                .isInstanceOf(RightsDeniedException.class);
        env.admin().addMember(DiscoveryRole.DEFAULT_GROUP, "james-transport");
        env.dkm().invalidateAll();
        assertThat(discovery().open(pkg(), journal, "journal", Channel.TRANSPORT, "j").raw())
                .isEqualTo(raw);
        assertThat(events().get(1).detail()).contains("member of rights-discovery");
        assertThat(events().get(1).address()).isEqualTo("discovery:james-transport");
    }

    @Test
    void aMissingOrMultiLineReasonShouldBeRefusedBeforeAnythingIsLogged() throws Exception {
        requestAndApprove(Duration.ofHours(1), 2);
        DiscoveryAuthority dana =
                DiscoveryRole.viaGrant(officer, DiscoveryRole.DEFAULT_SECRET, officerClock);
        assertThatThrownBy(() -> discovery().open(pkg(), dana, " ", Channel.CLI, "t"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reason: required");
        assertThatThrownBy(() -> discovery().open(pkg(), dana, "a\nb", Channel.CLI, "t"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(events()).isEmpty();
    }

    @Test
    void aTamperedPackageShouldBeRefusedEvenForTheRole() throws Exception {
        requestAndApprove(Duration.ofHours(1), 2);
        String json = new String(protection.pkg().encode(), StandardCharsets.UTF_8);
        String content = protection.pkg().content();
        String flipped =
                content.substring(0, content.length() - 5)
                        + (content.charAt(content.length() - 5) == 'A' ? 'B' : 'A')
                        + content.substring(content.length() - 4);
        ProtectedPackage bad =
                ProtectedPackage.decode(
                        json.replace(content, flipped).getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(
                        () ->
                                discovery()
                                        .open(
                                                bad,
                                                DiscoveryRole.viaGrant(
                                                        officer,
                                                        DiscoveryRole.DEFAULT_SECRET,
                                                        officerClock),
                                                REASON,
                                                Channel.CLI,
                                                "t"))
                .isInstanceOf(RightsIntegrityException.class);
        assertThat(events()).noneMatch(e -> e.type() == EventType.DISCOVERY_OPENED);
    }
}
