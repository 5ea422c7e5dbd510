package dev.mailsec.dkm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.dkm.internal.AuditChain;
import dev.mailsec.dkm.internal.GroupRecord;
import dev.mailsec.dkm.internal.SecretRecord;
import dev.mailsec.dkm.root.FileRootKeys;
import dev.mailsec.dkm.spi.Storage;
import dev.mailsec.dkm.spi.StoredRecord;
import dev.mailsec.dkm.spi.Write;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every guarantee of the key manager, run against each storage backend (file and PostgreSQL).
 * Fixture: admins {@code admin} (from init) and {@code bob}, service {@code james} (member of group
 * {@code mail}), service {@code eve} (no member), person {@code alice}.
 */
abstract class KeyManagerContractTest {
    static final String VALUE = "hunter2-correct-horse-battery";

    @TempDir Path tmp;
    Backend backend;
    Storage storage;
    FileRootKeys rootKeys;
    TestClock clock = new TestClock();
    KeyManager admin;
    KeyManager bob;
    KeyManager james;
    KeyManager eve;
    KeyManager alice;
    final List<Storage> opened = new ArrayList<>();

    abstract Backend backend(Path tmp);

    @BeforeEach
    void setUp() throws Exception {
        backend = backend(tmp);
        storage = backend.create();
        rootKeys = new FileRootKeys(tmp.resolve("root-keys"));
        admin = KeyManager.init(storage, rootKeys, "admin", cred("admin"), clock);
        admin.createIdentity("bob", IdentityType.PERSON, true, cred("bob"));
        admin.createIdentity("james", IdentityType.SERVICE, false, cred("james"));
        admin.createIdentity("eve", IdentityType.SERVICE, false, cred("eve"));
        admin.createIdentity("alice", IdentityType.PERSON, false, cred("alice"));
        admin.createGroup("mail");
        admin.addMember("mail", "james");
        bob = session("bob", true);
        james = session("james", false);
        eve = session("eve", false);
        alice = session("alice", false);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Storage s : opened) {
            s.close();
        }
        storage.close();
        backend.cleanUp();
    }

    Path cred(String name) {
        return tmp.resolve("creds").resolve(name + ".cred");
    }

    /**
     * A session on its own storage handle (another process or node), with or without the root key.
     */
    KeyManager session(String name, boolean withRoot) throws Exception {
        Storage s = backend.reopen();
        opened.add(s);
        return KeyManager.open(s, withRoot ? rootKeys : null, Credential.load(cred(name)), clock);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(SecretVersion v) {
        return new String(v.value(), StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------ values and versions

    @Test
    void memberShouldReadWhatAdminPut() throws Exception {
        admin.putSecret("account/alice/imap", "mail", SecretKind.OPAQUE, bytes(VALUE));
        SecretHandle h = james.get("account/alice/imap");
        assertThat(h.kind()).isEqualTo(SecretKind.OPAQUE);
        assertThat(h.primary().number()).isEqualTo(1);
        assertThat(text(h.primary())).isEqualTo(VALUE);
        assertThat(h.primary().usableForNewWork()).isTrue();
    }

    @Test
    void keyPairShouldKeepPrivateKeyPublicKeyAndCertificateChain() throws Exception {
        TestKeys keys = TestKeys.rsaWithCertificate(tmp);
        admin.putKeyPair(
                "smime/alice@mailsec.test",
                "mail",
                keys.privateKey,
                keys.certificate.getPublicKey(),
                List.of(keys.certificate));
        SecretVersion v = james.get("smime/alice@mailsec.test").primary();
        assertThat(v.privateKey().getEncoded()).isEqualTo(keys.privateKey.getEncoded());
        assertThat(v.certificateChain()).containsExactly(keys.certificate);
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(v.privateKey());
        s.update(bytes("mail"));
        byte[] sig = s.sign();
        s.initVerify(v.publicKey());
        s.update(bytes("mail"));
        assertThat(s.verify(sig)).isTrue();
    }

    @Test
    void symmetricSecretShouldBeAnAesKey() throws Exception {
        admin.generate("rights/tenant-key", "mail", SecretKind.SYMMETRIC, null);
        assertThat(james.get("rights/tenant-key").primary().secretKey().getEncoded()).hasSize(32);
        assertThatThrownBy(() -> admin.putSecret("x", "mail", SecretKind.SYMMETRIC, new byte[5]))
                .isInstanceOf(DkmInvalidRequestException.class)
                .hasMessageContaining("32-byte");
    }

    @Test
    void rolloverShouldAddThenPromoteAndKeepArchivedVersionsForDecryption() throws Exception {
        admin.generate("dkim/mailsec.test", "mail", SecretKind.KEY_PAIR, "RSA-2048");
        int v2 = james.rotate("dkim/mailsec.test");
        assertThat(v2).isEqualTo(2);
        SecretHandle h = james.get("dkim/mailsec.test");
        assertThat(h.primary().number()).isEqualTo(1);
        assertThat(h.version(2).get().state()).isEqualTo(VersionState.ENABLED);
        assertThat(h.version(2).get().usableForNewWork()).isFalse();

        james.promote("dkim/mailsec.test", 2);
        h = james.get("dkim/mailsec.test");
        assertThat(h.primary().number()).isEqualTo(2);
        assertThat(h.archived()).extracting(SecretVersion::number).containsExactly(1);
        assertThat(h.version(1).get().usableForNewWork()).isFalse();
        assertThat(h.version(1).get().privateKey()).isNotEqualTo(h.version(2).get().privateKey());
        assertThat(((RSAPublicKey) h.primary().publicKey()).getModulus().bitLength())
                .isEqualTo(2048);
    }

    @Test
    void onlyAnEnabledVersionCanBePromotedAndThePrimaryCannotBeDestroyed() throws Exception {
        admin.putSecret("p", "mail", SecretKind.OPAQUE, bytes("one"));
        admin.addVersion("p", bytes("two"));
        admin.promote("p", 2);
        assertThatThrownBy(() -> admin.promote("p", 1))
                .isInstanceOf(DkmInvalidRequestException.class)
                .hasMessageContaining("ARCHIVED");
        assertThatThrownBy(() -> admin.promote("p", 9))
                .isInstanceOf(DkmNotFoundException.class)
                .hasMessageContaining("does not exist");
        // "no such thing" has its own type, still an invalid request for older handlers
        assertThatThrownBy(() -> james.get("never-put"))
                .isInstanceOf(DkmNotFoundException.class)
                .isInstanceOf(DkmInvalidRequestException.class)
                .hasMessage("secret: no such secret 'never-put'");
        assertThatThrownBy(() -> admin.destroyVersion("p", 2)).hasMessageContaining("PRIMARY");
        assertThatThrownBy(() -> james.destroyVersion("p", 1))
                .isInstanceOf(DkmAccessDeniedException.class);
        admin.destroyVersion("p", 1);
        SecretHandle h = james.get("p");
        assertThat(h.versions()).extracting(SecretVersion::number).containsExactly(2);
        SecretRecord raw = SecretRecord.decode(storage.get("secret/p").get().value());
        assertThat(raw.version(1).ciphertext).isNull();
        assertThat(raw.version(1).wrappedDataKey).isNull();
    }

    @Test
    void putOfAnExistingNameShouldBeRefused() throws Exception {
        admin.putSecret("p", "mail", SecretKind.OPAQUE, bytes("one"));
        assertThatThrownBy(() -> admin.putSecret("p", "mail", SecretKind.OPAQUE, bytes("two")))
                .isInstanceOf(DkmInvalidRequestException.class)
                .hasMessageContaining("exists already");
        assertThatThrownBy(() -> admin.putSecret("../x", "mail", SecretKind.OPAQUE, bytes("two")))
                .isInstanceOf(DkmInvalidRequestException.class);
        assertThatThrownBy(() -> admin.putSecret("q", "nogroup", SecretKind.OPAQUE, bytes("two")))
                .hasMessageContaining("no such group");
    }

    // ------------------------------------------------------------ group gating

    @Test
    void nonMemberWithTheStoreAndItsOwnCredentialShouldNeitherReadNorDecrypt() throws Exception {
        admin.putSecret("account/x", "mail", SecretKind.OPAQUE, bytes(VALUE));
        assertThatThrownBy(() -> eve.get("account/x"))
                .isInstanceOf(DkmAccessDeniedException.class)
                .hasMessageContaining("not a member of group mail");

        // eve edits her copy of the store: she copies james's sealed keyset under her own name
        StoredRecord gr = storage.get("group/mail").get();
        GroupRecord g = GroupRecord.decode(gr.value());
        g.memberSealed.put("eve", g.memberSealed.get("james"));
        storage.write(List.of(new Write("group/mail", gr.revision(), g.encode())));
        // the edited group record no longer carries its MAC: refused when eve opens a session
        assertThatThrownBy(() -> session("eve", false).get("account/x"))
                .isInstanceOf(DkmIntegrityException.class)
                .hasMessageNotContaining(VALUE);
        // and a person cannot become a member at all
        assertThatThrownBy(() -> admin.addMember("mail", "alice"))
                .isInstanceOf(DkmAccessDeniedException.class)
                .hasMessageContaining("person");
    }

    @Test
    void adminShouldManageButNotReadValues() throws Exception {
        admin.putSecret("account/x", "mail", SecretKind.OPAQUE, bytes(VALUE));
        assertThatThrownBy(() -> admin.get("account/x"))
                .isInstanceOf(DkmAccessDeniedException.class);
        assertThatThrownBy(() -> bob.get("account/x")).isInstanceOf(DkmAccessDeniedException.class);
    }

    @Test
    void nonAdminShouldNotManage() throws Exception {
        assertThatThrownBy(() -> james.createGroup("x"))
                .isInstanceOf(DkmAccessDeniedException.class);
        assertThatThrownBy(() -> james.createIdentity("x", IdentityType.SERVICE, true, cred("x")))
                .isInstanceOf(DkmAccessDeniedException.class);
        assertThatThrownBy(() -> eve.putSecret("x", "mail", SecretKind.OPAQUE, bytes("v")))
                .isInstanceOf(DkmAccessDeniedException.class);
        assertThatThrownBy(() -> alice.rotateGroupKeyset("mail"))
                .isInstanceOf(DkmAccessDeniedException.class);
    }

    @Test
    void adminWithoutRootKeyShouldBeRefusedRootOperations() throws Exception {
        KeyManager noRoot = session("bob", false);
        assertThatThrownBy(() -> noRoot.createGroup("g2"))
                .isInstanceOf(DkmAccessDeniedException.class)
                .hasMessageContaining("root key");
    }

    @Test
    void aWrongCredentialShouldBeRefusedAndAudited() throws Exception {
        // a credential file naming james but holding eve's key
        String forged =
                new String(Files.readAllBytes(cred("eve")), StandardCharsets.UTF_8)
                        .replace("identity=eve", "identity=james");
        Path f = tmp.resolve("forged.cred");
        Files.write(f, bytes(forged));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> KeyManager.open(storage, rootKeys, Credential.load(f), clock))
                .isInstanceOf(DkmAccessDeniedException.class)
                .hasMessageContaining("does not match");
        assertThat(admin.tailAudit(1).get(0)).contains("authenticate").contains("denied");
    }

    @Test
    void removedMemberShouldLoseAccessAndTheKeysetShouldRollOver() throws Exception {
        admin.putSecret("p", "mail", SecretKind.OPAQUE, bytes(VALUE));
        admin.addMember("mail", "eve");
        assertThat(text(session("eve", false).get("p").primary())).isEqualTo(VALUE);
        admin.removeMember("mail", "eve");
        assertThatThrownBy(() -> session("eve", false).get("p"))
                .isInstanceOf(DkmAccessDeniedException.class);
        GroupRecord g = GroupRecord.decode(storage.get("group/mail").get().value());
        assertThat(g.primary()).isEqualTo(2);
        assertThat(text(session("james", false).get("p").primary())).isEqualTo(VALUE);
    }

    // ------------------------------------------------------------ tampering

    @Test
    void tamperedCiphertextShouldBeDetected() throws Exception {
        admin.putSecret("p", "mail", SecretKind.OPAQUE, bytes(VALUE));
        StoredRecord r = storage.get("secret/p").get();
        SecretRecord s = SecretRecord.decode(r.value());
        s.versions.get(0).ciphertext[20] ^= 1;
        storage.write(List.of(new Write("secret/p", r.revision(), s.encode())));
        // refused by the record's MAC before the value's own authentication is even reached
        assertThatThrownBy(() -> james.get("p"))
                .isInstanceOf(DkmIntegrityException.class)
                .hasMessageContaining("secret/p");
    }

    @Test
    void ciphertextMovedToAnotherSecretShouldNotOpen() throws Exception {
        admin.putSecret("a", "mail", SecretKind.OPAQUE, bytes("value of a"));
        admin.putSecret("b", "mail", SecretKind.OPAQUE, bytes("value of b"));
        SecretRecord a = SecretRecord.decode(storage.get("secret/a").get().value());
        StoredRecord rb = storage.get("secret/b").get();
        SecretRecord b = SecretRecord.decode(rb.value());
        b.versions.get(0).ciphertext = a.versions.get(0).ciphertext;
        b.versions.get(0).wrappedDataKey = a.versions.get(0).wrappedDataKey;
        storage.write(List.of(new Write("secret/b", rb.revision(), b.encode())));
        assertThatThrownBy(() -> james.get("b")).isInstanceOf(DkmIntegrityException.class);
    }

    // ------------------------------------------------------------ records outside the values
    // (issue 13)

    /** The stored bytes of a record as the backend holds them (MAC trailer included). */
    StoredRecord rawRecord(String key) throws Exception {
        return storage.get(key).get();
    }

    /**
     * Puts stored bytes back over a record, as restoring an older copy of the store's data does.
     */
    void putRaw(String key, byte[] value) throws Exception {
        storage.write(List.of(new Write(key, storage.get(key).get().revision(), value)));
    }

    @Test
    void anOlderSecretRecordPutBackShouldBeRefusedNotServedAsThePrimary() throws Exception {
        admin.putSecret("p", "mail", SecretKind.OPAQUE, bytes("old value"));
        byte[] older = rawRecord("secret/p").value();
        admin.addVersion("p", bytes("new value"));
        admin.promote("p", 2);
        assertThat(text(james.get("p").primary())).isEqualTo("new value");
        putRaw("secret/p", older);

        // the session that read the newer record refuses the older one
        assertThatThrownBy(() -> james.get("p"))
                .isInstanceOf(DkmIntegrityException.class)
                .hasMessageContaining("secret/p was rolled back");
        // a restarted node refuses to start on it, naming the record (the audit log commits write
        // 3)
        assertThatThrownBy(() -> session("james", false))
                .isInstanceOf(DkmIntegrityException.class)
                .hasMessageContaining("secret/p was rolled back");
        AuditVerification v = bob.verifyAudit();
        assertThat(v.intact()).isFalse();
        assertThat(v.problem()).contains("secret/p was rolled back");
    }

    @Test
    void aFlippedAdminFlagShouldBeRefusedAndGiveNoMembership() throws Exception {
        admin.putSecret("smime/bob", "mail", SecretKind.OPAQUE, bytes(VALUE));
        byte[] rec = rawRecord("identity/eve").value();
        // format i32, name "eve", type "SERVICE", then the admin flag
        int flag = 4 + 4 + 3 + 4 + 7;
        assertThat(rec[flag]).isEqualTo((byte) 0);
        rec[flag] = 1;
        putRaw("identity/eve", rec);

        // eve, with the root key file it found next to the store, is refused at once
        assertThatThrownBy(() -> session("eve", true))
                .isInstanceOf(DkmIntegrityException.class)
                .hasMessageContaining("identity/eve fails its MAC check");
        // without the root key it cannot change a group either
        KeyManager eveNoRoot = session("eve", false);
        assertThatThrownBy(() -> eveNoRoot.addMember("mail", "eve"))
                .isInstanceOf(DkmException.class);
        assertThat(bob.members("mail")).containsExactly("james");
        assertThatThrownBy(() -> eveNoRoot.get("smime/bob"))
                .isInstanceOf(DkmAccessDeniedException.class);
        AuditVerification v = bob.verifyAudit();
        assertThat(v.intact()).isFalse();
        assertThat(v.problem()).contains("identity/eve fails its MAC check");
    }

    @Test
    void aChangedVersionStateShouldBeRefusedOnTheServicesReadPath() throws Exception {
        admin.putSecret("p", "mail", SecretKind.OPAQUE, bytes("old value"));
        admin.addVersion("p", bytes("new value"));
        admin.promote("p", 2);
        // swap the two versions' states and keep the record's MAC trailer: the archived key is the
        // primary again
        byte[] stored = rawRecord("secret/p").value();
        byte[] body = AuthenticatedStorage.body(rawRecord("secret/p"));
        SecretRecord sec = SecretRecord.decode(body);
        sec.versions.get(0).state = VersionState.PRIMARY;
        sec.versions.get(1).state = VersionState.ARCHIVED;
        byte[] edited = sec.encode();
        byte[] forged = Arrays.copyOf(edited, edited.length + stored.length - body.length);
        System.arraycopy(stored, body.length, forged, edited.length, stored.length - body.length);
        putRaw("secret/p", forged);
        assertThatThrownBy(() -> james.get("p"))
                .isInstanceOf(DkmIntegrityException.class)
                .hasMessageContaining("secret/p fails its MAC check");
        assertThatThrownBy(() -> session("james", false))
                .isInstanceOf(DkmIntegrityException.class)
                .hasMessageContaining("secret/p");
    }

    @Test
    void aRecordWithoutItsMacShouldBeRefusedOnceTheStoreIsAuthenticated() throws Exception {
        admin.putSecret("p", "mail", SecretKind.OPAQUE, bytes(VALUE));
        StoredRecord r = rawRecord("secret/p");
        putRaw("secret/p", SecretRecord.decode(r.value()).encode());
        assertThatThrownBy(() -> james.get("p"))
                .isInstanceOf(DkmIntegrityException.class)
                .hasMessageContaining("carries no MAC");
    }

    @Test
    void aStoreFromBeforeRecordMacsShouldGetThemFromTheFirstAdminWithTheRootKey() throws Exception {
        admin.putSecret("p", "mail", SecretKind.OPAQUE, bytes(VALUE));
        stripAllMacs();
        // services and admins without the root key read an old store as before
        assertThat(text(session("james", false).get("p").primary())).isEqualTo(VALUE);
        session("bob", false).list();
        // the first admin session with the root key adds the MACs and says so in the audit log
        KeyManager migrating = session("bob", true);
        assertThat(migrating.tailAudit(50)).anyMatch(l -> l.contains("records.authenticate"));
        assertThat(AuthenticatedStorage.opened(rawRecord("secret/p"))).isNotNull();
        assertThat(AuthenticatedStorage.opened(rawRecord("meta"))).isNotNull();
        assertThat(text(session("james", false).get("p").primary())).isEqualTo(VALUE);
        assertThat(bob.verifyAudit().intact()).isTrue();
        // stripping the MACs again does not make it an old store once more
        stripAllMacs();
        assertThatThrownBy(() -> session("bob", true))
                .isInstanceOf(DkmIntegrityException.class)
                .hasMessageContaining("rewritten around DKM");
    }

    private void stripAllMacs() throws Exception {
        for (StoredRecord r : storage.list("")) {
            byte[] body = AuthenticatedStorage.body(r);
            if (body.length != r.value().length) {
                storage.write(List.of(new Write(r.key(), r.revision(), body)));
            }
        }
    }

    @Test
    void aGarbageLineAppendedToTheAuditLogShouldNotStopReadsAndVerifyShouldNameIt()
            throws Exception {
        admin.putSecret("p", "mail", SecretKind.OPAQUE, bytes(VALUE));
        List<String> lines = new ArrayList<>(storage.readAudit());
        lines.add("garbage appended by hand");
        backend.rewriteAudit(lines);

        assertThat(text(james.get("p").primary())).isEqualTo(VALUE);
        assertThat(text(session("james", false).get("p").primary())).isEqualTo(VALUE);
        AuditVerification v = bob.verifyAudit();
        assertThat(v.intact()).isFalse();
        assertThat(v.problem()).contains("not an audit record").contains("line " + lines.size());
        // the records written after the garbage chain to the last real one
        assertThat(v.problem()).contains("the records around it chain intact");
    }

    @Test
    void aRecordChangedInAnEditedAuditLogMiddleShouldStillBeReported() throws Exception {
        admin.putSecret("p", "mail", SecretKind.OPAQUE, bytes(VALUE));
        james.get("p");
        List<String> lines = new ArrayList<>(storage.readAudit());
        lines.set(2, lines.get(2).replace("\tok\t", "\tdenied\t"));
        backend.rewriteAudit(lines);
        assertThat(text(james.get("p").primary())).isEqualTo(VALUE);
        AuditVerification v = bob.verifyAudit();
        assertThat(v.intact()).isFalse();
        assertThat(v.firstBadRecord()).isEqualTo(3);
    }

    // ------------------------------------------------------------ elevated access

    @Test
    void personShouldReadOnlyWithAGrantOfTwoDistinctApproversUntilItExpires() throws Exception {
        admin.putSecret("account/x", "mail", SecretKind.OPAQUE, bytes(VALUE));
        assertThatThrownBy(() -> alice.get("account/x"))
                .isInstanceOf(DkmAccessDeniedException.class);
        String id =
                alice.requestAccess("account/x", "INC-42 mailbox sync broken", Duration.ofHours(1));

        assertThatThrownBy(() -> alice.approve(id, "self"))
                .isInstanceOf(DkmAccessDeniedException.class);
        assertThat(admin.approve(id, "ok").status()).isEqualTo(AccessRequest.Status.PENDING);
        assertThatThrownBy(() -> admin.approve(id, "again"))
                .hasMessageContaining("already approved");
        assertThatThrownBy(() -> alice.get("account/x"))
                .isInstanceOf(DkmAccessDeniedException.class);
        AccessRequest granted = bob.approve(id, "ok");
        assertThat(granted.status()).isEqualTo(AccessRequest.Status.APPROVED);
        assertThat(granted.approvers()).containsExactly("admin", "bob");

        assertThat(text(alice.get("account/x").primary())).isEqualTo(VALUE);
        clock.advance(Duration.ofMinutes(59));
        assertThat(text(alice.get("account/x").primary())).isEqualTo(VALUE);
        clock.advance(Duration.ofMinutes(1));
        assertThatThrownBy(() -> alice.get("account/x"))
                .isInstanceOf(DkmAccessDeniedException.class)
                .hasMessageContaining("unexpired");
        assertThat(admin.listRequests())
                .extracting(AccessRequest::status)
                .containsExactly(AccessRequest.Status.EXPIRED);
        assertThat(String.join("\n", admin.tailAudit(50))).contains("expire account/x");
        // the grant is for that one secret only
        admin.putSecret("account/y", "mail", SecretKind.OPAQUE, bytes(VALUE));
        assertThatThrownBy(() -> alice.get("account/y"))
                .isInstanceOf(DkmAccessDeniedException.class);
    }

    @Test
    void approvalsRequiredShouldBeConfigurable() throws Exception {
        admin.putSecret("p", "mail", SecretKind.OPAQUE, bytes(VALUE));
        admin.setPolicy(DkmPolicy.defaults().withApprovalsRequired(1));
        String id = alice.requestAccess("p", "debug", Duration.ofMinutes(10));
        assertThat(bob.approve(id, null).status()).isEqualTo(AccessRequest.Status.APPROVED);
        assertThat(text(alice.get("p").primary())).isEqualTo(VALUE);
    }

    @Test
    void badRequestsShouldBeRefusedAndDeniedRequestsGiveNoAccess() throws Exception {
        admin.putSecret("p", "mail", SecretKind.OPAQUE, bytes(VALUE));
        assertThatThrownBy(() -> alice.requestAccess("p", " ", Duration.ofHours(1)))
                .hasMessageContaining("reason");
        assertThatThrownBy(() -> alice.requestAccess("p", "x", Duration.ofDays(2)))
                .hasMessageContaining("duration");
        assertThatThrownBy(() -> james.requestAccess("p", "x", Duration.ofHours(1)))
                .isInstanceOf(DkmAccessDeniedException.class);
        String id = alice.requestAccess("p", "why not", Duration.ofHours(1));
        assertThat(admin.deny(id, "no ticket").status()).isEqualTo(AccessRequest.Status.DENIED);
        assertThatThrownBy(() -> bob.approve(id, "late")).hasMessageContaining("DENIED");
        assertThatThrownBy(() -> alice.get("p")).isInstanceOf(DkmAccessDeniedException.class);
        assertThat(alice.listRequests()).hasSize(1);
        assertThat(eve.listRequests()).isEmpty();
    }

    // ------------------------------------------------------------ audit

    @Test
    void auditShouldRecordEveryOperationWithoutValuesAndVerify() throws Exception {
        admin.putSecret("p", "mail", SecretKind.OPAQUE, bytes(VALUE));
        james.get("p");
        try {
            eve.get("p");
        } catch (DkmAccessDeniedException expected) {
            // recorded as a failed attempt
        }
        String id = alice.requestAccess("p", "INC-7", Duration.ofHours(1));
        admin.approve(id, "ok");
        bob.approve(id, "ok");
        alice.get("p");
        james.addVersion("p", bytes("next"));
        james.promote("p", 2);
        try {
            james.promote("p", 7);
        } catch (DkmInvalidRequestException expected) {
            // recorded as a failed attempt
        }
        List<String> tail = admin.tailAudit(100);
        String all = String.join("\n", tail);
        assertThat(all)
                .contains(
                        "admin write p v1 ok",
                        "james read p v1 ok",
                        "eve read p denied",
                        "alice request p ok",
                        "admin approve p ok",
                        "bob approve p ok",
                        "alice read p v1 ok",
                        "james rotate p v2 ok",
                        "james promote p v2 ok",
                        "james promote p failed");
        assertThat(all).contains("reason=\"" + id + " for PT1H: INC-7\"");
        assertThat(all).doesNotContain(VALUE).doesNotContain("next\"");
        assertThat(admin.verifyAudit().intact()).isTrue();
    }

    @Test
    void aSessionActingOnBehalfOfSomeoneShouldNameThemInEveryLaterRecord() throws Exception {
        admin.putSecret("p", "mail", SecretKind.OPAQUE, bytes(VALUE));
        james.addVersion("p", bytes("next"));
        james.onBehalfOf("webadmin:carol");
        james.promote("p", 2);
        james.addVersion("p", bytes("third"));
        List<String> tail = admin.tailAudit(10);
        assertThat(tail)
                .anyMatch(l -> l.contains("james rotate p v2 ok") && !l.contains("carol"))
                .anyMatch(
                        l ->
                                l.contains("james promote p v2 ok")
                                        && l.contains("reason=\"on behalf of webadmin:carol\""))
                .anyMatch(
                        l ->
                                l.contains("james rotate p v3 ok")
                                        && l.contains(
                                                "(ENABLED, not yet primary); on behalf of webadmin:carol"));
        assertThat(admin.verifyAudit().intact()).isTrue();
    }

    @Test
    void auditShouldNameTheFirstChangedRemovedOrReorderedRecord() throws Exception {
        admin.putSecret("p", "mail", SecretKind.OPAQUE, bytes(VALUE));
        james.get("p");
        james.get("p");
        assertThat(admin.verifyAudit().intact()).isTrue();
        List<String> lines = storage.readAudit();
        Object head = backend.saveAuditHead();
        assertThat(lines.size()).isGreaterThan(8);

        List<String> changed = new ArrayList<>(lines);
        changed.set(4, changed.get(4).replace("\tok\t", "\tdenied\t"));
        backend.rewriteAudit(changed);
        AuditVerification v = admin.verifyAudit();
        assertThat(v.intact()).isFalse();
        assertThat(v.firstBadRecord()).isEqualTo(5);
        assertThat(v.problem()).contains("MAC mismatch");

        List<String> removed = new ArrayList<>(lines);
        removed.remove(3);
        backend.rewriteAudit(removed);
        v = admin.verifyAudit();
        assertThat(v.firstBadRecord()).isEqualTo(4);

        List<String> reordered = new ArrayList<>(lines);
        Collections.swap(reordered, 6, 7);
        backend.rewriteAudit(reordered);
        v = admin.verifyAudit();
        assertThat(v.firstBadRecord()).isEqualTo(7);

        backend.rewriteAudit(lines);
        backend.restoreAuditHead(head);
        assertThat(admin.verifyAudit().intact()).isTrue();

        // garbage appended to the log: reads go on (chained to the last record) and verify names
        // the line
        List<String> garbage = new ArrayList<>(lines);
        garbage.add("garbage");
        backend.rewriteAudit(garbage);
        assertThat(text(james.get("p").primary())).isEqualTo(VALUE);
        assertThat(admin.verifyAudit().problem()).contains("not an audit record");
        backend.rewriteAudit(lines);
        backend.restoreAuditHead(head);
        assertThat(admin.verifyAudit().intact()).isTrue();
    }

    @Test
    void removingTheLastAuditRecordsShouldBeDetectedAndNamed() throws Exception {
        admin.putSecret("p", "mail", SecretKind.OPAQUE, bytes(VALUE));
        james.get("p");
        james.get("p");
        List<String> lines = storage.readAudit();
        int n = lines.size();
        assertThat(admin.verifyAudit().intact()).isTrue();

        // the last three records (two reads and the verification) removed
        backend.rewriteAudit(lines.subList(0, n - 2));
        AuditVerification v = admin.verifyAudit();
        assertThat(v.intact()).isFalse();
        assertThat(v.firstBadRecord()).isEqualTo(n - 1);
        assertThat(v.problem()).contains("records " + (n - 1) + ".." + (n + 1) + " removed");
        assertThat(v.toString()).contains("broken at record " + (n - 1));

        // only the last one removed
        List<String> now = storage.readAudit();
        backend.rewriteAudit(now.subList(0, now.size() - 1));
        v = admin.verifyAudit();
        assertThat(v.problem()).contains("record " + now.size() + " removed");

        // a forged checkpoint does not hide it either
        backend.rewriteAudit(lines.subList(0, n - 2));
        backend.restoreAuditHead(
                backend instanceof Backend.Files
                        ? "7\ngarbage\n".getBytes(StandardCharsets.UTF_8)
                        : new Object[] {1L, "garbage"});
        v = admin.verifyAudit();
        assertThat(v.intact()).isFalse();
        assertThat(v.problem()).contains("head checkpoint is not authentic");

        // nor does a record of the log copied into the checkpoint (checkpoint MACs are not record
        // MACs)
        String lastKept = lines.get(n - 3);
        backend.rewriteAudit(lines.subList(0, n - 2));
        byte[] copied = lastKept.getBytes(StandardCharsets.UTF_8);
        backend.restoreAuditHead(
                backend instanceof Backend.Files
                        ? (copied.length + "\n" + lastKept + "\n").getBytes(StandardCharsets.UTF_8)
                        : new Object[] {(long) (n - 2), lastKept});
        v = admin.verifyAudit();
        assertThat(v.intact()).isFalse();
        assertThat(v.problem()).contains("head checkpoint is not authentic");
    }

    @Test
    void aWriterShouldNotCheckpointAnotherWritersRecord() throws Exception {
        admin.putSecret("p", "mail", SecretKind.OPAQUE, bytes(VALUE));
        james.get("p");
        List<String> lines = storage.readAudit();
        int adminRecord = lines.size() - 2;
        assertThat(AuditChain.writer(lines.get(adminRecord))).isEqualTo("admin");
        assertThat(AuditChain.writer(lines.get(lines.size() - 1))).isEqualTo("james");
        // james (a member with write access to the store) cuts the log after admin's record and
        // MACs a
        // checkpoint for it with its own audit key
        Field f = KeyManager.class.getDeclaredField("audit");
        f.setAccessible(true);
        byte[] jamesKey = ((AuditLog) f.get(james)).key();
        String forged = AuditChain.head(lines.get(adminRecord), "james", jamesKey);
        backend.rewriteAudit(lines.subList(0, adminRecord + 1));
        backend.restoreAuditHead(
                backend instanceof Backend.Files
                        ? (forged.getBytes(StandardCharsets.UTF_8).length + "\n" + forged + "\n")
                                .getBytes(StandardCharsets.UTF_8)
                        : new Object[] {(long) adminRecord + 1, forged});
        AuditVerification v = admin.verifyAudit();
        assertThat(v.intact()).isFalse();
        assertThat(v.firstBadRecord()).isEqualTo(adminRecord + 1);
        assertThat(v.problem()).contains("does not match the head checkpoint");
    }

    @Test
    void verifyShouldPrintTheHeadAndDetectARollbackAgainstANotedHead() throws Exception {
        admin.putSecret("p", "mail", SecretKind.OPAQUE, bytes(VALUE));
        List<String> old = storage.readAudit();
        Object oldHead = backend.saveAuditHead();
        AuditVerification first = admin.verifyAudit();
        assertThat(first.intact()).isTrue();
        assertThat(first.headSequence()).isEqualTo(old.size());
        assertThat(first.head()).matches(old.size() + ":[0-9a-f]{64}");
        assertThat(first.toString()).contains("head " + first.head());
        // the noted head is the verification's own record: the first one after the checked log
        String noted = admin.verifyAudit().head();
        assertThat(noted).startsWith((old.size() + 1) + ":");

        james.get("p");
        assertThat(admin.verifyAudit(noted).intact()).isTrue();

        // log AND checkpoint rolled back to the consistent state before the noted head: only the
        // note sees it
        backend.rewriteAudit(old);
        backend.restoreAuditHead(oldHead);
        assertThat(admin.verifyAudit().intact()).isTrue();
        backend.rewriteAudit(old);
        backend.restoreAuditHead(oldHead);
        AuditVerification v = admin.verifyAudit(noted);
        assertThat(v.intact()).isFalse();
        assertThat(v.problem())
                .contains("expected head record " + (old.size() + 1) + " is missing");

        // a different record at the noted position
        String otherHash = noted.substring(0, noted.indexOf(':') + 1) + repeat('a', 64);
        assertThat(admin.verifyAudit(otherHash).problem()).contains("not the expected head record");

        assertThatThrownBy(() -> admin.verifyAudit("12"))
                .isInstanceOf(DkmInvalidRequestException.class)
                .hasMessageContaining("SEQ:HASH");
        assertThatThrownBy(() -> admin.verifyAudit("0:" + repeat('a', 64)))
                .isInstanceOf(DkmInvalidRequestException.class);
    }

    @Test
    void aStoreWithoutCheckpointShouldBeAcceptedAndGetOneOnTheNextAppend() throws Exception {
        admin.putSecret("p", "mail", SecretKind.OPAQUE, bytes(VALUE));
        backend.restoreAuditHead(null);
        AuditVerification v = admin.verifyAudit();
        assertThat(v.intact()).isTrue();
        assertThat(v.note()).contains("no head checkpoint yet");
        // that verification appended a record, and with it the checkpoint
        assertThat(storage.readAuditHead()).isPresent();
        List<String> lines = storage.readAudit();
        backend.rewriteAudit(lines.subList(0, lines.size() - 1));
        assertThat(admin.verifyAudit().problem()).contains("record " + lines.size() + " removed");
    }

    private static String repeat(char c, int n) {
        char[] a = new char[n];
        Arrays.fill(a, c);
        return new String(a);
    }

    // ------------------------------------------------------------ rotation

    @Test
    void groupKeysetRolloverShouldRewrapDataKeysWithoutTouchingValues() throws Exception {
        for (int i = 0; i < 5; i++) {
            admin.putSecret("s" + i, "mail", SecretKind.OPAQUE, bytes(VALUE + i));
        }
        admin.addVersion("s0", bytes("second"));
        byte[] before =
                SecretRecord.decode(storage.get("secret/s0").get().value()).version(1).ciphertext;
        assertThat(admin.rotateGroupKeyset("mail")).isEqualTo(6);
        SecretRecord after = SecretRecord.decode(storage.get("secret/s0").get().value());
        assertThat(after.version(1).ciphertext).isEqualTo(before);
        assertThat(after.version(1).groupKeyVersion).isEqualTo(2);
        KeyManager fresh = session("james", false);
        for (int i = 0; i < 5; i++) {
            assertThat(text(fresh.get("s" + i).version(1).get())).isEqualTo(VALUE + i);
        }
        assertThat(text(james.get("s0").version(2).get())).isEqualTo("second");
    }

    @Test
    void importShouldWriteManySecretsAtOnceOrNone() throws Exception {
        Map<String, byte[]> values = new TreeMap<>();
        for (int i = 0; i < 50; i++) {
            values.put("account/u" + i + "/imap", bytes("pw" + i));
        }
        admin.importSecrets("mail", SecretKind.OPAQUE, values);
        assertThat(text(james.get("account/u42/imap").primary())).isEqualTo("pw42");
        assertThat(admin.rotateGroupKeyset("mail")).isEqualTo(50);
        assertThat(text(session("james", false).get("account/u7/imap").primary())).isEqualTo("pw7");
        Map<String, byte[]> again = new TreeMap<>();
        again.put("account/new", bytes("x"));
        again.put("account/u1/imap", bytes("y"));
        assertThatThrownBy(() -> admin.importSecrets("mail", SecretKind.OPAQUE, again))
                .isInstanceOf(DkmInvalidRequestException.class);
        assertThat(storage.get("secret/account/new")).isEmpty();
        assertThatThrownBy(() -> eve.importSecrets("mail", SecretKind.OPAQUE, again))
                .isInstanceOf(DkmAccessDeniedException.class);
    }

    @Test
    void rolloverFailingHalfWayShouldLeaveAValidStore() throws Exception {
        for (int i = 0; i < 3; i++) {
            admin.putSecret("s" + i, "mail", SecretKind.OPAQUE, bytes(VALUE + i));
        }
        // the group record is written, then the store goes away before the data keys are re-wrapped
        FailingStorage failing = new FailingStorage(backend.reopen(), 1);
        opened.add(failing);
        KeyManager flaky =
                KeyManager.open(failing, rootKeys, Credential.load(cred("admin")), clock);
        assertThatThrownBy(() -> flaky.rotateGroupKeyset("mail"))
                .isInstanceOf(DkmUnavailableException.class);
        KeyManager fresh = session("james", false);
        for (int i = 0; i < 3; i++) {
            assertThat(text(fresh.get("s" + i).primary())).isEqualTo(VALUE + i);
        }
        assertThat(admin.rotateGroupKeyset("mail")).isEqualTo(3);
        assertThat(text(session("james", false).get("s2").primary())).isEqualTo(VALUE + 2);

        // a root rotation that stops after the first record
        FailingStorage failing2 = new FailingStorage(backend.reopen(), 1);
        opened.add(failing2);
        KeyManager flaky2 =
                KeyManager.open(failing2, rootKeys, Credential.load(cred("admin")), clock);
        assertThatThrownBy(flaky2::rotateRoot).isInstanceOf(DkmUnavailableException.class);
        assertThat(text(session("james", false).get("s1").primary())).isEqualTo(VALUE + 1);
        admin.createGroup("after-failure");
        admin.rotateRoot();
        assertThat(admin.verifyAudit().intact()).isTrue();
    }

    @Test
    void rootRotationShouldRewrapKeysetsOnlyAndLetTheOldKeyBeDestroyed() throws Exception {
        admin.putSecret("p", "mail", SecretKind.OPAQUE, bytes(VALUE));
        byte[] secretBefore = storage.get("secret/p").get().value();
        String old = admin.rotateRoot();
        assertThat(old).isEqualTo("file:root-1");
        assertThat(storage.get("secret/p").get().value()).isEqualTo(secretBefore);
        assertThat(GroupRecord.decode(storage.get("group/mail").get().value()).rootKeyId)
                .isEqualTo("file:root-2");
        assertThatThrownBy(() -> admin.destroyRootKey("file:root-2"))
                .hasMessageContaining("current");
        admin.destroyRootKey(old);
        assertThat(Files.exists(rootKeys.pathOf(old))).isFalse();
        admin.createGroup("g2");
        admin.addMember("g2", "eve");
        assertThat(text(james.get("p").primary())).isEqualTo(VALUE);
        assertThat(admin.verifyAudit().intact()).isTrue();
    }

    @Test
    void rotateDueShouldFollowThePolicyPerKind() throws Exception {
        admin.generate("dkim/a", "mail", SecretKind.KEY_PAIR, "Ed25519");
        admin.generate("sym", "mail", SecretKind.SYMMETRIC, null);
        admin.putSecret("pw", "mail", SecretKind.OPAQUE, bytes(VALUE));
        admin.setPolicy(
                new DkmPolicy(
                        Duration.ofDays(30),
                        Duration.ofDays(90),
                        Duration.ofDays(60),
                        Duration.ofDays(60),
                        Duration.ofDays(2),
                        2,
                        Duration.ofHours(8)));
        assertThat(admin.rotateDue()).isEmpty();

        clock.advance(Duration.ofDays(31));
        assertThat(admin.rotateDue())
                .containsExactly("group mail: keyset rolled over, 3 data keys re-wrapped");

        clock.advance(Duration.ofDays(30));
        List<String> done = admin.rotateDue();
        assertThat(done)
                .contains("secret sym: v2 added and promoted")
                .contains("secret pw: rollover due, needs a new value (secret rotate pw)");
        assertThat(james.get("sym").primary().number()).isEqualTo(2);

        clock.advance(Duration.ofDays(30));
        done = admin.rotateDue();
        assertThat(done).anyMatch(s -> s.startsWith("secret dkim/a: v2 added"));
        assertThat(james.get("dkim/a").primary().number()).isEqualTo(1);
        clock.advance(Duration.ofDays(1));
        assertThat(admin.rotateDue()).noneMatch(s -> s.startsWith("secret dkim/a"));
        clock.advance(Duration.ofDays(1));
        assertThat(admin.rotateDue()).contains("secret dkim/a: v2 promoted to primary");
        SecretHandle h = james.get("dkim/a");
        assertThat(h.primary().number()).isEqualTo(2);
        assertThat(h.primary().algorithm()).isEqualTo(h.version(1).get().algorithm());
    }

    @Test
    void rotateDueShouldNotReplaceACertifiedKeyPairWithACertificatelessOne() throws Exception {
        TestKeys keys = TestKeys.rsaWithCertificate(tmp);
        admin.putKeyPair(
                "tls/partner-bank",
                "mail",
                keys.privateKey,
                keys.certificate.getPublicKey(),
                List.of(keys.certificate));
        admin.setPolicy(
                new DkmPolicy(
                        Duration.ofDays(30),
                        Duration.ofDays(90),
                        Duration.ofDays(60),
                        Duration.ofDays(60),
                        Duration.ofDays(2),
                        2,
                        Duration.ofHours(8)));

        clock.advance(Duration.ofDays(91));
        assertThat(admin.rotateDue())
                .contains(
                        "secret tls/partner-bank: rollover due, needs a new key and certificate from its CA"
                                + " (secret rotate tls/partner-bank --stdin)");
        clock.advance(Duration.ofDays(3));
        admin.rotateDue();

        SecretHandle h = james.get("tls/partner-bank");
        assertThat(h.versions()).hasSize(1);
        assertThat(h.primary().certificateChain()).containsExactly(keys.certificate);
    }

    @Test
    void concurrentRotationFromTwoNodesShouldLoseNoVersion() throws Exception {
        admin.putSecret("shared", "mail", SecretKind.OPAQUE, bytes("v1"));
        admin.addMember("mail", "eve");
        KeyManager node1 = session("james", false);
        KeyManager node2 = session("eve", false);
        KeyManager root = session("admin", true);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger counter = new AtomicInteger();
        List<Future<List<Integer>>> fs = new ArrayList<>();
        for (KeyManager km : List.of(node1, node2)) {
            fs.add(
                    pool.submit(
                            () -> {
                                List<Integer> mine = new ArrayList<>();
                                for (int i = 0; i < 8; i++) {
                                    mine.add(
                                            km.addVersion(
                                                    "shared",
                                                    bytes("value-" + counter.incrementAndGet())));
                                }
                                return mine;
                            }));
        }
        KeyManager root2 = session("bob", true);
        Future<?> keysets =
                pool.submit(
                        () -> {
                            root.rotateGroupKeyset("mail");
                            root.rotateGroupKeyset("mail");
                            return null;
                        });
        Future<?> keysets2 =
                pool.submit(
                        () -> {
                            root2.rotateGroupKeyset("mail");
                            root2.rotateGroupKeyset("mail");
                            return null;
                        });
        Set<Integer> versions = new TreeSet<>();
        for (Future<List<Integer>> f : fs) {
            versions.addAll(f.get());
        }
        keysets.get();
        keysets2.get();
        pool.shutdown();
        GroupRecord g = GroupRecord.decode(storage.get("group/mail").get().value());
        assertThat(g.versions).hasSize(5);
        assertThat(g.versions.stream().filter(v -> v.state == VersionState.PRIMARY).count())
                .isEqualTo(1);
        assertThat(versions).hasSize(16);
        SecretHandle h = session("james", false).get("shared");
        assertThat(h.versions()).hasSize(17);
        Set<String> values =
                h.versions().stream().map(KeyManagerContractTest::text).collect(Collectors.toSet());
        for (int i = 1; i <= 16; i++) {
            assertThat(values).contains("value-" + i);
        }
    }

    // ------------------------------------------------------------ export and secrecy

    @Test
    void exportShouldBeSealedToAMemberRecipient() throws Exception {
        admin.putSecret("p", "mail", SecretKind.OPAQUE, bytes(VALUE));
        byte[] export = admin.export("p", 1, "james");
        assertThat(new String(export, StandardCharsets.ISO_8859_1)).doesNotContain(VALUE);
        assertThat(text(james.openExport(export))).isEqualTo(VALUE);
        assertThatThrownBy(() -> eve.openExport(export))
                .isInstanceOf(DkmAccessDeniedException.class);
        assertThatThrownBy(() -> admin.export("p", 1, "eve"))
                .isInstanceOf(DkmAccessDeniedException.class);
        assertThatThrownBy(() -> james.export("p", 1, "james"))
                .isInstanceOf(DkmAccessDeniedException.class);
    }

    @Test
    void valuesShouldNeverAppearInToStringExceptionsOrTheAuditLog() throws Exception {
        admin.putSecret("p", "mail", SecretKind.OPAQUE, bytes(VALUE));
        admin.generate("k", "mail", SecretKind.SYMMETRIC, null);
        SecretHandle h = james.get("p");
        SecretHandle k = james.get("k");
        String keyB64 = Base64.getEncoder().encodeToString(k.primary().secretKey().getEncoded());
        List<String> shown = new ArrayList<>();
        shown.add(h.toString());
        shown.add(h.primary().toString());
        shown.add(k.toString());
        shown.add(k.primary().toString());
        shown.add(Credential.load(cred("james")).toString());
        shown.add(james.toString());
        for (Runnable r :
                List.<Runnable>of(() -> h.primary().secretKey(), () -> h.primary().privateKey())) {
            try {
                r.run();
            } catch (IllegalStateException e) {
                shown.add(e.getMessage());
            }
        }
        try {
            eve.get("p");
        } catch (DkmException e) {
            shown.add(e.getMessage());
        }
        shown.addAll(storage.readAudit());
        shown.addAll(admin.tailAudit(100));
        for (StoredRecord r : storage.list("")) {
            shown.add(new String(r.value(), StandardCharsets.ISO_8859_1));
        }
        String all = String.join("\n", shown);
        assertThat(all).contains("redacted").doesNotContain(VALUE).doesNotContain(keyB64);
        assertThat(shown.size()).isGreaterThan(10);
    }

    // ------------------------------------------------------------ the mailet client

    @Test
    void clientShouldCacheForTheTtlAndSeeARolloverAfterIt() throws Exception {
        admin.putSecret("dkim/x", "mail", SecretKind.OPAQUE, bytes("first"));
        Path props = tmp.resolve("dkm.properties");
        Files.write(
                props,
                bytes(
                        backend.storeProperty()
                                + "identity="
                                + cred("james")
                                + "\ncacheTtl=PT60S\n"));
        try (Dkm dkm = Dkm.open(DkmConfig.load(props), clock)) {
            SecretHandle a = dkm.secret("dkim/x");
            assertThat(text(a.primary())).isEqualTo("first");
            int reads = countReads();
            admin.addVersion("dkim/x", bytes("second"));
            admin.promote("dkim/x", 2);
            assertThat(dkm.secret("dkim/x")).isSameAs(a);
            assertThat(countReads()).isEqualTo(reads);
            clock.advance(Duration.ofSeconds(61));
            SecretHandle b = dkm.secret("dkim/x");
            assertThat(text(b.primary())).isEqualTo("second");
            assertThat(text(b.version(1).get())).isEqualTo("first");
            assertThat(countReads()).isEqualTo(reads + 1);
        }
    }

    @Test
    void clientShouldReportDeniedAndMissingDistinctlyFromUnavailable() throws Exception {
        admin.putSecret("p", "mail", SecretKind.OPAQUE, bytes(VALUE));
        Path props = tmp.resolve("eve.properties");
        Files.write(props, bytes(backend.storeProperty() + "identity=" + cred("eve") + "\n"));
        try (Dkm dkm = Dkm.open(props)) {
            assertThatThrownBy(() -> dkm.secret("p")).isInstanceOf(DkmAccessDeniedException.class);
            assertThatThrownBy(() -> dkm.secret("nope"))
                    .isInstanceOf(DkmInvalidRequestException.class);
        }
    }

    int countReads() throws Exception {
        int n = 0;
        for (String l : storage.readAudit()) {
            if (l.contains("\tread\t")) {
                n++;
            }
        }
        return n;
    }

    /** A storage handle that fails every write after the first {@code okWrites}. */
    static final class FailingStorage implements Storage {
        private final Storage delegate;
        private int okWrites;

        FailingStorage(Storage delegate, int okWrites) {
            this.delegate = delegate;
            this.okWrites = okWrites;
        }

        @Override
        public Optional<StoredRecord> get(String key) throws DkmUnavailableException {
            return delegate.get(key);
        }

        @Override
        public List<StoredRecord> list(String prefix) throws DkmUnavailableException {
            return delegate.list(prefix);
        }

        @Override
        public void write(List<Write> writes) throws ConflictException, DkmUnavailableException {
            if (okWrites-- <= 0) {
                throw new DkmUnavailableException("store went away (test)");
            }
            delegate.write(writes);
        }

        @Override
        public void appendAudit(AuditLineBuilder builder, boolean durable)
                throws DkmUnavailableException {
            delegate.appendAudit(builder, durable);
        }

        @Override
        public List<String> readAudit() throws DkmUnavailableException {
            return delegate.readAudit();
        }

        @Override
        public Optional<String> readAuditHead() throws DkmUnavailableException {
            return delegate.readAuditHead();
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }
}
