package dev.mailsec.mailets.arc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.arc.ArcPeer;
import dev.mailsec.arc.ArcResult;
import dev.mailsec.dkim.sign.DkmSigningKeys;
import dev.mailsec.dkim.sign.KeyRecords;
import dev.mailsec.dkim.sign.SigningAlgorithm;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.SecretVersion;
import dev.mailsec.dkmclient.DkmClients;
import dev.mailsec.mailets.dkm.TestDkmStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** VerifyArc and SealArc over dkimpy's chains, with DKM's keys; dkimpy checks our seals. */
class ArcMailetsTest {

    static final String MESSAGE =
            "From: Alice <alice@example.com>\r\n"
                    + "To: list@mailsec.test\r\n"
                    + "Subject: forwarded\r\n"
                    + "Date: Mon, 7 Dec 2026 10:00:00 +0000\r\n"
                    + "Message-ID: <arc-m@example.com>\r\n"
                    + "\r\n"
                    + "Hello list,\r\nsee you.\r\n";

    @TempDir Path dir;
    ArcPeer peer;
    TestDkmStore store;

    @BeforeEach
    void setUp() throws Exception {
        peer = new ArcPeer(dir);
        store =
                TestDkmStore.create(dir, "PT0S")
                        .key("dkim/mailsec.test", "RSA-2048")
                        .key("dkim/mailsec.test/ed25519", "Ed25519");
        try (KeyManager reader = store.transport()) {
            for (String name : List.of("dkim/mailsec.test", "dkim/mailsec.test/ed25519")) {
                for (SecretVersion v : reader.get(name).versions()) {
                    SigningAlgorithm a = SigningAlgorithm.ofKeyAlgorithm(v.algorithm());
                    peer.publish(
                            DkmSigningKeys.selector(a, v.number()) + "._domainkey.mailsec.test",
                            KeyRecords.txt(v.publicKey()));
                }
            }
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        DkmClients.closeAll();
        store.close();
    }

    private byte[] dkimpyChain(int hops) throws Exception {
        byte[] m = MESSAGE.getBytes(StandardCharsets.US_ASCII);
        for (int i = 1; i <= hops; i++) {
            m =
                    peer.dkimpySeal(
                            m,
                            peer.sealer("hop" + i + ".example", "rsa-sha256"),
                            i == 1 ? null : "pass");
        }
        return m;
    }

    static Mail mail(byte[] message) throws Exception {
        // as James's MimeMessageWrapper, saving keeps the Message-ID (JavaMail's makes a new one)
        MimeMessage msg =
                new MimeMessage(
                        Session.getInstance(new Properties()), new ByteArrayInputStream(message)) {
                    @Override
                    protected void updateMessageID() {}
                };
        return FakeMail.builder().name("m1").mimeMessage(msg).remoteAddr("192.0.2.7").build();
    }

    static byte[] bytes(Mail mail) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mail.getMessage().writeTo(out);
        return out.toByteArray();
    }

    private VerifyArc verifyArc(String... params) throws Exception {
        FakeMailetConfig.Builder c =
                FakeMailetConfig.builder()
                        .mailetName("VerifyArc")
                        .setProperty("authservId", "mx.mailsec.test")
                        .setProperty("zoneFile", peer.zoneFile().toString());
        for (int i = 0; i < params.length; i += 2) {
            c.setProperty(params[i], params[i + 1]);
        }
        VerifyArc m = new VerifyArc();
        m.init(c.build());
        return m;
    }

    private SealArc sealArc(String... params) throws Exception {
        FakeMailetConfig.Builder c =
                FakeMailetConfig.builder()
                        .mailetName("SealArc")
                        .setProperty("authservId", "mx.mailsec.test")
                        .setProperty("domain", "mailsec.test")
                        .setProperty("dkmConfig", store.properties.toString())
                        .setProperty("zoneFile", peer.zoneFile().toString());
        for (int i = 0; i < params.length; i += 2) {
            c.setProperty(params[i], params[i + 1]);
        }
        SealArc m = new SealArc();
        m.init(c.build());
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, AttributeValue<?>> attribute(Mail mail) {
        return (Map<String, AttributeValue<?>>)
                mail.getAttribute(VerifyArc.RESULT).orElseThrow().getValue().value();
    }

    @Test
    void dkimpyChainGetsArcPassInAuthenticationResultsAndTheAttribute() throws Exception {
        Mail mail = mail(dkimpyChain(2));
        verifyArc().service(mail);
        String[] ar = mail.getMessage().getHeader("Authentication-Results");
        assertThat(ar[0])
                .startsWith("mx.mailsec.test;")
                .contains("arc=pass header.oldest-pass=0 smtp.remote-ip=192.0.2.7");
        Map<String, AttributeValue<?>> a = attribute(mail);
        assertThat(a.get("result").value()).isEqualTo("pass");
        assertThat(a.get("instances").value()).isEqualTo("2");
        assertThat(a.get("sealer.1").value()).isEqualTo("hop1.example");
        assertThat(a.get("aar.2").value()).isEqualTo("mx.hop2.example; arc=pass");
    }

    @Test
    void tamperedChainGetsArcFailWithTheReason() throws Exception {
        String m =
                new String(dkimpyChain(1), StandardCharsets.US_ASCII).replace("see you", "see me");
        Mail mail = mail(m.getBytes(StandardCharsets.US_ASCII));
        verifyArc().service(mail);
        assertThat(mail.getMessage().getHeader("Authentication-Results")[0])
                .contains("arc=fail (ARC-Message-Signature 1: body hash did not verify)");
        assertThat(attribute(mail).get("result").value()).isEqualTo("fail");
    }

    @Test
    void sealedAfterVerifyArcPassesInDkimpy() throws Exception {
        Mail mail = mail(dkimpyChain(2));
        verifyArc().service(mail);
        sealArc().service(mail);
        String sealed = new String(bytes(mail), StandardCharsets.US_ASCII);
        assertThat(sealed)
                .contains("ARC-Seal: i=3; cv=pass; a=rsa-sha256; d=mailsec.test; s=rsa-v1;");
        assertThat(sealed.replace("\r\n ", " "))
                .contains(
                        "ARC-Authentication-Results: i=3; mx.mailsec.test; arc=pass"
                                + " header.oldest-pass=0 smtp.remote-ip=192.0.2.7");
        String[] theirs = peer.dkimpyVerify(bytes(mail));
        assertThat(theirs[0]).as(Arrays.toString(theirs)).isEqualTo("pass");
        Mail again = mail(bytes(mail));
        verifyArc().service(again);
        assertThat(attribute(again).get("instances").value()).isEqualTo("3");
        assertThat(attribute(again).get("result").value()).isEqualTo("pass");
    }

    @Test
    void sealWithoutVerifyArcValidatesItselfAndEd25519Works() throws Exception {
        Mail mail = mail(MESSAGE.getBytes(StandardCharsets.US_ASCII));
        sealArc("algorithm", "ed25519-sha256").service(mail);
        assertThat(SealArc.recorded(mail)).isEmpty();
        String sealed = new String(bytes(mail), StandardCharsets.US_ASCII);
        assertThat(sealed)
                .contains(
                        "ARC-Seal: i=1; cv=none; a=ed25519-sha256; d=mailsec.test; s=ed25519-v1;");
        assertThat(sealed).contains("ARC-Authentication-Results: i=1; mx.mailsec.test; none");
        Mail again = mail(bytes(mail));
        verifyArc().service(again);
        assertThat(attribute(again).get("result").value()).isEqualTo("pass");
        assertThat(SealArc.recorded(again)).contains(ArcResult.PASS);
    }

    @Test
    void badParametersFailTheStartNamingThem() {
        assertThatThrownBy(() -> verifyArc("maxKeyLookups", "0"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("VerifyArc: maxKeyLookups")
                .hasMessageContaining("0");
        assertThatThrownBy(() -> verifyArc("selector", "x"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("selector");
        assertThatThrownBy(() -> sealArc("algorithm", "rsa-sha1"))
                .isInstanceOf(MessagingException.class)
                .hasMessage(
                        "SealArc: algorithm: one of rsa-sha256, ed25519-sha256; got 'rsa-sha1'");
        assertThatThrownBy(() -> sealArc("domain", "not a domain"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("SealArc: domain");
    }
}
