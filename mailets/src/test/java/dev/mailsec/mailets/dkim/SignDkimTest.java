package dev.mailsec.mailets.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.dkim.DkimPolicy;
import dev.mailsec.dkim.DkimResult;
import dev.mailsec.dkim.DkimSignatureResult;
import dev.mailsec.dkim.DkimVerification;
import dev.mailsec.dkim.DkimVerifier;
import dev.mailsec.dkim.ZoneFileKeyRecordSource;
import dev.mailsec.dkim.sign.DkmSigningKeys;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.SecretHandle;
import dev.mailsec.dkm.SecretVersion;
import dev.mailsec.dkmclient.DkmClients;
import dev.mailsec.mailets.dkm.TestDkmStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Properties;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignDkimTest {

    static final String RSA = "dkim/mailsec.test";
    static final String ED = "dkim/mailsec.test/ed25519";

    @TempDir Path dir;
    TestDkmStore store;

    @BeforeEach
    void setUp() throws Exception {
        store = TestDkmStore.create(dir, "PT0S").key(RSA, "RSA-2048").key(ED, "Ed25519");
    }

    @AfterEach
    void tearDown() throws Exception {
        DkmClients.closeAll();
        store.close();
    }

    SignDkim mailet(String... params) throws MessagingException {
        FakeMailetConfig.Builder c =
                FakeMailetConfig.builder()
                        .mailetName("SignDkim")
                        .setProperty("dkmConfig", store.properties.toString());
        for (int i = 0; i < params.length; i += 2) {
            c.setProperty(params[i], params[i + 1]);
        }
        SignDkim m = new SignDkim();
        m.init(c.build());
        return m;
    }

    static Mail mail(String from) throws Exception {
        MimeMessage msg =
                new MimeMessage(
                        Session.getInstance(new Properties()),
                        new ByteArrayInputStream(
                                ("From: Alice <"
                                                + from
                                                + ">\r\n"
                                                + "To: bob@example.org\r\nSubject: hello\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n"
                                                + "Message-ID: <1@mailsec.test>\r\n\r\nHello Bob,\r\n\r\nsee you.\r\n")
                                        .getBytes(StandardCharsets.US_ASCII)));
        return FakeMail.builder().name("m1").mimeMessage(msg).build();
    }

    static byte[] bytes(Mail mail) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mail.getMessage().writeTo(out);
        return out.toByteArray();
    }

    /** The zone an operator publishes: every version's record of both keys. */
    String zone() throws Exception {
        StringBuilder z = new StringBuilder();
        for (String name : new String[] {RSA, ED}) {
            SecretHandle h;
            try (KeyManager reader = store.transport()) {
                h = reader.get(name);
            }
            for (SecretVersion v : h.versions()) {
                z.append(DkmSigningKeys.zoneLine("mailsec.test", v)).append('\n');
            }
        }
        return z.toString();
    }

    DkimVerification verify(Mail mail) throws Exception {
        return new DkimVerifier(
                        ZoneFileKeyRecordSource.parse(zone(), "zone"), DkimPolicy.defaults())
                .verify(bytes(mail));
    }

    @Test
    void serviceShouldSignWithThePrimaryRsaKeyAndItsDerivedSelector() throws Exception {
        Mail mail = mail("alice@mailsec.test");
        mailet().service(mail);
        DkimVerification v = verify(mail);
        assertThat(v.results()).hasSize(1);
        DkimSignatureResult r = v.results().get(0);
        assertThat(r.result()).as(r.toString()).isEqualTo(DkimResult.PASS);
        assertThat(r.selector()).isEqualTo("rsa-v1");
        assertThat(r.domain()).isEqualTo("mailsec.test");
        assertThat(new String(bytes(mail), StandardCharsets.US_ASCII))
                .startsWith("DKIM-Signature: v=1; a=rsa-sha256;");
    }

    @Test
    void bothShouldAddAnEd25519AndAnRsaSignature() throws Exception {
        Mail mail = mail("alice@mailsec.test");
        mailet("algorithms", "both").service(mail);
        assertThat(verify(mail).results())
                .extracting(DkimSignatureResult::selector, DkimSignatureResult::result)
                .containsExactly(
                        Tuple.tuple("ed25519-v1", DkimResult.PASS),
                        Tuple.tuple("rsa-v1", DkimResult.PASS));
    }

    @Test
    void rolloverShouldSignWithTheNewSelectorOnlyAfterPromotionAndOldSignaturesStillVerify()
            throws Exception {
        SignDkim m = mailet();
        Mail before = mail("alice@mailsec.test");
        m.service(before);
        int v2 = store.admin.rotate(RSA);
        Mail pending = mail("alice@mailsec.test");
        m.service(pending);
        assertThat(verify(pending).results().get(0).selector()).isEqualTo("rsa-v1");
        store.admin.promote(RSA, v2);
        Mail after = mail("alice@mailsec.test");
        m.service(after);
        assertThat(verify(after).results())
                .extracting(DkimSignatureResult::selector, DkimSignatureResult::result)
                .containsExactly(Tuple.tuple("rsa-v2", DkimResult.PASS));
        // the archived v1 keeps its record: mail signed before the rollover still verifies
        assertThat(verify(before).results().get(0).result()).isEqualTo(DkimResult.PASS);
    }

    @Test
    void domainWithoutKeyShouldPassUnsigned() throws Exception {
        Mail mail = mail("carol@other.test");
        mailet().service(mail);
        assertThat(mail.getMessage().getHeader("DKIM-Signature")).isNull();
        assertThat(mail.getState()).isNotEqualTo("dkim-hold");
    }

    @Test
    void configuredDomainShouldOverrideTheFromDomain() throws Exception {
        Mail mail = mail("carol@other.test");
        mailet("domain", "mailsec.test").service(mail);
        assertThat(verify(mail).results().get(0).result()).isEqualTo(DkimResult.PASS);
        assertThat(verify(mail).results().get(0).domain()).isEqualTo("mailsec.test");
    }

    @Test
    void unreachableStoreShouldRouteToTheProcessorUnsigned() throws Exception {
        SignDkim m = mailet("onKeyStoreFailure", "dkim-hold");
        Files.move(dir.resolve("data"), dir.resolve("data-moved"));
        Mail mail = mail("alice@mailsec.test");
        m.service(mail);
        assertThat(mail.getState()).isEqualTo("dkim-hold");
        assertThat(mail.getMessage().getHeader("DKIM-Signature")).isNull();
    }

    @Test
    void unreachableStoreWithoutProcessorShouldThrowSoJamesKeepsTheMail() throws Exception {
        SignDkim m = mailet();
        Files.move(dir.resolve("data"), dir.resolve("data-moved"));
        Mail mail = mail("alice@mailsec.test");
        assertThatThrownBy(() -> m.service(mail))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("dkim/mailsec.test")
                .hasMessageContaining("DkmUnavailableException");
        assertThat(mail.getMessage().getHeader("DKIM-Signature")).isNull();
    }

    @Test
    void keyMaterialShouldNeverAppearInFailures() throws Exception {
        SecretVersion v;
        try (KeyManager reader = store.transport()) {
            v = reader.get(RSA).primary();
        }
        String material =
                Base64.getEncoder().encodeToString(v.privateKey().getEncoded()).substring(100, 160);
        SignDkim m = mailet();
        Files.move(dir.resolve("data"), dir.resolve("data-moved"));
        assertThatThrownBy(() -> m.service(mail("alice@mailsec.test")))
                .satisfies(e -> assertThat(e.toString()).doesNotContain(material));
    }

    @Test
    void rolloverPeriodShouldBeReadAsTheOtherDurationsAre() {
        String admin = dir.resolve("admin.properties").toString();
        assertThatThrownBy(() -> mailet("rolloverConfig", admin, "rolloverPeriod", "1h"))
                .hasMessage(
                        "SignDkim: rolloverPeriod: must be a duration (a number of seconds or"
                                + " ISO-8601 such as PT1H) from PT1S to PT8784H, got '1h'");
        assertThatThrownBy(() -> mailet("rolloverConfig", admin, "rolloverPeriod", "PT0S"))
                .hasMessageContaining("rolloverPeriod")
                .hasMessageContaining("'PT0S'");
    }

    @Test
    void badParametersShouldFailInitNamingThem() {
        assertThatThrownBy(() -> mailet("algorithm", "rsa-sha256"))
                .hasMessageContaining("algorithm");
        assertThatThrownBy(() -> mailet("algorithms", "rsa-sha1"))
                .hasMessageContaining("algorithms")
                .hasMessageContaining("rsa-sha1");
        assertThatThrownBy(() -> mailet("domain", "not a domain")).hasMessageContaining("domain");
        assertThatThrownBy(() -> mailet("headers", "to,subject")).hasMessageContaining("headers");
        assertThatThrownBy(() -> mailet("rolloverPeriod", "PT1H"))
                .hasMessageContaining("rolloverConfig");
        assertThatThrownBy(() -> mailet("dkmConfig", dir.resolve("missing.properties").toString()))
                .hasMessageContaining("dkmConfig")
                .hasMessageContaining("missing.properties");
    }

    @Test
    void rolloverShouldStartOncePerJvmAndRotateDueKeys() throws Exception {
        Path admin = dir.resolve("admin-dkm.properties");
        mailet("rolloverConfig", admin.toString(), "rolloverPeriod", "PT1H");
        mailet("rolloverConfig", admin.toString(), "rolloverPeriod", "PT1H");
        assertThat(DkmClients.rolloverRunning(admin)).isTrue();
        assertThatThrownBy(() -> mailet("rolloverConfig", store.properties.toString()))
                .hasMessageContaining("rootKey");
    }

    @Test
    void rolloverShouldOnlyBeValidatedWhileMailsecCheckRunsTheMailet() throws Exception {
        Path admin = dir.resolve("admin-dkm.properties");
        DkmClients.validateRolloverOnly(true);
        try {
            mailet("rolloverConfig", admin.toString(), "rolloverPeriod", "PT1H");
            assertThat(DkmClients.rolloverRunning(admin))
                    .as("a check never rotates keys")
                    .isFalse();
            assertThatThrownBy(() -> mailet("rolloverConfig", store.properties.toString()))
                    .hasMessageContaining("rootKey");
        } finally {
            DkmClients.validateRolloverOnly(false);
        }
        mailet("rolloverConfig", admin.toString(), "rolloverPeriod", "PT1H");
        assertThat(DkmClients.rolloverRunning(admin)).isTrue();
    }
}
