package dev.mailsec.arc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.arc.ArcPeer.Sealer;
import dev.mailsec.dkim.DkimPolicy;
import dev.mailsec.dkim.KeyLookup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Hostile and broken chains: a verdict, no exception, no key lookup before the structure holds. */
@Timeout(60)
class ArcVerifierTest {

    @TempDir Path dir;
    private ArcPeer peer;
    private Sealer sealer;

    @BeforeEach
    void keys() throws Exception {
        peer = new ArcPeer(dir);
        sealer = peer.sealer("fwd.example", "ed25519-sha256");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private ArcVerification verify(byte[] m) {
        return new ArcVerifier(peer.keys(), DkimPolicy.defaults()).verify(m);
    }

    private byte[] sealed(int hops) {
        byte[] m = bytes(ArcInteropTest.MESSAGE);
        for (int i = 1; i <= hops; i++) {
            m = ArcPeer.seal(m, sealer, i == 1 ? ArcResult.NONE : ArcResult.PASS);
        }
        return m;
    }

    @Test
    void noArcIsNone() {
        ArcVerification v = verify(bytes(ArcInteropTest.MESSAGE));
        assertThat(v.result()).isEqualTo(ArcResult.NONE);
        assertThat(v.toMap()).containsEntry("result", "none").containsEntry("instances", "0");
        assertThat(peer.lookups()).isZero();
    }

    @Test
    void attributeMapFollowsTheContract() {
        ArcVerification v = verify(sealed(2));
        assertThat(v.toMap())
                .containsEntry("result", "pass")
                .containsEntry("instances", "2")
                .containsEntry("oldestPass", "0")
                .containsEntry("sealer.1", "fwd.example")
                .containsEntry("sealer.2", "fwd.example")
                .containsEntry("aar.1", "mx.fwd.example; arc=none")
                .containsEntry("aar.2", "mx.fwd.example; arc=pass");
        assertThat(v.methodResult("192.0.2.1").properties())
                .extracting(p -> p.ptype() + "." + p.name() + "=" + p.value())
                .containsExactly("header.oldest-pass=0", "smtp.remote-ip=192.0.2.1");
        assertThat(peer.lookups()).isEqualTo(1); // one key name, looked up once per message
    }

    @Test
    void hundredSetsFailBeforeAnyLookup() {
        StringBuilder h = new StringBuilder();
        for (int i = 1; i <= 100; i++) {
            h.append("ARC-Authentication-Results: i=").append(i).append("; x.example; none\r\n");
            h.append("ARC-Message-Signature: i=")
                    .append(i)
                    .append("; a=rsa-sha256; b=AA; bh=AA\r\n");
            h.append("ARC-Seal: i=").append(i).append("; cv=pass; a=rsa-sha256; b=AA\r\n");
        }
        ArcVerification v = verify(bytes(h + ArcInteropTest.MESSAGE));
        assertThat(v.result()).isEqualTo(ArcResult.FAIL);
        assertThat(v.reason()).isEqualTo("more than 50 ARC sets");
        assertThat(peer.lookups()).isZero();
    }

    @Test
    void instanceBeyondFiftyOrZeroFails() {
        String m = new String(sealed(1), StandardCharsets.ISO_8859_1);
        for (String bad : new String[] {"51", "0", "x", "0001"}) {
            ArcVerification v =
                    verify(bytes(m.replace("ARC-Seal: i=1;", "ARC-Seal: i=" + bad + ";")));
            assertThat(v.result()).as(bad).isEqualTo(ArcResult.FAIL);
            assertThat(v.reason()).as(bad).containsAnyOf("i=", "outside");
        }
        assertThat(peer.lookups()).isZero();
    }

    @Test
    void gapsAndDuplicatesFail() {
        String two = new String(sealed(2), StandardCharsets.ISO_8859_1);
        String gap =
                two.replaceFirst(
                        "ARC-Authentication-Results: i=1;", "ARC-Authentication-Results: i=3;");
        assertThat(verify(bytes(gap)).reason()).isEqualTo("ARC set 1 is incomplete");
        String seal1 = two.substring(two.lastIndexOf("ARC-Seal: i=1;"));
        seal1 = seal1.substring(0, seal1.indexOf("ARC-Message-Signature"));
        ArcVerification dup = verify(bytes(seal1 + two));
        assertThat(dup.result()).isEqualTo(ArcResult.FAIL);
        assertThat(dup.reason()).isEqualTo("two ARC-Seal fields for instance 1");
        String missing = two.replace(seal1, "");
        assertThat(verify(bytes(missing)).reason()).isEqualTo("ARC set 1 is incomplete");
        assertThat(peer.lookups()).isZero();
    }

    @Test
    void cvFailInTheMiddleOrLatestFails() {
        String three = new String(sealed(3), StandardCharsets.ISO_8859_1);
        String middle = three.replace("ARC-Seal: i=2; cv=pass", "ARC-Seal: i=2; cv=fail");
        assertThat(verify(bytes(middle)).reason()).isEqualTo("ARC-Seal 2 has cv=fail");
        String first = three.replace("ARC-Seal: i=1; cv=none", "ARC-Seal: i=1; cv=pass");
        assertThat(verify(bytes(first)).reason()).isEqualTo("ARC-Seal 1 has cv=pass");
        String latest = three.replace("ARC-Seal: i=3; cv=pass", "ARC-Seal: i=3; cv=fail");
        ArcVerification v = verify(bytes(latest));
        assertThat(v.reason()).isEqualTo("ARC-Seal 3 reports cv=fail");
        assertThat(v.sealers()).hasSize(3);
        assertThat(peer.lookups()).isZero();
    }

    @Test
    void changedSealFailsAfterTheLookup() {
        String two = new String(sealed(2), StandardCharsets.ISO_8859_1);
        String changed =
                two.replace(
                        "ARC-Authentication-Results: i=1; mx.fwd.example; arc=none",
                        "ARC-Authentication-Results: i=1; mx.fwd.example; arc=pass");
        ArcVerification v = verify(bytes(changed));
        assertThat(v.result()).isEqualTo(ArcResult.FAIL);
        assertThat(v.reason()).isEqualTo("ARC-Seal 2: signature did not verify");
    }

    @Test
    void hugeTagsAreRefusedUnread() {
        String m = new String(sealed(1), StandardCharsets.ISO_8859_1);
        String huge = m.replace("ARC-Seal: i=1;", "ARC-Seal: i=1; z=" + "A".repeat(40_000) + ";");
        ArcVerification v = verify(bytes(huge));
        assertThat(v.result()).isEqualTo(ArcResult.FAIL);
        assertThat(v.reason()).isEqualTo("ARC-Seal field too long");
        assertThat(peer.lookups()).isZero();
    }

    @Test
    void keyLookupsAreBounded() throws Exception {
        byte[] m = bytes(ArcInteropTest.MESSAGE);
        for (int i = 1; i <= 6; i++) {
            m =
                    ArcPeer.seal(
                            m,
                            peer.sealer("hop" + i + ".example", "ed25519-sha256"),
                            i == 1 ? ArcResult.NONE : ArcResult.PASS);
        }
        ArcVerification v = new ArcVerifier(peer.keys(), DkimPolicy.defaults(), 4).verify(m);
        assertThat(v.result()).isEqualTo(ArcResult.FAIL);
        assertThat(v.reason()).isEqualTo("ARC-Seal 2: more than 4 key lookups");
        assertThat(peer.lookups()).isEqualTo(4);
        assertThat(verify(m).result()).isEqualTo(ArcResult.PASS);
    }

    @Test
    void temporaryDnsFailureIsAFailWithTheReason() {
        AtomicInteger calls = new AtomicInteger();
        ArcVerification v =
                new ArcVerifier(
                                name -> {
                                    calls.incrementAndGet();
                                    return KeyLookup.temporaryFailure("timeout");
                                },
                                DkimPolicy.defaults())
                        .verify(sealed(1));
        assertThat(v.result()).isEqualTo(ArcResult.FAIL);
        assertThat(v.reason()).isEqualTo("ARC-Message-Signature 1: key lookup failed: timeout");
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void fiftySetsPassAndAreNotSealedAgain() {
        byte[] m = sealed(ArcChain.MAX_INSTANCES);
        ArcVerification v = verify(m);
        assertThat(v.result()).as(v.reason()).isEqualTo(ArcResult.PASS);
        assertThat(v.instances()).isEqualTo(50);
        ArcSealer.Session s = new ArcSealer(Clock.systemUTC()).start();
        s.write(m, 0, m.length);
        ArcSealer.Seal seal = s.seal(sealer.key, "mx.fwd.example", null, ArcResult.PASS);
        assertThat(seal.sealed()).isFalse();
        assertThat(seal.refused()).isEqualTo("already 50 or more ARC sets");
    }

    @Test
    void failedChainIsSealedOverItsOwnSetOnlyAndThenEnds() {
        String two = new String(sealed(2), StandardCharsets.ISO_8859_1);
        byte[] broken = bytes(two.replace("second line", "second lime"));
        assertThat(verify(broken).result()).isEqualTo(ArcResult.FAIL);
        byte[] m = ArcPeer.seal(broken, sealer, ArcResult.FAIL);
        assertThat(new String(m, StandardCharsets.ISO_8859_1)).contains("ARC-Seal: i=3; cv=fail");
        ArcVerification v = verify(m);
        assertThat(v.reason()).isEqualTo("ARC-Seal 3 reports cv=fail");
        ArcSealer.Session s = new ArcSealer(Clock.systemUTC()).start();
        s.write(m, 0, m.length);
        assertThat(s.seal(sealer.key, "mx.fwd.example", null, ArcResult.FAIL).refused())
                .isEqualTo("the chain already ended (cv=fail)");
    }

    @Test
    void truncatedAndHeaderOnlyMessagesGetAVerdict() {
        byte[] m = sealed(1);
        for (int cut = 0; cut < m.length; cut += 97) {
            byte[] part = Arrays.copyOf(m, cut);
            assertThat(verify(part)).isNotNull();
        }
    }
}
