package dev.mailsec.authentication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.arc.ArcPeer;
import dev.mailsec.arc.ArcResult;
import dev.mailsec.arc.ArcVerifier;
import dev.mailsec.dkim.DkimPolicy;
import dev.mailsec.dkim.DkimResult;
import dev.mailsec.dkim.DkimSigner;
import dev.mailsec.dkim.DkimVerification;
import dev.mailsec.dkim.DkimVerifier;
import dev.mailsec.dkim.KeyRecordSource;
import dev.mailsec.dmarc.Dmarc;
import dev.mailsec.dmarc.DmarcResult;
import dev.mailsec.dmarc.DmarcSettings;
import dev.mailsec.spf.SpfChecker;
import dev.mailsec.spf.SpfLimits;
import dev.mailsec.spf.ZoneFileSpfDns;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The work {@link InboundAuthentication} does per message, counted (issue #17's speed target, in
 * the form no machine load changes): one DKIM signature and one ARC set cost three RSA
 * verifications and one pass of SHA-256 over the body, the body hash being shared by the
 * DKIM-Signature and the ARC-Message-Signature; and the verdicts are those each verifier gives
 * alone.
 */
@Timeout(120)
class InboundWorkTest {

    @TempDir Path dir;
    private ArcPeer peer;
    private ArcPeer.Sealer origin;
    private ArcPeer.Sealer forwarder;

    @BeforeEach
    void setUp() throws Exception {
        peer = new ArcPeer(dir);
        origin = peer.sealer("example.com", "rsa-sha256");
        forwarder = peer.sealer("fwd.example", "rsa-sha256");
        peer.publish("_dmarc.example.com", "v=DMARC1; p=reject");
        CountingCrypto.install();
    }

    @AfterEach
    void tearDown() {
        CountingCrypto.uninstall();
    }

    private InboundAuthentication auth(DkimPolicy dkimPolicy, DkimPolicy arcPolicy) {
        KeyRecordSource keys = peer.keys();
        return new InboundAuthentication(
                new DkimVerifier(keys, dkimPolicy),
                new SpfChecker(
                        ZoneFileSpfDns.parse(
                                "example.com. 300 IN TXT \"v=spf1 ip4:192.0.2.1 -all\"\n", "z"),
                        SpfLimits.defaults()),
                new ArcVerifier(keys, arcPolicy),
                new Dmarc(keys, DmarcSettings.defaults()));
    }

    private static InboundAuthentication.Envelope envelope() throws Exception {
        return new InboundAuthentication.Envelope(
                InetAddress.getByName("198.51.100.7"), "fwd.example", "alice@example.com", "m");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] message(int bodyLines) {
        StringBuilder m =
                new StringBuilder(
                        "From: Alice <alice@example.com>\r\nTo: bob@example.net\r\n"
                                + "Subject: work\r\nMessage-ID: <w@example.com>\r\n\r\n");
        for (int i = 0; i < bodyLines; i++) {
            m.append("line ").append(i).append(" of a body that is long enough to count\r\n");
        }
        return bytes(m.toString());
    }

    private byte[] signed(byte[] m) {
        return ArcPeer.concat(bytes(String.join("", DkimSigner.of(origin.key).sign(m))), m);
    }

    @Test
    void oneSignatureAndOneArcSetCostThreeRsaVerificationsAndOneBodyHash() throws Exception {
        byte[] plain = message(2000);
        int body =
                plain.length - new String(plain, StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
        byte[] m = ArcPeer.seal(signed(plain), forwarder, ArcResult.NONE);
        InboundAuthentication inbound = auth(DkimPolicy.defaults(), DkimPolicy.defaults());
        DkimVerifier dkim = new DkimVerifier(peer.keys(), DkimPolicy.defaults());
        ArcVerifier arc = new ArcVerifier(peer.keys(), DkimPolicy.defaults());

        CountingCrypto.reset();
        Verdicts v = inbound.evaluate(m, envelope());
        long rsa = CountingCrypto.RSA_VERIFICATIONS.get();
        long sha = CountingCrypto.SHA256_BYTES.get();
        CountingCrypto.reset();
        dkim.verify(m);
        arc.verify(m);
        long separateSha = CountingCrypto.SHA256_BYTES.get();

        assertThat(v.dkim().results()).extracting(r -> r.result()).containsExactly(DkimResult.PASS);
        assertThat(v.arc().result()).isEqualTo(ArcResult.PASS);
        assertThat(v.dmarc().result()).isEqualTo(DmarcResult.PASS);
        // DKIM-Signature, ARC-Message-Signature, ARC-Seal
        assertThat(rsa).isEqualTo(3);
        // the body (about 100 KB) once, plus the signed header data of three signatures
        assertThat(sha).isBetween((long) body, body + 8_000L);
        assertThat(separateSha).isGreaterThan(2L * body);
    }

    @Test
    void aMessageNoVerdictNeedsTheBodyOfIsNotHashed() throws Exception {
        byte[] m = message(2000);

        CountingCrypto.reset();
        Verdicts v = auth(DkimPolicy.defaults(), DkimPolicy.defaults()).evaluate(m, envelope());

        assertThat(v.dkim().results()).extracting(r -> r.result()).containsExactly(DkimResult.NONE);
        assertThat(CountingCrypto.RSA_VERIFICATIONS.get()).isZero();
        assertThat(CountingCrypto.SHA256_BYTES.get()).isZero();
    }

    @Test
    void verdictsAreThoseOfEachVerifierAlone() throws Exception {
        DkimPolicy small = DkimPolicy.builder().maxHeaderBytes(2000).maxHeaderFields(12).build();
        List<DkimPolicy[]> policies =
                List.of(
                        new DkimPolicy[] {DkimPolicy.defaults(), DkimPolicy.defaults()},
                        new DkimPolicy[] {small, DkimPolicy.defaults()},
                        new DkimPolicy[] {DkimPolicy.defaults(), small});
        for (DkimPolicy[] p : policies) {
            InboundAuthentication inbound = auth(p[0], p[1]);
            DkimVerifier dkim = new DkimVerifier(peer.keys(), p[0]);
            ArcVerifier arc = new ArcVerifier(peer.keys(), p[1]);
            for (byte[] m : corpus()) {
                Verdicts v = inbound.evaluate(m, envelope());
                DkimVerification alone = dkim.verify(m);
                assertThat(v.dkim().results()).isEqualTo(alone.results());
                assertThat(v.dkim().toString()).isEqualTo(alone.toString());
                assertThat(v.dkim().ignoredSignatures()).isEqualTo(alone.ignoredSignatures());
                assertThat(v.arc().toMap()).isEqualTo(arc.verify(m).toMap());
            }
        }
    }

    private List<byte[]> corpus() {
        List<byte[]> out = new ArrayList<>();
        byte[] plain = message(20);
        byte[] signed = signed(plain);
        byte[] sealed = ArcPeer.seal(signed, forwarder, ArcResult.NONE);
        out.add(plain);
        out.add(signed);
        out.add(sealed);
        out.add(ArcPeer.seal(sealed, origin, ArcResult.PASS));
        // the body changed after signing and sealing: both body hashes fail
        out.add(
                bytes(
                        new String(sealed, StandardCharsets.ISO_8859_1)
                                .replace("line 3 of", "line three of")));
        // the body changed before the seal: DKIM fails, ARC passes
        out.add(
                ArcPeer.seal(
                        bytes(
                                new String(signed, StandardCharsets.ISO_8859_1)
                                        .replace("line 3 of", "line three of")),
                        forwarder,
                        ArcResult.NONE));
        // header only, no empty line
        String s = new String(sealed, StandardCharsets.ISO_8859_1);
        out.add(bytes(s.substring(0, s.indexOf("\r\n\r\n") + 2)));
        // a header section over 2000 bytes and 12 fields
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            big.append("X-Filler-").append(i).append(": ").append("y".repeat(60)).append("\r\n");
        }
        out.add(ArcPeer.concat(bytes(big.toString()), sealed));
        Random random = new Random(17);
        for (int i = 0; i < 20; i++) {
            byte[] junk = new byte[random.nextInt(3000)];
            random.nextBytes(junk);
            out.add(ArcPeer.concat(i % 2 == 0 ? sealed : bytes("From: x@example.com\r\n"), junk));
        }
        return out;
    }
}
