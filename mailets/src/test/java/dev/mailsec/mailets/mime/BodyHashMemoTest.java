package dev.mailsec.mailets.mime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.arc.ArcPeer;
import dev.mailsec.arc.ArcResult;
import dev.mailsec.authentication.CountingCrypto;
import dev.mailsec.dkim.DkimSigner;
import dev.mailsec.mailets.arc.VerifyArc;
import dev.mailsec.mailets.dkim.VerifyDkim;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VerifyDkim then VerifyArc on one mail, as James hands it (a {@code MimeMessageWrapper} over its
 * stored source): the body is hashed once for both, counted through a counting JCA provider; a body
 * changed between them is hashed again.
 */
class BodyHashMemoTest {

    @TempDir Path dir;
    private ArcPeer peer;
    private ArcPeer.Sealer origin;
    private ArcPeer.Sealer forwarder;
    private byte[] message;
    private int body;

    @BeforeEach
    void setUp() throws Exception {
        peer = new ArcPeer(dir);
        origin = peer.sealer("example.com", "rsa-sha256");
        forwarder = peer.sealer("fwd.example", "rsa-sha256");
        StringBuilder m =
                new StringBuilder(
                        "From: Alice <alice@example.com>\r\nTo: bob@example.net\r\n"
                                + "Subject: memo\r\nMessage-ID: <memo@example.com>\r\n\r\n");
        for (int i = 0; i < 2000; i++) {
            m.append("line ").append(i).append(" of a body that is long enough to count\r\n");
        }
        byte[] plain = m.toString().getBytes(StandardCharsets.ISO_8859_1);
        body = plain.length - m.indexOf("\r\n\r\n");
        byte[] signed =
                ArcPeer.concat(
                        String.join("", DkimSigner.of(origin.key).sign(plain))
                                .getBytes(StandardCharsets.ISO_8859_1),
                        plain);
        message = ArcPeer.seal(signed, forwarder, ArcResult.NONE);
        CountingCrypto.install();
    }

    @AfterEach
    void tearDown() {
        CountingCrypto.uninstall();
    }

    private static Mail asJamesHandsIt(byte[] m) throws Exception {
        MimeMessage wrapper =
                new MimeMessageWrapper(
                        MimeMessageInputStreamSource.create("m1", new ByteArrayInputStream(m)));
        return FakeMail.builder().name("m1").mimeMessage(wrapper).remoteAddr("192.0.2.7").build();
    }

    private VerifyDkim verifyDkim() throws Exception {
        VerifyDkim v = new VerifyDkim();
        v.init(
                FakeMailetConfig.builder()
                        .mailetName("VerifyDkim")
                        .setProperty("authservId", "mx.test")
                        .setProperty("zoneFile", peer.zoneFile().toString())
                        .build());
        return v;
    }

    private VerifyArc verifyArc() throws Exception {
        VerifyArc v = new VerifyArc();
        v.init(
                FakeMailetConfig.builder()
                        .mailetName("VerifyArc")
                        .setProperty("authservId", "mx.test")
                        .setProperty("zoneFile", peer.zoneFile().toString())
                        .build());
        return v;
    }

    private static String header(Mail mail) throws Exception {
        return String.join("\n", mail.getMessage().getHeader("Authentication-Results"));
    }

    @Test
    void verifyDkimThenVerifyArcHashTheBodyOnce() throws Exception {
        VerifyDkim dkim = verifyDkim();
        VerifyArc arc = verifyArc();
        Mail mail = asJamesHandsIt(message);

        CountingCrypto.reset();
        dkim.service(mail);
        long afterDkim = CountingCrypto.SHA256_BYTES.get();
        arc.service(mail);
        long afterArc = CountingCrypto.SHA256_BYTES.get();

        assertThat(header(mail)).contains("dkim=pass", "arc=pass");
        assertThat(afterDkim).isBetween((long) body, body + 4_000L);
        // ARC's two signatures hash header data only: its body hash came from VerifyDkim
        assertThat(afterArc - afterDkim).isLessThan(4_000L);
        assertThat(CountingCrypto.RSA_VERIFICATIONS.get()).isEqualTo(3);
    }

    @Test
    void aBodyChangedBetweenThemIsHashedAgain() throws Exception {
        VerifyDkim dkim = verifyDkim();
        VerifyArc arc = verifyArc();
        Mail mail = asJamesHandsIt(message);

        dkim.service(mail);
        mail.getMessage().setText("a footer mailet rewrote the body\r\n");
        mail.getMessage().saveChanges();
        CountingCrypto.reset();
        arc.service(mail);

        assertThat(CountingCrypto.SHA256_BYTES.get()).isPositive();
        assertThat(header(mail)).contains("arc=fail");
        assertThat(header(mail)).contains("body hash did not verify");
    }

    @Test
    void aMessageOtherThanJamesesIsNotRemembered() throws Exception {
        MimeMessage plain =
                new MimeMessage(
                        Session.getInstance(new Properties()), new ByteArrayInputStream(message));
        int before = BodyHashMemo.size();

        verifyDkim().service(FakeMail.builder().name("m2").mimeMessage(plain).build());

        assertThat(BodyHashMemo.size()).isEqualTo(before);
    }
}
