package dev.mailsec.rights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mailsec.dkm.VersionState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import javax.crypto.SecretKey;
import javax.mail.BodyPart;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Protect and open against a real DKM file store and a file rights store. */
class RightsProtectionTest {
    static final String ALICE = "alice@mailsec.test";
    static final String CAROL = "carol@external.test";
    static final List<String> SECRETS =
            List.of(
                    RightsTestMessages.BODY_SECRET,
                    RightsTestMessages.HTML_SECRET,
                    RightsTestMessages.ATTACHMENT_SECRET,
                    RightsTestMessages.BINARY_SECRET,
                    "BLUEHERON",
                    "PURPLE-OSPREY",
                    "GREEN-KESTREL",
                    "RED-FALCON",
                    "Salary table",
                    "Hello Carol");

    @TempDir Path dir;
    RightsTestEnvironment env;
    byte[] raw;

    @BeforeEach
    void setUp() throws Exception {
        env = RightsTestEnvironment.create(dir.resolve("a"), Clock.systemUTC());
        raw =
                RightsTestMessages.multipart(
                        ALICE, CAROL + ", Bob <bob@mailsec.test>", "m1@mailsec.test", "Q3 plan");
    }

    @AfterEach
    void tearDown() throws Exception {
        env.close();
    }

    static MimeMessage parse(byte[] raw) throws Exception {
        return new MimeMessage(
                Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
    }

    Protection protect(String template) throws Exception {
        return env.protector()
                .protect(parse(raw), ALICE, List.of(CAROL), env.settings().template(template));
    }

    static byte[] bytes(MimeMessage m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toByteArray();
    }

    // ------------------------------------------------------------------ wrapper

    @Test
    void theWrapperShouldCarryNoPlaintextOfBodyOrAttachmentsInAnyEncoding() throws Exception {
        Protection p = protect("encrypt-only");
        byte[] wire = bytes(p.wrapper());
        List<String> texts = new ArrayList<>();
        texts.add(new String(wire, StandardCharsets.ISO_8859_1));
        MimeMessage reparsed = parse(wire);
        collectDecoded(reparsed, texts);
        // the package's JOSE segments, base64url-decoded: header JSON, wrapped key, IV, ciphertext,
        // tag
        for (String compact : List.of(p.pkg().licence(), p.pkg().content())) {
            for (String segment : compact.split("\\.")) {
                if (!segment.isEmpty()) {
                    texts.add(
                            new String(
                                    Base64.getUrlDecoder().decode(segment),
                                    StandardCharsets.ISO_8859_1));
                }
            }
        }
        assertThat(texts).hasSizeGreaterThan(8);
        for (String t : texts) {
            for (String secret : SECRETS) {
                assertThat(t).doesNotContain(secret);
            }
        }
        // the secrets are in the original in every one of those encodings, so the search can find
        // them
        List<String> original = new ArrayList<>();
        collectDecoded(parse(raw), original);
        assertThat(String.join("\n", original))
                .contains(RightsTestMessages.ATTACHMENT_SECRET, RightsTestMessages.BINARY_SECRET);
    }

    static void collectDecoded(Part part, List<String> out) throws Exception {
        if (part.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) part.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                collectDecoded(mp.getBodyPart(i), out);
            }
        } else {
            try (InputStream in = part.getInputStream()) {
                out.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void theWrapperShouldKeepThreadingHeadersAndCarryTheLinkAndThePackage() throws Exception {
        Protection p = protect("do-not-forward");
        MimeMessage w = parse(bytes(p.wrapper()));
        assertThat(w.getMessageID()).isEqualTo("<m1@mailsec.test>");
        assertThat(w.getHeader("From", null)).isEqualTo("Alice Example <alice@mailsec.test>");
        assertThat(w.getHeader("To", null)).contains("carol@external.test");
        assertThat(w.getSubject()).isEqualTo("Q3 plan");
        assertThat(w.getHeader(RightsProtector.PROTECTED_HEADER, null))
                .isEqualTo("licence=" + p.licence().licenceId() + "; template=do-not-forward");
        assertThat(RightsHeaders.licenceIdOf(w.getHeader(RightsHeaders.PROTECTED, null)))
                .isEqualTo(p.licence().licenceId());
        assertThat(RightsHeaders.rightsValue(p.licence()))
                .isEqualTo(
                        "template=do-not-forward; rights=view,reply,reply-all; licence="
                                + p.licence().licenceId());
        assertThat(RightsHeaders.licenceIdOf("licence=../x; template=y")).isNull();
        assertThat(w.isMimeType("multipart/mixed")).isTrue();
        Multipart mixed = (Multipart) w.getContent();
        assertThat(mixed.getCount()).isEqualTo(2);
        BodyPart alt = mixed.getBodyPart(0);
        assertThat(alt.isMimeType("multipart/alternative")).isTrue();
        Multipart altParts = (Multipart) alt.getContent();
        assertThat((String) altParts.getBodyPart(0).getContent())
                .contains("alice@mailsec.test sent you a protected message")
                .contains("http://127.0.0.1:8090/m/" + p.licence().licenceId());
        assertThat(altParts.getBodyPart(1).isMimeType("text/html")).isTrue();
        assertThat((String) altParts.getBodyPart(1).getContent())
                .contains("href=\"http://127.0.0.1:8090/m/" + p.licence().licenceId() + "\"");
        BodyPart att = mixed.getBodyPart(1);
        assertThat(att.isMimeType(ProtectedPackage.MEDIA_TYPE)).isTrue();
        assertThat(att.getFileName()).isEqualTo(ProtectedPackage.FILE_NAME);
        try (InputStream in = att.getInputStream()) {
            assertThat(ProtectedPackage.decode(in.readAllBytes())).isEqualTo(p.pkg());
        }
        // the licence names sender, envelope recipients and To/Cc
        assertThat(p.licence().recipients()).containsExactlyInAnyOrder(CAROL, "bob@mailsec.test");
        assertThat(p.licence().sender()).isEqualTo(ALICE);
        assertThat(p.licence().messageId()).isEqualTo("m1@mailsec.test");
        assertThat(p.licence().expiresAt()).isEmpty();
    }

    @Test
    void subjectReplaceModeShouldHideTheOriginalSubject() throws Exception {
        try (RightsTestEnvironment e =
                RightsTestEnvironment.create(
                        dir.resolve("r"),
                        Clock.systemUTC(),
                        RightsTestEnvironment.RIGHTS_XML.replace(
                                "<subject mode=\"keep\"/>",
                                "<subject mode=\"replace\" text=\"Protected mail from {sender}\"/>"))) {
            Protection p =
                    e.protector()
                            .protect(
                                    parse(raw),
                                    ALICE,
                                    List.of(CAROL),
                                    e.settings().template("encrypt-only"));
            MimeMessage w = parse(bytes(p.wrapper()));
            assertThat(w.getSubject()).isEqualTo("Protected mail from alice@mailsec.test");
            assertThat(new String(bytes(w), StandardCharsets.ISO_8859_1)).doesNotContain("Q3 plan");
            assertThat(e.opener().open(p.pkg(), CAROL, Channel.CLI, "").message().getSubject())
                    .isEqualTo("Q3 plan");
        }
    }

    @Test
    void theContentShouldUseTheDocumentedJoseParameters() throws Exception {
        Protection p = protect("confidential-30d");
        JWEObject jwe = JWEObject.parse(p.pkg().content());
        assertThat(jwe.getHeader().getAlgorithm().getName()).isEqualTo("A256GCMKW");
        assertThat(jwe.getHeader().getEncryptionMethod().getName()).isEqualTo("A256GCM");
        assertThat(jwe.getHeader().getKeyID()).isEqualTo("rights/content-key#1");
        assertThat(jwe.getHeader().getCustomParam("lid")).isEqualTo(p.licence().licenceId());
        assertThat(jwe.getHeader().getCustomParam("mid")).isEqualTo("m1@mailsec.test");
        SignedJWT jwt = SignedJWT.parse(p.pkg().licence());
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo("rights/signing#1");
        JWTClaimsSet c = jwt.getJWTClaimsSet();
        assertThat(c.getIssuer()).isEqualTo("mailsec.test");
        assertThat(c.getSubject()).isEqualTo(ALICE);
        assertThat(c.getStringListClaim("rights")).containsExactly("view", "reply");
        assertThat(c.getStringClaim("tpl")).isEqualTo("confidential-30d");
        assertThat(c.getExpirationTime().toInstant())
                .isEqualTo(c.getIssueTime().toInstant().plus(Duration.ofDays(30)));
        assertThat(Base64.getUrlDecoder().decode(c.getJWTID())).hasSize(16);
        assertThat(c.getStringClaim("cth")).isEqualTo(LicenceSealer.contentHash(p.pkg().content()));
    }

    @Test
    void findInShouldTakeThePackageOutOfAWrapperAndNothingOutOfAPlainMessage() throws Exception {
        Protection p = protect("encrypt-only");
        MimeMessage w = parse(bytes(p.wrapper()));
        assertThat(ProtectedPackage.isAttachedTo(w)).isTrue();
        assertThat(ProtectedPackage.findIn(w)).contains(p.pkg());
        assertThat(ProtectedPackage.isAttachedTo(parse(raw))).isFalse();
        assertThat(ProtectedPackage.findIn(parse(raw))).isEmpty();
    }

    @Test
    void anUnreachableKeyStoreShouldBeATemporaryKeyFaultNamingTheSecretOnly() throws Exception {
        Files.move(dir.resolve("a/dkm-data"), dir.resolve("a/dkm-moved"));
        assertThatThrownBy(() -> protect("encrypt-only"))
                .isInstanceOf(RightsKeyUnavailableException.class)
                .isInstanceOf(RightsUnavailableException.class)
                .hasMessageContaining("rights/content-key");
        assertThat(env.store().findAll("m1@mailsec.test")).isEmpty();
    }

    // ------------------------------------------------------------------ keys and tampering

    @Test
    void aStolenPackageShouldNotOpenWithAnotherRightsKey() throws Exception {
        Protection p = protect("encrypt-only");
        try (RightsTestEnvironment other =
                RightsTestEnvironment.create(dir.resolve("other"), Clock.systemUTC())) {
            assertThatThrownBy(() -> other.opener().open(p.pkg(), CAROL, Channel.CLI, ""))
                    .isInstanceOf(RightsIntegrityException.class);
            // even with our licence key trusted, the content does not decrypt under the other
            // content key
            RightsKeyring mixed = new MixedKeyring(other.keyring(), env.keyring());
            RightsOpener o =
                    new RightsOpener(other.settings(), mixed, env.store(), Clock.systemUTC());
            assertThatThrownBy(() -> o.open(p.pkg(), CAROL, Channel.CLI, ""))
                    .isInstanceOf(RightsIntegrityException.class)
                    .hasMessageContaining("does not decrypt");
        }
    }

    @Test
    void modifiedLicenceClaimsShouldBeRejected() throws Exception {
        Protection p = protect("do-not-forward");
        String[] jws = p.pkg().licence().split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(jws[1]), StandardCharsets.UTF_8);
        String forged =
                claims.replace(
                                "\"view\",\"reply\",\"reply-all\"",
                                "\"view\",\"reply\",\"reply-all\",\"forward\"")
                        .replace(CAROL, "mallory@evil.test");
        assertThat(forged).isNotEqualTo(claims);
        String licence =
                jws[0]
                        + "."
                        + Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString(forged.getBytes(StandardCharsets.UTF_8))
                        + "."
                        + jws[2];
        assertThatThrownBy(
                        () ->
                                env.opener()
                                        .open(
                                                ProtectedPackage.of(licence, p.pkg().content()),
                                                "mallory@evil.test",
                                                Channel.PORTAL,
                                                ""))
                .isInstanceOf(RightsIntegrityException.class)
                .hasMessageContaining("signature");
    }

    @Test
    void aFlippedSignatureBitShouldBeRejected() throws Exception {
        Protection p = protect("do-not-forward");
        String[] jws = p.pkg().licence().split("\\.");
        byte[] sig = Base64.getUrlDecoder().decode(jws[2]);
        sig[10] ^= 0x01;
        String licence =
                jws[0]
                        + "."
                        + jws[1]
                        + "."
                        + Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
        assertThatThrownBy(
                        () ->
                                env.opener()
                                        .open(
                                                ProtectedPackage.of(licence, p.pkg().content()),
                                                CAROL,
                                                Channel.CLI,
                                                ""))
                .isInstanceOf(RightsIntegrityException.class);
    }

    @Test
    void aLicenceWithAnotherAlgorithmOrKeyIdShouldBeRejected() throws Exception {
        Protection p = protect("do-not-forward");
        String[] jws = p.pkg().licence().split("\\.");
        for (String header :
                List.of(
                        "{\"alg\":\"none\"}",
                        "{\"alg\":\"HS256\",\"kid\":\"rights/signing#1\"}",
                        "{\"alg\":\"ES256\",\"kid\":\"rights/content-key#1\"}",
                        "{\"alg\":\"ES256\",\"kid\":\"rights/signing#9\"}")) {
            String licence =
                    Base64.getUrlEncoder()
                                    .withoutPadding()
                                    .encodeToString(header.getBytes(StandardCharsets.UTF_8))
                            + "."
                            + jws[1]
                            + "."
                            + jws[2];
            assertThatThrownBy(
                            () ->
                                    env.opener()
                                            .open(
                                                    ProtectedPackage.of(licence, p.pkg().content()),
                                                    CAROL,
                                                    Channel.CLI,
                                                    ""))
                    .as(header)
                    .isInstanceOf(RightsFormatException.class);
        }
    }

    @Test
    void modifiedCiphertextOrJweHeaderShouldBeRejected() throws Exception {
        Protection p = protect("encrypt-only");
        String[] jwe = p.pkg().content().split("\\.");
        byte[] ct = Base64.getUrlDecoder().decode(jwe[3]);
        ct[ct.length / 2] ^= 0x40;
        String modifiedCt =
                jwe[0]
                        + "."
                        + jwe[1]
                        + "."
                        + jwe[2]
                        + "."
                        + Base64.getUrlEncoder().withoutPadding().encodeToString(ct)
                        + "."
                        + jwe[4];
        String header =
                new String(Base64.getUrlDecoder().decode(jwe[0]), StandardCharsets.UTF_8)
                        .replace("m1@mailsec.test", "m2@mailsec.test");
        String modifiedHeader =
                Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString(header.getBytes(StandardCharsets.UTF_8))
                        + "."
                        + jwe[1]
                        + "."
                        + jwe[2]
                        + "."
                        + jwe[3]
                        + "."
                        + jwe[4];
        for (String content : List.of(modifiedCt, modifiedHeader)) {
            assertThatThrownBy(
                            () ->
                                    env.opener()
                                            .open(
                                                    ProtectedPackage.of(p.pkg().licence(), content),
                                                    CAROL,
                                                    Channel.CLI,
                                                    ""))
                    .isInstanceOf(RightsIntegrityException.class)
                    .hasMessageContaining("cth");
        }
    }

    @Test
    void modifiedCiphertextShouldFailTheGcmTagEvenUnderARessignedLicence() throws Exception {
        Protection p = protect("encrypt-only");
        String[] jwe = p.pkg().content().split("\\.");
        byte[] ct = Base64.getUrlDecoder().decode(jwe[3]);
        ct[3] ^= 0x01;
        String content =
                jwe[0]
                        + "."
                        + jwe[1]
                        + "."
                        + jwe[2]
                        + "."
                        + Base64.getUrlEncoder().withoutPadding().encodeToString(ct)
                        + "."
                        + jwe[4];
        // someone holding the signing key (but not the content key) re-signs a licence over the
        // modified content
        SignedJWT orig = SignedJWT.parse(p.pkg().licence());
        JWTClaimsSet claims =
                new JWTClaimsSet.Builder(orig.getJWTClaimsSet())
                        .claim("cth", LicenceSealer.contentHash(content))
                        .build();
        SignedJWT forged = new SignedJWT(orig.getHeader(), claims);
        forged.sign(new ECDSASigner(env.keyring().signingKey().key()));
        assertThatThrownBy(
                        () ->
                                env.opener()
                                        .open(
                                                ProtectedPackage.of(forged.serialize(), content),
                                                CAROL,
                                                Channel.CLI,
                                                ""))
                .isInstanceOf(RightsIntegrityException.class)
                .hasMessageContaining("does not decrypt");
    }

    @Test
    void aLicenceSwappedOntoAnotherMessagesContentShouldBeRejected() throws Exception {
        Protection p1 = protect("do-not-forward");
        raw = RightsTestMessages.multipart(ALICE, CAROL, "m2@mailsec.test", "other");
        Protection p2 = protect("encrypt-only");
        assertThatThrownBy(
                        () ->
                                env.opener()
                                        .open(
                                                ProtectedPackage.of(
                                                        p2.pkg().licence(), p1.pkg().content()),
                                                CAROL,
                                                Channel.CLI,
                                                ""))
                .isInstanceOf(RightsIntegrityException.class);
        assertThatThrownBy(
                        () ->
                                env.opener()
                                        .open(
                                                ProtectedPackage.of(
                                                        p1.pkg().licence(), p2.pkg().content()),
                                                CAROL,
                                                Channel.CLI,
                                                ""))
                .isInstanceOf(RightsIntegrityException.class);
        // and a licence re-signed over the other content still fails the lid/mid binding in the JWE
        // header
        SignedJWT orig = SignedJWT.parse(p1.pkg().licence());
        SignedJWT forged =
                new SignedJWT(
                        orig.getHeader(),
                        new JWTClaimsSet.Builder(orig.getJWTClaimsSet())
                                .claim("cth", LicenceSealer.contentHash(p2.pkg().content()))
                                .build());
        forged.sign(new ECDSASigner(env.keyring().signingKey().key()));
        assertThatThrownBy(
                        () ->
                                env.opener()
                                        .open(
                                                ProtectedPackage.of(
                                                        forged.serialize(), p2.pkg().content()),
                                                CAROL,
                                                Channel.CLI,
                                                ""))
                .isInstanceOf(RightsIntegrityException.class)
                .hasMessageContaining("lid/mid");
    }

    @Test
    void malformedPackagesShouldBeFormatErrors() {
        for (String s :
                List.of(
                        "",
                        "not json",
                        "{}",
                        "[1]",
                        "{\"format\":\"mailsec-protected/2\",\"licence\":\"a.b.c\",\"content\":\"a.b.c.d.e\"}",
                        "{\"format\":\"mailsec-protected/1\",\"licence\":\"a.b\",\"content\":\"a.b.c.d.e\"}",
                        "{\"format\":\"mailsec-protected/1\",\"licence\":\"a.b.c\",\"content\":\"a.b.c.d\"}",
                        "{\"format\":\"mailsec-protected/1\",\"licence\":\"a.b.c\",\"content\":\"a.b.c.d.e\",\"x\":1}",
                        "{\"format\":\"mailsec-protected/1\",\"licence\":5,\"content\":\"a.b.c.d.e\"}")) {
            assertThatThrownBy(() -> ProtectedPackage.decode(s.getBytes(StandardCharsets.UTF_8)))
                    .as(s)
                    .isInstanceOf(RightsFormatException.class);
        }
    }

    // ------------------------------------------------------------------ refusals

    @Test
    void revocationShouldRefuseOpeningInEveryChannelAndBeLogged() throws Exception {
        Protection p = protect("encrypt-only");
        assertThat(env.opener().open(p.pkg(), CAROL, Channel.TRANSPORT, "james").raw())
                .isEqualTo(raw);
        assertThat(env.store().revoke("<m1@mailsec.test>", "alice@mailsec.test", "sent by mistake"))
                .isTrue();
        assertThat(env.store().revoke(p.licence().licenceId(), "admin", "again")).isFalse();
        for (Channel c : Channel.values()) {
            assertThatThrownBy(() -> env.opener().open(p.pkg(), CAROL, c, "client-" + c))
                    .isInstanceOfSatisfying(
                            RightsDeniedException.class,
                            e ->
                                    assertThat(e.reason())
                                            .isEqualTo(RightsDeniedException.Reason.REVOKED));
        }
        assertThatThrownBy(
                        () ->
                                env.opener()
                                        .openById(
                                                p.licence().licenceId(), ALICE, Channel.PORTAL, ""))
                .isInstanceOf(RightsDeniedException.class)
                .hasMessageContaining("revoked");
        List<AccessEvent> log = env.store().events("m1@mailsec.test");
        assertThat(log)
                .extracting(AccessEvent::type)
                .containsExactly(
                        EventType.TRANSPORT_DECRYPTED,
                        EventType.REVOKED,
                        EventType.OPEN_REFUSED,
                        EventType.OPEN_REFUSED,
                        EventType.OPEN_REFUSED,
                        EventType.OPEN_REFUSED);
        assertThat(log.get(1).detail()).isEqualTo("sent by mistake");
        assertThat(log.get(2).detail()).isEqualTo("REVOKED");
        assertThat(log.get(4).channel()).isEqualTo(Channel.CLI);
        assertThat(log.get(4).client()).isEqualTo("client-CLI");
    }

    @Test
    void expiryShouldRefuseOpeningInEveryChannel() throws Exception {
        Protection p = protect("confidential-30d");
        Instant exp = p.licence().expiresAt().orElseThrow();
        RightsOpener before = env.opener(Clock.fixed(exp.minusSeconds(1), ZoneOffset.UTC));
        RightsOpener after = env.opener(Clock.fixed(exp, ZoneOffset.UTC));
        for (Channel c : Channel.values()) {
            assertThat(before.open(p.pkg(), CAROL, c, "").raw()).isEqualTo(raw);
            assertThatThrownBy(() -> after.open(p.pkg(), CAROL, c, ""))
                    .isInstanceOfSatisfying(
                            RightsDeniedException.class,
                            e ->
                                    assertThat(e.reason())
                                            .isEqualTo(RightsDeniedException.Reason.EXPIRED));
        }
        assertThatThrownBy(
                        () ->
                                env.store()
                                        .issuePasscode(
                                                p.licence().licenceId(),
                                                CAROL,
                                                "10.0.0.1",
                                                exp,
                                                env.settings().portal(),
                                                PasscodeKeys.of(env.keyring())))
                .isInstanceOfSatisfying(
                        RightsDeniedException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(RightsDeniedException.Reason.EXPIRED));
    }

    @Test
    void aReaderWhoIsNotAPartyShouldBeRefusedAndLogged() throws Exception {
        Protection p = protect("encrypt-only");
        assertThatThrownBy(
                        () ->
                                env.opener()
                                        .open(
                                                p.pkg(),
                                                "mallory@evil.test",
                                                Channel.PORTAL,
                                                "10.9.9.9"))
                .isInstanceOfSatisfying(
                        RightsDeniedException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(RightsDeniedException.Reason.NOT_A_PARTY));
        assertThatThrownBy(() -> env.opener().open(p.pkg(), "", Channel.TRANSPORT, ""))
                .isInstanceOf(RightsDeniedException.class);
        assertThat(env.opener().open(p.pkg(), "BOB@mailsec.test", Channel.TRANSPORT, "").raw())
                .isEqualTo(raw);
        AccessEvent refused = env.store().events(p.licence().licenceId()).get(0);
        assertThat(refused.type()).isEqualTo(EventType.OPEN_REFUSED);
        assertThat(refused.address()).isEqualTo("mallory@evil.test");
        assertThat(refused.client()).isEqualTo("10.9.9.9");
        assertThat(refused.detail()).isEqualTo("NOT_A_PARTY");
    }

    @Test
    void aPackageUnknownToTheStoreShouldBeRefused() throws Exception {
        Protection p = protect("encrypt-only");
        try (RightsStore empty = RightsStore.open("file:" + dir.resolve("empty-store"), "x")) {
            RightsOpener o =
                    new RightsOpener(env.settings(), env.keyring(), empty, Clock.systemUTC());
            assertThatThrownBy(() -> o.open(p.pkg(), CAROL, Channel.CLI, ""))
                    .isInstanceOfSatisfying(
                            RightsDeniedException.class,
                            e ->
                                    assertThat(e.reason())
                                            .isEqualTo(
                                                    RightsDeniedException.Reason.UNKNOWN_MESSAGE));
            assertThatThrownBy(() -> o.openById(p.licence().licenceId(), CAROL, Channel.PORTAL, ""))
                    .isInstanceOf(RightsDeniedException.class);
        }
    }

    // ------------------------------------------------------------------ rollover

    @Test
    void messagesProtectedBeforeARolloverShouldStillOpenAfterIt() throws Exception {
        Protection old = protect("encrypt-only");
        for (String secret : List.of("rights/content-key", "rights/signing")) {
            int v = env.admin().rotate(secret);
            env.admin().promote(secret, v);
        }
        for (String secret : List.of("rights/content-key", "rights/signing")) {
            assertThat(env.dkm().refresh(secret).version(1).orElseThrow().state())
                    .isEqualTo(VersionState.ARCHIVED);
        }
        raw = RightsTestMessages.multipart(ALICE, CAROL, "m2@mailsec.test", "after");
        Protection fresh = protect("encrypt-only");
        assertThat(JWEObject.parse(fresh.pkg().content()).getHeader().getKeyID())
                .isEqualTo("rights/content-key#2");
        assertThat(fresh.licence().signingKeyId()).isEqualTo("rights/signing#2");
        assertThat(env.opener().open(old.pkg(), CAROL, Channel.PORTAL, "").licence().signingKeyId())
                .isEqualTo("rights/signing#1");
        assertThat(env.opener().open(fresh.pkg(), CAROL, Channel.PORTAL, "").raw()).isEqualTo(raw);
    }

    // ------------------------------------------------------------------ secrets

    @Test
    void keyMaterialShouldNeverAppearInToStringOrExceptionMessages() throws Exception {
        Protection p = protect("encrypt-only");
        List<String> material = new ArrayList<>();
        for (byte[] k :
                List.of(
                        env.keyring().contentKey().key().getEncoded(),
                        env.keyring().signingKey().key().getEncoded(),
                        env.keyring().sessionKey().key().getEncoded())) {
            material.add(Base64.getEncoder().encodeToString(k));
            material.add(Base64.getUrlEncoder().withoutPadding().encodeToString(k));
            material.add(new BigInteger(1, k).toString(16));
        }
        List<String> shown = new ArrayList<>();
        shown.add(env.keyring().toString());
        shown.add(env.keyring().contentKey().toString());
        shown.add(env.keyring().signingKey().toString());
        shown.add(env.keyring().sessionKeys().toString());
        shown.add(p.toString());
        shown.add(p.pkg().toString());
        shown.add(p.licence().toString());
        shown.add(env.store().toString());
        shown.add(env.settings().toString());
        try (RightsTestEnvironment other =
                RightsTestEnvironment.create(dir.resolve("o"), Clock.systemUTC())) {
            try {
                other.opener().open(p.pkg(), CAROL, Channel.CLI, "");
            } catch (RightsException e) {
                shown.add(e.toString());
                shown.add(String.valueOf(e.getCause()));
            }
        }
        for (String s : shown) {
            for (String m : material) {
                assertThat(s).doesNotContain(m);
            }
        }
        assertThat(env.keyring().contentKey().toString())
                .isEqualTo("RightsKey[rights/content-key#1, material redacted]");
    }

    /** Licence keys from one keyring, content keys from another. */
    static final class MixedKeyring implements RightsKeyring {
        final RightsKeyring content;
        final RightsKeyring licence;

        MixedKeyring(RightsKeyring content, RightsKeyring licence) {
            this.content = content;
            this.licence = licence;
        }

        @Override
        public RightsKey<SecretKey> contentKey() throws RightsKeyUnavailableException {
            return content.contentKey();
        }

        @Override
        public Optional<SecretKey> contentKey(String kid) throws RightsKeyUnavailableException {
            return content.contentKey(kid);
        }

        @Override
        public RightsKey<ECPrivateKey> signingKey() throws RightsKeyUnavailableException {
            return licence.signingKey();
        }

        @Override
        public Optional<ECPublicKey> verificationKey(String kid)
                throws RightsKeyUnavailableException {
            return licence.verificationKey(kid);
        }

        @Override
        public RightsKey<SecretKey> sessionKey() throws RightsKeyUnavailableException {
            return content.sessionKey();
        }

        @Override
        public List<RightsKey<SecretKey>> sessionKeys() throws RightsKeyUnavailableException {
            return content.sessionKeys();
        }
    }
}
