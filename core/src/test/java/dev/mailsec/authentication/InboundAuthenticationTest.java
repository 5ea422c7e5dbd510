package dev.mailsec.authentication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.arc.ArcPeer;
import dev.mailsec.arc.ArcResult;
import dev.mailsec.arc.ArcSealer;
import dev.mailsec.authres.AuthenticationResults;
import dev.mailsec.authres.MethodResult;
import dev.mailsec.dkim.DkimResult;
import dev.mailsec.dkim.DkimSigner;
import dev.mailsec.dkim.KeyLookup;
import dev.mailsec.dkim.KeyRecordSource;
import dev.mailsec.dmarc.DmarcOverride;
import dev.mailsec.dmarc.DmarcPolicy;
import dev.mailsec.dmarc.DmarcResult;
import dev.mailsec.dmarc.DmarcSettings;
import dev.mailsec.spf.SpfResult;
import dev.mailsec.spf.ZoneFileSpfDns;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The four verdicts from one read, over in-memory DNS and our own signer and sealer. */
@Timeout(60)
class InboundAuthenticationTest {

    static final String MESSAGE =
            "From: Alice <alice@example.com>\r\n"
                    + "To: bob@example.net\r\n"
                    + "Subject: hello\r\n"
                    + "Date: Mon, 7 Dec 2026 10:00:00 +0000\r\n"
                    + "Message-ID: <inbound-1@example.com>\r\n"
                    + "\r\n"
                    + "Hello world\r\n";

    static final String SPF_ZONE =
            "example.com. 300 IN TXT \"v=spf1 ip4:192.0.2.1 -all\"\n"
                    + "fwd.example. 300 IN TXT \"v=spf1 ip4:198.51.100.7 -all\"\n";

    @TempDir Path dir;
    private ArcPeer peer;
    private ArcPeer.Sealer origin;
    private ArcPeer.Sealer forwarder;

    @BeforeEach
    void zone() throws Exception {
        peer = new ArcPeer(dir);
        origin = peer.sealer("example.com", "rsa-sha256");
        forwarder = peer.sealer("fwd.example", "ed25519-sha256");
        peer.publish("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:d@example.com");
    }

    private InboundAuthentication auth(String trustedSealer) {
        DmarcSettings.Builder s = DmarcSettings.builder();
        if (trustedSealer != null) {
            s.trustedArcSealer(trustedSealer);
        }
        return InboundParameters.of(
                peer.keys(), ZoneFileSpfDns.parse(SPF_ZONE, "test.zone"), s.build(), "mx.test");
    }

    private static InboundAuthentication.Envelope from(String ip) throws Exception {
        return new InboundAuthentication.Envelope(
                InetAddress.getByName(ip), "mail.fwd.example", "alice@example.com", "m1");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private byte[] signed(byte[] m) {
        String field = String.join("", DkimSigner.of(origin.key).sign(m));
        return ArcPeer.concat(bytes(field), m);
    }

    /** A forwarder's seal whose ARC-Authentication-Results say what it saw. */
    private byte[] sealed(byte[] m, String aar) {
        ArcSealer.Session session = new ArcSealer(Clock.systemUTC()).start();
        session.write(m, 0, m.length);
        ArcSealer.Seal seal = session.seal(forwarder.key, "mx.fwd.example", aar, ArcResult.NONE);
        assertThat(seal.refused()).isNull();
        return ArcPeer.concat(bytes(String.join("", seal.fields())), m);
    }

    private static String ar(Verdicts v) {
        return AuthenticationResults.of("mx.test", v.methodResults()).value();
    }

    @Test
    void forgedMailFromAPRejectDomainIsToBeRejected() throws Exception {
        Verdicts v = auth(null).evaluate(bytes(MESSAGE), from("203.0.113.5"));

        assertThat(v.dkim().results()).extracting(r -> r.result()).containsExactly(DkimResult.NONE);
        assertThat(v.spf()).map(SpfResult::code).contains(SpfResult.Code.FAIL);
        assertThat(v.arc().result()).isEqualTo(ArcResult.NONE);
        assertThat(v.dmarc().result()).isEqualTo(DmarcResult.FAIL);
        assertThat(v.dmarc().policy()).isEqualTo(DmarcPolicy.REJECT);
        assertThat(v.dmarc().disposition()).isEqualTo(DmarcPolicy.REJECT);
        assertThat(v.dmarc().fromDomain()).isEqualTo("example.com");
        assertThat(v.dmarc().sourceIp()).isEqualTo("203.0.113.5");
        assertThat(v.methodResults())
                .extracting(MethodResult::method)
                .containsExactly("dkim", "spf", "arc", "dmarc");
    }

    @Test
    void aPassingSpfAlignsAndPasses() throws Exception {
        Verdicts v = auth(null).evaluate(bytes(MESSAGE), from("192.0.2.1"));

        assertThat(v.spf()).map(SpfResult::code).contains(SpfResult.Code.PASS);
        assertThat(v.dmarc().result()).isEqualTo(DmarcResult.PASS);
        assertThat(v.dmarc().spfAligned()).isTrue();
    }

    @Test
    void aSignedMessageWithAnArcSetPassesOnDkim() throws Exception {
        byte[] m = sealed(signed(bytes(MESSAGE)), "mx.fwd.example; dkim=pass header.d=example.com");

        Verdicts v = auth(null).evaluate(m, from("198.51.100.7"));

        assertThat(v.dkim().results()).extracting(r -> r.result()).containsExactly(DkimResult.PASS);
        assertThat(v.arc().result()).isEqualTo(ArcResult.PASS);
        assertThat(v.dmarc().result()).isEqualTo(DmarcResult.PASS);
        assertThat(v.dmarc().dkimAligned()).isTrue();
        assertThat(ar(v)).contains("dkim=pass", "arc=pass", "dmarc=pass");
    }

    @Test
    void aTrustedSealerWhoSawDkimPassOverridesTheReject() throws Exception {
        // the forwarder changed the body after the original signature: DKIM breaks, ARC holds
        byte[] broken =
                bytes(
                        new String(signed(bytes(MESSAGE)), StandardCharsets.ISO_8859_1)
                                .replace("Hello world\r\n", "[list] Hello world\r\n"));
        byte[] m = sealed(broken, "mx.fwd.example; dkim=pass header.d=example.com");

        Verdicts trusted = auth("fwd.example").evaluate(m, from("198.51.100.7"));
        Verdicts untrusted = auth("other.example").evaluate(m, from("198.51.100.7"));

        assertThat(trusted.dkim().results())
                .extracting(r -> r.result())
                .containsExactly(DkimResult.FAIL);
        assertThat(trusted.arc().result()).isEqualTo(ArcResult.PASS);
        assertThat(trusted.dmarc().result()).isEqualTo(DmarcResult.FAIL);
        assertThat(trusted.dmarc().disposition()).isEqualTo(DmarcPolicy.NONE);
        assertThat(trusted.dmarc().override()).isEqualTo(DmarcOverride.ARC);
        assertThat(ar(trusted)).contains("arc=pass", "dmarc=fail");
        assertThat(untrusted.dmarc().disposition()).isEqualTo(DmarcPolicy.REJECT);
    }

    @Test
    void withoutAClientAddressSpfIsNotEvaluated() throws Exception {
        Verdicts v =
                auth(null)
                        .evaluate(
                                signed(bytes(MESSAGE)),
                                new InboundAuthentication.Envelope(null, "", "", ""));

        assertThat(v.spf()).isEmpty();
        assertThat(v.dmarc().result()).isEqualTo(DmarcResult.PASS);
        assertThat(v.methodResults())
                .extracting(MethodResult::method)
                .containsExactly("dkim", "arc", "dmarc");
    }

    @Test
    void dnsFailureIsATemperror() throws Exception {
        KeyRecordSource down = name -> KeyLookup.temporaryFailure("SERVFAIL");
        InboundAuthentication a =
                InboundParameters.of(
                        down,
                        ZoneFileSpfDns.parse(SPF_ZONE, "test.zone"),
                        DmarcSettings.defaults(),
                        "");

        Verdicts v = a.evaluate(bytes(MESSAGE), from("203.0.113.5"));

        assertThat(v.dmarc().result()).isEqualTo(DmarcResult.TEMPERROR);
    }

    @Test
    void hostileBytesGetVerdictsNotExceptions() throws Exception {
        Random random = new Random(17);
        InboundAuthentication a = auth("fwd.example");
        for (int i = 0; i < 200; i++) {
            byte[] junk = new byte[random.nextInt(4000)];
            random.nextBytes(junk);
            String prefix = i % 2 == 0 ? "From: x@example.com\r\nARC-Seal: i=1; cv=none\r\n" : "";
            Verdicts v = a.evaluate(ArcPeer.concat(bytes(prefix), junk), from("203.0.113.5"));
            assertThat(v.dmarc()).isNotNull();
            assertThat(v.methodResults()).isNotEmpty();
        }
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            many.append("From: a").append(i).append("@d").append(i).append(".example\r\n");
        }
        Verdicts v = a.evaluate(bytes(many + "\r\nbody\r\n"), from("203.0.113.5"));
        assertThat(v.dmarc().result()).isEqualTo(DmarcResult.PERMERROR);
    }
}
