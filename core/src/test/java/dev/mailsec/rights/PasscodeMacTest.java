package dev.mailsec.rights;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.mailsec.dkm.spi.StoredRecord;
import dev.mailsec.dkm.spi.Write;
import dev.mailsec.dkm.store.FileStorage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Passcodes are kept in the rights store as HMAC-SHA256 under a key derived from the portal session
 * key: a copy of the store (all its records, no DKM key) does not let anyone find or check a live
 * code.
 */
class PasscodeMacTest {
    static final String ALICE = "alice@mailsec.test";
    static final String CAROL = "carol@external.test";
    static final String SESSION = "rights/portal-session";
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir Path dir;
    RightsTestEnvironment env;
    FileStorage storage;
    RightsStore store;
    PasscodeKeys keys;
    PortalSettings portal;
    String jti;

    @BeforeEach
    void setUp() throws Exception {
        env = RightsTestEnvironment.create(dir.resolve("env"), Clock.systemUTC());
        storage = FileStorage.create(dir.resolve("rights-store"));
        store = new RightsStore(storage);
        keys = PasscodeKeys.of(env.keyring());
        portal = PortalSettings.builder("mailsec.test").build();
        byte[] raw = RightsTestMessages.multipart(ALICE, CAROL, "pepper@mailsec.test", "s");
        jti =
                new RightsProtector(
                                env.settings(),
                                env.keyring(),
                                store,
                                Clock.fixed(T0, ZoneOffset.UTC))
                        .protect(
                                new MimeMessage(
                                        Session.getInstance(new Properties()),
                                        new ByteArrayInputStream(raw)),
                                ALICE,
                                List.of(CAROL),
                                env.settings().template("encrypt-only"))
                        .licence()
                        .licenceId();
    }

    @AfterEach
    void tearDown() throws Exception {
        store.close();
        env.close();
    }

    /** The passcode record of CAROL, as someone holding a copy of the store sees it. */
    Map<String, Object> record() throws Exception {
        StoredRecord r = storage.get("c/" + jti + "/" + RightsRecords.hash(CAROL)).orElseThrow();
        return JSONObjectUtils.parse(new String(r.value(), StandardCharsets.UTF_8));
    }

    @Test
    void theStoredValueShouldBeAKeyedMacThatNoKeylessHashOfTheCodeMatches() throws Exception {
        PasscodeIssue issue = store.issuePasscode(jti, CAROL, "10.0.0.1", T0, portal, keys);
        Map<String, Object> rec = record();
        assertThat(rec).containsKeys("kid", "salt", "mac").doesNotContainKey("hash");
        assertThat(rec.get("kid")).isEqualTo(SESSION + "#1");
        byte[] salt = Base64.getDecoder().decode((String) rec.get("salt"));
        byte[] stored = Base64.getDecoder().decode((String) rec.get("mac"));
        String code = issue.code();

        // positive control: with the DKM key (derived as documented) the stored value is the MAC of
        // the code
        SecretKey sessionKey = env.keyring().sessionKey().key();
        SecretKey passcodeKey = PasscodeKeys.derive(sessionKey);
        assertThat(PasscodeKeys.mac(passcodeKey, salt, jti, CAROL, code)).isEqualTo(stored);

        // without the key: a brute force over the 10^8 codes can only hit at the true code, and no
        // keyless
        // construction of the true code (the old salted SHA-256 included) gives the stored value
        List<byte[]> keyless = new ArrayList<>();
        keyless.add(sha256(salt, code.getBytes(StandardCharsets.UTF_8)));
        keyless.add(sha256(code.getBytes(StandardCharsets.UTF_8)));
        keyless.add(
                sha256(salt, (jti + "\0" + CAROL + "\0" + code).getBytes(StandardCharsets.UTF_8)));
        keyless.add(
                sha256((jti + "\0" + CAROL + "\0" + code).getBytes(StandardCharsets.UTF_8), salt));
        keyless.add(
                PasscodeKeys.mac(
                        new SecretKeySpec(new byte[32], "HmacSHA256"), salt, jti, CAROL, code));
        keyless.add(
                PasscodeKeys.mac(
                        new SecretKeySpec(salt, "HmacSHA256"), new byte[0], jti, CAROL, code));
        for (byte[] k : keyless) {
            assertThat(MessageDigest.isEqual(k, stored)).isFalse();
        }
        // and the session key itself is not the MAC key (one key, one purpose)
        assertThat(PasscodeKeys.mac(sessionKey, salt, jti, CAROL, code)).isNotEqualTo(stored);
        assertThat(passcodeKey.getEncoded()).isNotEqualTo(sessionKey.getEncoded());

        // the brute force an attacker would run, over a slice of the space that holds the true code
        int c = Integer.parseInt(code);
        for (int guess = Math.max(0, c - 5000); guess <= Math.min(99_999_999, c + 5000); guess++) {
            String g = String.format("%08d", guess);
            assertThat(
                            MessageDigest.isEqual(
                                    sha256(salt, g.getBytes(StandardCharsets.UTF_8)), stored))
                    .isFalse();
        }
        // no trace of the code or of key material in the store
        for (StoredRecord r : storage.list("")) {
            String v = new String(r.value(), StandardCharsets.ISO_8859_1);
            assertThat(v)
                    .doesNotContain(code)
                    .doesNotContain(Base64.getEncoder().encodeToString(sessionKey.getEncoded()))
                    .doesNotContain(Base64.getEncoder().encodeToString(passcodeKey.getEncoded()));
        }
        assertThat(store.checkPasscode(jti, CAROL, code, T0.plusSeconds(1), portal, keys).isOk())
                .isTrue();
    }

    @Test
    void aDifferentKeyShouldNotVerifyTheRightCode() throws Exception {
        PasscodeIssue issue = store.issuePasscode(jti, CAROL, "10.0.0.1", T0, portal, keys);
        byte[] other = new byte[32];
        new SecureRandom().nextBytes(other);
        // same key id, other material: the right code counts as a wrong one
        PasscodeKeys forged =
                PasscodeKeys.of(
                        List.of(
                                new RightsKey<SecretKey>(
                                        SESSION + "#1", new SecretKeySpec(other, "AES"))));
        PasscodeCheck c =
                store.checkPasscode(jti, CAROL, issue.code(), T0.plusSeconds(1), portal, forged);
        assertThat(c.status()).isEqualTo(PasscodeCheck.Status.WRONG);
        assertThat(c.remainingAttempts()).isEqualTo(4);
        // another installation's keyring (its own rights/portal-session#1) does not verify either
        try (RightsTestEnvironment elsewhere =
                RightsTestEnvironment.create(dir.resolve("elsewhere"), Clock.systemUTC())) {
            assertThat(
                            store.checkPasscode(
                                            jti,
                                            CAROL,
                                            issue.code(),
                                            T0.plusSeconds(2),
                                            portal,
                                            PasscodeKeys.of(elsewhere.keyring()))
                                    .status())
                    .isEqualTo(PasscodeCheck.Status.WRONG);
        }
        // the right key still does (two attempts were spent, none consumed the code)
        assertThat(
                        store.checkPasscode(
                                        jti, CAROL, issue.code(), T0.plusSeconds(3), portal, keys)
                                .isOk())
                .isTrue();
        assertThat(forged.toString()).doesNotContain(Base64.getEncoder().encodeToString(other));
    }

    @Test
    void aCodeIssuedBeforeASessionKeyRolloverShouldStillVerifyUntilThatVersionIsDestroyed()
            throws Exception {
        PasscodeIssue before = store.issuePasscode(jti, CAROL, "10.0.0.1", T0, portal, keys);
        int v2 = env.admin().rotate(SESSION);
        env.admin().promote(SESSION, v2);
        assertThat(env.keyring().sessionKey().kid()).isEqualTo(SESSION + "#2");
        // issued under v1, checked under v1 (archived, still readable)
        assertThat(
                        store.checkPasscode(
                                        jti, CAROL, before.code(), T0.plusSeconds(1), portal, keys)
                                .isOk())
                .isTrue();

        // a new code is MACed under v2
        PasscodeIssue under2 =
                store.issuePasscode(jti, CAROL, "10.0.0.1", T0.plusSeconds(2), portal, keys);
        assertThat(record().get("kid")).isEqualTo(SESSION + "#2");
        // v2 rolled over and destroyed: that code can never verify again; it reports EXPIRED, no
        // attempt counted
        int v3 = env.admin().rotate(SESSION);
        env.admin().promote(SESSION, v3);
        env.admin().destroyVersion(SESSION, v2);
        for (int i = 0; i < 6; i++) {
            assertThat(
                            store.checkPasscode(
                                            jti,
                                            CAROL,
                                            under2.code(),
                                            T0.plusSeconds(3 + i),
                                            portal,
                                            keys)
                                    .status())
                    .isEqualTo(PasscodeCheck.Status.EXPIRED);
        }
        // a new one (under v3) works: no lock-out was caused
        PasscodeIssue under3 =
                store.issuePasscode(jti, CAROL, "10.0.0.1", T0.plusSeconds(10), portal, keys);
        assertThat(
                        store.checkPasscode(
                                        jti, CAROL, under3.code(), T0.plusSeconds(11), portal, keys)
                                .isOk())
                .isTrue();
    }

    @Test
    void aCodeStoredAsAPlainHashByAnEarlierVersionShouldReportExpired() throws Exception {
        byte[] salt = new byte[16];
        Map<String, Object> legacy = new LinkedHashMap<>();
        legacy.put("salt", Base64.getEncoder().encodeToString(salt));
        legacy.put(
                "hash",
                Base64.getEncoder()
                        .encodeToString(sha256(salt, "12345678".getBytes(StandardCharsets.UTF_8))));
        legacy.put("expires", T0.plusSeconds(600).toEpochMilli());
        legacy.put("wrong", 0L);
        storage.write(
                List.of(
                        new Write(
                                "c/" + jti + "/" + RightsRecords.hash(CAROL),
                                0,
                                JSONObjectUtils.toJSONString(legacy)
                                        .getBytes(StandardCharsets.UTF_8))));
        assertThat(
                        store.checkPasscode(jti, CAROL, "12345678", T0.plusSeconds(1), portal, keys)
                                .status())
                .isEqualTo(PasscodeCheck.Status.EXPIRED);
        PasscodeIssue fresh =
                store.issuePasscode(jti, CAROL, "10.0.0.1", T0.plusSeconds(2), portal, keys);
        assertThat(record()).doesNotContainKey("hash");
        assertThat(
                        store.checkPasscode(
                                        jti, CAROL, fresh.code(), T0.plusSeconds(3), portal, keys)
                                .isOk())
                .isTrue();
    }

    private static byte[] sha256(byte[]... parts) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (byte[] p : parts) {
            md.update(p);
        }
        return md.digest();
    }
}
