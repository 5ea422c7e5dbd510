package dev.mailsec.dkim.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.dkim.DkimPolicy;
import dev.mailsec.dkim.DkimResult;
import dev.mailsec.dkim.DkimSignatureResult;
import dev.mailsec.dkim.DkimSigner;
import dev.mailsec.dkim.DkimVerification;
import dev.mailsec.dkim.DkimVerifier;
import dev.mailsec.dkim.ZoneFileKeyRecordSource;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class DkimSignerTest {

    static final KeyPair RSA = generate("RSA", 2048);
    static final KeyPair ED = generate("Ed25519", 0);

    static final String MESSAGE =
            "Received: from client by mx.mailsec.test; Mon, 23 Nov 2026 10:00:00 +0000\r\n"
                    + "From: \"Alice, Sales\" <alice@mailsec.test>\r\n"
                    + "To: bob@example.org,\r\n   carol@example.org\r\n"
                    + "Subject:   A folded\r\n\t subject   line  \r\n"
                    + "Date: Mon, 23 Nov 2026 10:00:00 +0000\r\n"
                    + "Message-ID: <m1@mailsec.test>\r\n"
                    + "MIME-Version: 1.0\r\n"
                    + "Content-Type: text/plain; charset=utf-8\r\n"
                    + "\r\n"
                    + "Hello Bob,\r\n\r\nthe figures  are\tattached   \r\nwith trailing whitespace  \r\n\r\n\r\n";

    static KeyPair generate(String alg, int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
            if (bits > 0) {
                g.initialize(bits);
            }
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String zone() {
        return KeyRecords.zoneLine("rsa-v1", "mailsec.test", RSA.getPublic())
                + "\n"
                + KeyRecords.zoneLine("ed25519-v1", "mailsec.test", ED.getPublic())
                + "\n";
    }

    static DkimSigner dual() {
        return DkimSigner.of(
                SigningKey.of("mailsec.test", "ed25519-v1", ED.getPrivate()),
                SigningKey.of("mailsec.test", "rsa-v1", RSA.getPrivate()));
    }

    static DkimVerification verify(byte[] message) {
        return new DkimVerifier(
                        ZoneFileKeyRecordSource.parse(zone(), "test"), DkimPolicy.defaults())
                .verify(message);
    }

    @Test
    void dualSignatureShouldPassOurVerifier() {
        byte[] signed = dual().signedMessage(MESSAGE.getBytes(StandardCharsets.US_ASCII));
        DkimVerification v = verify(signed);
        assertThat(v.results()).hasSize(2);
        for (DkimSignatureResult r : v.results()) {
            assertThat(r.result()).as(r.toString()).isEqualTo(DkimResult.PASS);
        }
        assertThat(v.results())
                .extracting(DkimSignatureResult::algorithm)
                .containsExactly("ed25519-sha256", "rsa-sha256");
    }

    @Test
    void signatureShouldOversignFromAndUseRelaxedCanonicalisation() {
        String sig = dual().sign(MESSAGE.getBytes(StandardCharsets.US_ASCII)).get(1);
        String unfolded = sig.replaceAll("\r\n[ \t]+", " ");
        assertThat(unfolded)
                .startsWith(
                        "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=mailsec.test; s=rsa-v1;");
        assertThat(sig.replaceAll("\\s+", ""))
                .contains("h=from:from:subject:date:to:message-id:mime-version:content-type;");
        assertThat(unfolded).doesNotContain("received");
        for (String line : sig.split("\r\n")) {
            assertThat(line.length()).as(line).isLessThanOrEqualTo(80);
        }
    }

    @Test
    void addedFromShouldBreakTheSignature() {
        byte[] signed = dual().signedMessage(MESSAGE.getBytes(StandardCharsets.US_ASCII));
        byte[] forged =
                ("From: mallory@evil.example\r\n" + new String(signed, StandardCharsets.ISO_8859_1))
                        .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(verify(forged).results())
                .extracting(DkimSignatureResult::result)
                .containsOnly(DkimResult.FAIL);
    }

    @Test
    void changedBodyShouldFailWhileWhitespaceChangesPass() {
        String signed =
                new String(
                        dual().signedMessage(MESSAGE.getBytes(StandardCharsets.US_ASCII)),
                        StandardCharsets.ISO_8859_1);
        String relaxedSame = signed.replace("the figures  are", "the figures are ") + "\r\n\r\n";
        assertThat(verify(relaxedSame.getBytes(StandardCharsets.ISO_8859_1)).results())
                .extracting(DkimSignatureResult::result)
                .containsOnly(DkimResult.PASS);
        String tampered = signed.replace("figures", "numbers");
        assertThat(verify(tampered.getBytes(StandardCharsets.ISO_8859_1)).results())
                .extracting(DkimSignatureResult::result)
                .containsOnly(DkimResult.FAIL);
    }

    @Test
    void streamingInSmallPiecesShouldGiveTheSameSignatureAsOneWrite() throws Exception {
        Clock fixed = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
        DkimSigner s =
                DkimSigner.builder()
                        .key(SigningKey.of("mailsec.test", "ed25519-v1", ED.getPrivate()))
                        .clock(fixed)
                        .build();
        byte[] msg = MESSAGE.getBytes(StandardCharsets.US_ASCII);
        DkimSigner.Session session = s.start();
        for (byte b : msg) {
            session.write(b);
        }
        // Ed25519 is deterministic: equal input gives an equal signature
        assertThat(session.signatures()).isEqualTo(s.sign(new ByteArrayInputStream(msg)));
    }

    @Test
    void bareLfMessageShouldVerifyAsItsCrlfForm() {
        byte[] lf = MESSAGE.replace("\r\n", "\n").getBytes(StandardCharsets.US_ASCII);
        List<String> sigs = dual().sign(lf);
        StringBuilder crlf = new StringBuilder();
        for (String s : sigs) {
            crlf.append(s);
        }
        crlf.append(MESSAGE);
        assertThat(verify(crlf.toString().getBytes(StandardCharsets.US_ASCII)).results())
                .extracting(DkimSignatureResult::result)
                .containsOnly(DkimResult.PASS);
    }

    @Test
    void lifetimeShouldAddExpiry() {
        Clock fixed = Clock.fixed(Instant.ofEpochSecond(1_800_000_000L), ZoneOffset.UTC);
        DkimSigner s =
                DkimSigner.builder()
                        .key(SigningKey.of("mailsec.test", "rsa-v1", RSA.getPrivate()))
                        .clock(fixed)
                        .lifetime(Duration.ofDays(7))
                        .build();
        String sig =
                s.sign(MESSAGE.getBytes(StandardCharsets.US_ASCII))
                        .get(0)
                        .replaceAll("\r\n[ \t]+", " ");
        assertThat(sig)
                .contains("t=1800000000;")
                .contains("x=" + (1_800_000_000L + 7 * 86400) + ";");
    }

    @Test
    void configurationErrorsShouldNameTheProblem() {
        assertThatThrownBy(() -> SigningKey.of("bad domain", "s1", RSA.getPrivate()))
                .hasMessageStartingWith("domain:");
        assertThatThrownBy(() -> SigningKey.of("mailsec.test", "s 1", RSA.getPrivate()))
                .hasMessageStartingWith("selector:");
        assertThatThrownBy(
                        () ->
                                SigningKey.of(
                                        "mailsec.test", "s1", generate("RSA", 1024).getPrivate()))
                .hasMessageContaining("2048");
        assertThatThrownBy(
                        () ->
                                DkimSigner.builder()
                                        .key(SigningKey.of("mailsec.test", "s1", RSA.getPrivate()))
                                        .headers(Arrays.asList("to", "subject")))
                .hasMessageStartingWith("headers:");
        assertThatThrownBy(() -> DkimSigner.builder().build()).hasMessageStartingWith("keys:");
        assertThatThrownBy(
                        () ->
                                DkimSigner.of(
                                        SigningKey.of("mailsec.test", "a", RSA.getPrivate()),
                                        SigningKey.of("mailsec.test", "b", RSA.getPrivate())))
                .hasMessageContaining("two keys");
    }

    @Test
    void toStringShouldNeverShowTheKey() {
        SigningKey k = SigningKey.of("mailsec.test", "rsa-v1", RSA.getPrivate());
        String encoded = Base64.getEncoder().encodeToString(RSA.getPrivate().getEncoded());
        assertThat(k.toString())
                .contains("rsa-v1")
                .contains("redacted")
                .doesNotContain(encoded.substring(40, 80));
        assertThat(dual().toString()).doesNotContain(encoded.substring(40, 80));
    }

    @Test
    void keyRecordShouldCarryTheRawEd25519KeyAndTheRsaSpki() {
        assertThat(KeyRecords.txt(ED.getPublic()))
                .matches("v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{43}=");
        assertThat(KeyRecords.txt(RSA.getPublic()))
                .isEqualTo(
                        "v=DKIM1; k=rsa; p="
                                + Base64.getEncoder().encodeToString(RSA.getPublic().getEncoded()));
    }
}
