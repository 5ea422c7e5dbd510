package dev.mailsec.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.dkim.sign.DkmSigningKeys;
import dev.mailsec.dkm.Credential;
import dev.mailsec.dkm.DkmUnavailableException;
import dev.mailsec.dkm.IdentityType;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.SecretKind;
import dev.mailsec.dkm.SecretVersion;
import dev.mailsec.dkm.root.FileRootKeys;
import dev.mailsec.dkm.store.FileStorage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a real DKM file store (admin, james-transport in group mail) and a clock the test moves.
 */
class DomainSignerTest {

    static final String RSA = "dkim/mailsec.test";

    @TempDir Path dir;
    FileStorage storage;
    KeyManager admin;
    KeyManager transport;
    final MutableClock clock = new MutableClock();
    final AtomicInteger lookups = new AtomicInteger();
    DomainSigner.PrimaryVersions versions;

    @BeforeEach
    void store() throws Exception {
        storage = FileStorage.create(dir.resolve("data"));
        admin =
                KeyManager.init(
                        storage,
                        new FileRootKeys(dir.resolve("root-keys")),
                        "admin",
                        dir.resolve("credentials/admin.cred"),
                        Clock.systemUTC());
        admin.createIdentity(
                "james-transport",
                IdentityType.SERVICE,
                false,
                dir.resolve("credentials/james-transport.cred"));
        admin.createGroup("mail");
        admin.addMember("mail", "james-transport");
        admin.generate(RSA, "mail", SecretKind.KEY_PAIR, "RSA-2048");
        transport =
                KeyManager.open(
                        storage,
                        null,
                        Credential.load(dir.resolve("credentials/james-transport.cred")),
                        Clock.systemUTC());
        versions =
                secret -> {
                    lookups.incrementAndGet();
                    return transport.get(secret).primary();
                };
    }

    @AfterEach
    void close() throws IOException {
        transport.close();
        admin.close();
        storage.close();
    }

    DomainSigner signer() {
        return DomainSigner.builder().clock(clock).build(versions);
    }

    static MimeMessage message(String from) throws Exception {
        return new MimeMessage(
                Session.getInstance(new Properties()),
                new ByteArrayInputStream(
                        ("From: "
                                        + from
                                        + "\r\nTo: bob@example.org\r\nSubject: hello\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n"
                                        + "Message-ID: <1@mailsec.test>\r\n\r\nHello Bob,\r\n")
                                .getBytes(StandardCharsets.US_ASCII)));
    }

    static byte[] bytes(MimeMessage m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toByteArray();
    }

    DkimVerification verify(MimeMessage m, String secret) throws Exception {
        StringBuilder zone = new StringBuilder();
        String domain = secret.substring("dkim/".length());
        for (SecretVersion v : transport.get(secret).versions()) {
            zone.append(DkmSigningKeys.zoneLine(domain, v)).append('\n');
        }
        DkimPolicy policy = DkimPolicy.defaults();
        return new DkimVerifier(ZoneFileKeyRecordSource.parse(zone.toString(), "zone"), policy)
                .verify(bytes(m));
    }

    @Test
    void signShouldPutAPassingSignatureOfTheFromDomainOnTopStampedByTheClock() throws Exception {
        MimeMessage m = message("Alice <alice@MailSec.test>");
        assertThat(signer().sign(m)).isEqualTo(DomainSigner.Outcome.SIGNED);
        String text = new String(bytes(m), StandardCharsets.US_ASCII);
        assertThat(text).startsWith("DKIM-Signature: v=1; a=rsa-sha256;");
        assertThat(text).contains("t=" + clock.instant().getEpochSecond() + ";");
        DkimSignatureResult r = verify(m, RSA).results().get(0);
        assertThat(r.result()).as(r.toString()).isEqualTo(DkimResult.PASS);
        assertThat(r.selector()).isEqualTo("rsa-v1");
        assertThat(text.indexOf("From:"))
                .isLessThan(text.indexOf("To:"))
                .isLessThan(text.indexOf("Subject:"));
    }

    @Test
    void aMissingKeyShouldBeAskedForOnceUntilItsMemoryExpires() throws Exception {
        DomainSigner s = signer();
        assertThat(s.sign(message("carol@other.test"))).isEqualTo(DomainSigner.Outcome.NO_KEY);
        assertThat(lookups).hasValue(1);
        admin.generate("dkim/other.test", "mail", SecretKind.KEY_PAIR, "RSA-2048");
        clock.advance(DomainSigner.MISSING_KEY_TTL.minusSeconds(1));
        MimeMessage remembered = message("carol@other.test");
        assertThat(s.sign(remembered)).isEqualTo(DomainSigner.Outcome.NO_KEY);
        assertThat(remembered.getHeader("DKIM-Signature")).isNull();
        assertThat(lookups).as("still remembered as missing").hasValue(1);
        clock.advance(Duration.ofSeconds(2));
        MimeMessage after = message("carol@other.test");
        assertThat(s.sign(after)).isEqualTo(DomainSigner.Outcome.SIGNED);
        assertThat(lookups).hasValue(2);
        assertThat(verify(after, "dkim/other.test").results().get(0).result())
                .isEqualTo(DkimResult.PASS);
    }

    @Test
    void aDomainWithAKeyShouldBeAskedEveryTimeSoAPromotionTakesEffect() throws Exception {
        DomainSigner s = signer();
        s.sign(message("alice@mailsec.test"));
        int v2 = admin.rotate(RSA);
        admin.promote(RSA, v2);
        MimeMessage m = message("alice@mailsec.test");
        s.sign(m);
        assertThat(lookups).hasValue(2);
        assertThat(verify(m, RSA).results())
                .extracting(DkimSignatureResult::selector, DkimSignatureResult::result)
                .containsExactly(Tuple.tuple("rsa-v2", DkimResult.PASS));
    }

    @Test
    void noSingleFromDomainShouldLeaveTheMessageUnsignedUnlessADomainIsConfigured()
            throws Exception {
        MimeMessage two = message("a@mailsec.test, b@mailsec.test");
        assertThat(signer().sign(two)).isEqualTo(DomainSigner.Outcome.NO_DOMAIN);
        assertThat(two.getHeader("DKIM-Signature")).isNull();
        assertThat(lookups).hasValue(0);
        MimeMessage configured = message("a@other.test, b@other.test");
        assertThat(
                        DomainSigner.builder()
                                .domain(" MailSec.Test ")
                                .clock(clock)
                                .build(versions)
                                .sign(configured))
                .isEqualTo(DomainSigner.Outcome.SIGNED);
        assertThat(verify(configured, RSA).results().get(0).domain()).isEqualTo("mailsec.test");
    }

    @Test
    void fromDomainShouldNeedExactlyOneAddressWithADomainName() throws Exception {
        assertThat(DomainSigner.fromDomain(message("\"x@evil.example\" <Bob@Example.COM>")))
                .isEqualTo("example.com");
        assertThat(DomainSigner.fromDomain(message("a@example.com, b@example.org"))).isNull();
        assertThat(DomainSigner.fromDomain(message("nobody"))).isNull();
        assertThat(DomainSigner.fromDomain(message("a@localhost"))).isNull();
    }

    @Test
    void anUnreachableStoreShouldBeAFailureNamingTheSecretWithTheMessageUntouched()
            throws Exception {
        DomainSigner s =
                DomainSigner.builder()
                        .algorithms("both")
                        .clock(clock)
                        .build(
                                secret -> {
                                    throw new DkmUnavailableException("store down");
                                });
        MimeMessage m = message("alice@mailsec.test");
        byte[] before = bytes(m);
        assertThatThrownBy(() -> s.sign(m))
                .isInstanceOfSatisfying(
                        DomainSigner.KeyUnavailableException.class,
                        e -> {
                            assertThat(e.secret()).isEqualTo("dkim/mailsec.test/ed25519");
                            assertThat(e.getMessage())
                                    .contains("DkmUnavailableException: store down");
                            assertThat(e.getCause()).isInstanceOf(DkmUnavailableException.class);
                        });
        assertThat(bytes(m)).isEqualTo(before);
    }

    @Test
    void aSecretThatCannotSignShouldBeAKeyStoreFailureNotAMissingKey() throws Exception {
        admin.generate("dkim/mailsec.test/ed25519", "mail", SecretKind.KEY_PAIR, "RSA-2048");
        DomainSigner s =
                DomainSigner.builder().algorithms("ed25519-sha256").clock(clock).build(versions);
        assertThatThrownBy(() -> s.sign(message("alice@mailsec.test")))
                .isInstanceOfSatisfying(
                        DomainSigner.KeyUnavailableException.class,
                        e -> {
                            assertThat(e.secret()).isEqualTo("dkim/mailsec.test/ed25519");
                            assertThat(e.getMessage()).contains("DkmInvalidKeyException");
                        });
    }

    @Test
    void badSettingsShouldNameTheParameterAndTheValue() {
        assertThatThrownBy(() -> DomainSigner.builder().domain("not a domain"))
                .hasMessage("domain: not a domain name: 'not a domain'");
        assertThatThrownBy(() -> DomainSigner.builder().algorithms("rsa-sha1"))
                .hasMessageStartingWith("algorithms:")
                .hasMessageContaining("'rsa-sha1'");
        assertThatThrownBy(() -> DomainSigner.builder().headers(List.of("to", "subject")))
                .hasMessageStartingWith("headers:");
    }

    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-23T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
