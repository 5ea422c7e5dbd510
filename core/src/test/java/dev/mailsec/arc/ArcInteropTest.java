package dev.mailsec.arc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.arc.ArcPeer.Sealer;
import dev.mailsec.dkim.DkimPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ARC both ways with dkimpy (python3-dkim): its chains verify with us, ours with it. */
class ArcInteropTest {

    static final String MESSAGE =
            "From: Alice <alice@example.com>\r\n"
                    + "To: list@lists.example\r\n"
                    + "Subject: ARC interop\r\n"
                    + "Date: Mon, 7 Dec 2026 10:00:00 +0000\r\n"
                    + "Message-ID: <arc-1@example.com>\r\n"
                    + "\r\n"
                    + "Hello  world \r\n"
                    + "\r\n"
                    + "second line\r\n";

    @TempDir Path dir;

    private ArcVerification ours(ArcPeer peer, byte[] message) {
        return new ArcVerifier(peer.keys(), DkimPolicy.defaults()).verify(message);
    }

    private static void assertDkimpy(ArcPeer peer, byte[] m, String cv) throws Exception {
        String[] theirs = peer.dkimpyVerify(m);
        assertThat(theirs[0]).as("dkimpy: %s", theirs.length > 1 ? theirs[1] : "").isEqualTo(cv);
    }

    @ParameterizedTest
    @CsvSource({"1,rsa-sha256", "2,rsa-sha256", "3,rsa-sha256"})
    void dkimpyChainsPassWithUs(int hops, String algorithm) throws Exception {
        ArcPeer peer = new ArcPeer(dir);
        byte[] m = MESSAGE.getBytes(StandardCharsets.US_ASCII);
        for (int i = 1; i <= hops; i++) {
            Sealer s = peer.sealer("hop" + i + ".example", algorithm);
            m = peer.dkimpySeal(m, s, i == 1 ? null : "pass");
        }
        assertDkimpy(peer, m, "pass");
        ArcVerification v = ours(peer, m);
        assertThat(v.result()).as(v.reason()).isEqualTo(ArcResult.PASS);
        assertThat(v.instances()).isEqualTo(hops);
        assertThat(v.oldestPass()).isZero();
        assertThat(v.sealers()).hasSize(hops).startsWith("hop1.example");
        assertThat(v.aars().get(0)).startsWith("mx.hop1.example; spf=pass");
    }

    /**
     * dkimpy 1.1.4 (Debian 12) seals and verifies ARC with rsa-sha256 only ("unknown signature
     * algorithm: b'ed25519-sha256'"): ed25519 chains are checked against our own verifier, on top
     * of a dkimpy set.
     */
    @Test
    void ed25519SealOnDkimpyChainPassesWithUs() throws Exception {
        ArcPeer peer = new ArcPeer(dir);
        byte[] m = MESSAGE.getBytes(StandardCharsets.US_ASCII);
        m = peer.dkimpySeal(m, peer.sealer("a.example", "rsa-sha256"), null);
        m = ArcPeer.seal(m, peer.sealer("b.example", "ed25519-sha256"), ArcResult.PASS);
        m = ArcPeer.seal(m, peer.sealer("c.example", "ed25519-sha256"), ArcResult.PASS);
        ArcVerification v = ours(peer, m);
        assertThat(v.result()).as(v.reason()).isEqualTo(ArcResult.PASS);
        assertThat(v.sealers()).containsExactly("a.example", "b.example", "c.example");
        String tampered = new String(m, StandardCharsets.US_ASCII).replace("second", "Second");
        assertThat(ours(peer, tampered.getBytes(StandardCharsets.US_ASCII)).result())
                .isEqualTo(ArcResult.FAIL);
    }

    @Test
    void ourSealsPassWithDkimpy() throws Exception {
        String algorithm = "rsa-sha256";
        ArcPeer peer = new ArcPeer(dir);
        byte[] m = MESSAGE.getBytes(StandardCharsets.US_ASCII);
        m = ArcPeer.seal(m, peer.sealer("one.example", algorithm), ArcResult.NONE);
        assertDkimpy(peer, m, "pass");
        assertThat(ours(peer, m).result()).isEqualTo(ArcResult.PASS);
        m = ArcPeer.seal(m, peer.sealer("two.example", algorithm), ArcResult.PASS);
        assertDkimpy(peer, m, "pass");
        ArcVerification v = ours(peer, m);
        assertThat(v.result()).as(v.reason()).isEqualTo(ArcResult.PASS);
        assertThat(v.sealers()).containsExactly("one.example", "two.example");
    }

    @Test
    void mixedChainDkimpyUsDkimpyPassesOnBoth() throws Exception {
        ArcPeer peer = new ArcPeer(dir);
        byte[] m = MESSAGE.getBytes(StandardCharsets.US_ASCII);
        m = peer.dkimpySeal(m, peer.sealer("a.example", "rsa-sha256"), null);
        m = ArcPeer.seal(m, peer.sealer("b.example", "rsa-sha256"), ArcResult.PASS);
        m = peer.dkimpySeal(m, peer.sealer("c.example", "rsa-sha256"), "pass");
        assertDkimpy(peer, m, "pass");
        ArcVerification v = ours(peer, m);
        assertThat(v.result()).as(v.reason()).isEqualTo(ArcResult.PASS);
        assertThat(v.instances()).isEqualTo(3);
    }

    @ParameterizedTest
    @CsvSource({"dkimpy", "ours"})
    void tamperedBodyOrHeaderFailsOnBoth(String sealer) throws Exception {
        ArcPeer peer = new ArcPeer(dir);
        Sealer s = peer.sealer("fwd.example", "rsa-sha256");
        byte[] m = MESSAGE.getBytes(StandardCharsets.US_ASCII);
        m =
                sealer.equals("ours")
                        ? ArcPeer.seal(m, s, ArcResult.NONE)
                        : peer.dkimpySeal(m, s, null);
        String sealed = new String(m, StandardCharsets.US_ASCII);
        for (String tampered :
                new String[] {
                    sealed.replace("second line", "second lime"),
                    sealed.replace("Subject: ARC interop", "Subject: ARC interp")
                }) {
            byte[] t = tampered.getBytes(StandardCharsets.US_ASCII);
            assertDkimpy(peer, t, "fail");
            ArcVerification v = ours(peer, t);
            assertThat(v.result()).isEqualTo(ArcResult.FAIL);
            assertThat(v.reason()).startsWith("ARC-Message-Signature 1:");
        }
    }

    @Test
    void brokenOlderAmsGivesOldestPass() throws Exception {
        ArcPeer peer = new ArcPeer(dir);
        byte[] m = MESSAGE.getBytes(StandardCharsets.US_ASCII);
        m = peer.dkimpySeal(m, peer.sealer("a.example", "rsa-sha256"), null);
        // a list changes the subject, then seals: AMS 1 breaks, the chain still passes
        m =
                new String(m, StandardCharsets.US_ASCII)
                        .replace("Subject: ARC interop", "Subject: [list] ARC interop")
                        .getBytes(StandardCharsets.US_ASCII);
        m = ArcPeer.seal(m, peer.sealer("b.example", "rsa-sha256"), ArcResult.PASS);
        ArcVerification v = ours(peer, m);
        assertThat(v.result()).as(v.reason()).isEqualTo(ArcResult.PASS);
        assertThat(v.oldestPass()).isEqualTo(2);
        assertDkimpy(peer, m, "pass");
    }
}
