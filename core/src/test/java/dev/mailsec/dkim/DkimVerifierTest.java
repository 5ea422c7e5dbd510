package dev.mailsec.dkim;

import static dev.mailsec.dkim.TestSigner.MESSAGE;
import static dev.mailsec.dkim.TestSigner.bytes;
import static dev.mailsec.dkim.TestSigner.tags;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DkimVerifierTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private final DkimVerifier verifier =
            new DkimVerifier(
                    TestSigner.defaultKeys(),
                    DkimPolicy.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build());

    private DkimSignatureResult verifyOne(String message) {
        DkimVerification v = verifier.verify(bytes(message));
        assertThat(v.results()).hasSize(1);
        return v.results().get(0);
    }

    @Test
    void verifyShouldPassRsaAndEd25519SignaturesWithTheirTags() {
        Map<String, String> ed = tags();
        ed.put("s", "ed");
        ed.put("i", "alice@example.com");
        String twice = TestSigner.signEd25519(TestSigner.signRsa(MESSAGE, tags()), ed);
        DkimVerification v = verifier.verify(bytes(twice));
        assertThat(v.results())
                .extracting(DkimSignatureResult::result)
                .containsExactly(DkimResult.PASS, DkimResult.PASS);
        DkimSignatureResult first = v.results().get(0);
        assertThat(first.algorithm()).isEqualTo("ed25519-sha256");
        assertThat(first.selector()).isEqualTo("ed");
        assertThat(first.identity()).isEqualTo("alice@example.com");
        assertThat(first.bPrefix()).hasSize(8);
        assertThat(v.results().get(1).algorithm()).isEqualTo("rsa-sha256");
        assertThat(v.hasAlignedPass(Alignment.STRICT)).isTrue();
    }

    @Test
    void verifyShouldReportNoneWithoutSignature() {
        DkimVerification v = verifier.verify(bytes(MESSAGE));
        assertThat(v.results())
                .extracting(DkimSignatureResult::result)
                .containsExactly(DkimResult.NONE);
        assertThat(v.fromDomain()).contains("example.com");
    }

    @Test
    void aSessionIsDecidedAfterTheHeaderSectionOnlyWithoutSignature() {
        String header = MESSAGE.substring(0, MESSAGE.indexOf("\r\n\r\n") + 4);
        DkimVerifier.Session unsigned = verifier.start();
        unsigned.write(bytes(header), 0, header.length());
        assertThat(unsigned.decided()).isTrue();
        assertThat(unsigned.result().results())
                .extracting(DkimSignatureResult::result)
                .containsExactly(DkimResult.NONE);

        String signed = TestSigner.signRsa(MESSAGE, tags());
        String signedHeader = signed.substring(0, signed.indexOf("\r\n\r\n") + 4);
        DkimVerifier.Session s = verifier.start();
        s.write(bytes(signedHeader), 0, signedHeader.length());
        assertThat(s.decided()).isFalse(); // the body hash is still to check
        byte[] body = bytes(signed.substring(signedHeader.length()));
        s.write(body, 0, body.length);
        assertThat(s.result().results().get(0).result()).isEqualTo(DkimResult.PASS);
    }

    @Test
    void verifyShouldGiveTheSameResultWhateverTheWriteSizes() {
        byte[] m = bytes(TestSigner.signRsa(MESSAGE + "more  text \r\n\r\n", tags()));
        DkimVerifier.Session s = verifier.start();
        for (byte b : m) {
            s.write(b);
        }
        assertThat(s.result().results().get(0).result()).isEqualTo(DkimResult.PASS);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "v|2|unsupported signature version v=2",
                "a|rsa-sha512|unsupported algorithm a=rsa-sha512",
                "c|relaxed/fancy|unsupported canonicalization c=relaxed/fancy",
                "d|exa mple.com|malformed d= tag",
                "d|-example.com|malformed d= tag",
                "s|sel_1|malformed s= tag",
                "h|to:subject|From is not signed (h= must include it)",
                "h|from::to|malformed h= tag",
                "i|alice@evil.example|i= domain is not d= or a subdomain of it",
                "i|alice|malformed i= tag",
                "l|12x|malformed l= tag",
                "l|99999999999999999999|malformed l= tag",
                "q|http/well-known|unsupported query method q=http/well-known",
                "bh|!!notbase64!!|malformed base64 in bh=",
                "bh|AAAA|bh= has the wrong length for rsa-sha256",
                "9z|x|signature: malformed tag name",
            })
    void verifyShouldGivePermerrorForMalformedTags(String tag, String value, String reason) {
        Map<String, String> t = tags();
        t.put(tag, value);
        DkimSignatureResult r = verifyOne(TestSigner.signRsa(MESSAGE, t));
        assertThat(r.result()).isEqualTo(DkimResult.PERMERROR);
        assertThat(r.reason()).isEqualTo(reason);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel; h=from; bh=AAAA; b=AAAA; d=example.org|signature: duplicate tag d=",
                "DKIM-Signature: v=1; a=rsa-sha256;; d=example.com|signature: empty tag",
                "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel; h=from; bh=AAAA|signature has no b= tag",
                "DKIM-Signature: garbage|signature: tag without '='",
                "DKIM-Signature:|signature: empty tag list",
                "DKIM-Signature: v=1; a=rsa-sha256; d=\u00e9xample.com|signature: invalid character in d=",
            })
    void verifyShouldGivePermerrorForBrokenFields(String field, String reason) {
        DkimSignatureResult r = verifyOne(field + "\r\n" + MESSAGE);
        assertThat(r.result()).isEqualTo(DkimResult.PERMERROR);
        assertThat(r.reason()).isEqualTo(reason);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "v=DKIM1; k=ed25519; p=EDKEY|PERMERROR|key type k=ed25519 does not match a=rsa-sha256",
                "v=DKIM1; k=dsa; p=AAAA|PERMERROR|unknown key type k=dsa",
                "v=DKIM1; h=sha1; p=KEY|PERMERROR|key does not allow sha256 (h=)",
                "v=DKIM1; s=tlsrpt; p=KEY|PERMERROR|key is not for email (s=)",
                "k=rsa; v=DKIM1; p=KEY|PERMERROR|key record has a bad v= tag",
                "v=DKIM2; p=KEY|PERMERROR|key record has a bad v= tag",
                "v=DKIM1; k=rsa|PERMERROR|key record has no p= tag",
                "v=DKIM1; p=|PERMERROR|key revoked",
                "v=DKIM1; p=MIIB%%%|PERMERROR|malformed base64 in key p=",
                "v=DKIM1; p=MIIBé|PERMERROR|key record: invalid character in p=",
                "v=DKIM1; p=AAAAAAAA|PERMERROR|malformed RSA key",
                "v=DKIM1; t=s; p=KEY|PERMERROR|key requires the i= domain to equal d= (t=s)",
                "v=DKIM1; h=sha1:sha256; s=email:*; t=y; p=KEY|PASS|",
            })
    void verifyShouldCheckTheKeyRecord(String record, DkimResult expected, String reason) {
        String txt =
                record.replace("EDKEY", TestSigner.ed25519Record().replaceFirst(".*p=", ""))
                        .replace(
                                "KEY",
                                Base64.getEncoder()
                                        .encodeToString(
                                                TestSigner.RSA_2048.getPublic().getEncoded()));
        DkimVerifier v =
                new DkimVerifier(
                        TestSigner.keys(Map.of("sel._domainkey.example.com", txt)),
                        DkimPolicy.defaults());
        Map<String, String> t = tags();
        t.put("i", "@news.example.com");
        DkimSignatureResult r = v.verify(bytes(TestSigner.signRsa(MESSAGE, t))).results().get(0);
        assertThat(r.result()).isEqualTo(expected);
        assertThat(r.reason()).isEqualTo(reason == null ? "" : reason);
    }

    @Test
    void verifyShouldReportAFailureUnderATestingKeyAsNeutral() {
        DkimVerifier v =
                new DkimVerifier(
                        TestSigner.keys(
                                Map.of(
                                        "sel._domainkey.example.com",
                                        TestSigner.rsaRecord(TestSigner.RSA_2048) + "; t=y")),
                        DkimPolicy.defaults());
        String tampered = TestSigner.signRsa(MESSAGE, tags()).replace("see you.", "see you!");
        DkimSignatureResult r = v.verify(bytes(tampered)).results().get(0);
        assertThat(r.result()).isEqualTo(DkimResult.NEUTRAL);
        assertThat(r.reason()).isEqualTo("body hash did not verify; key in testing mode");
        assertThat(r.testing()).isTrue();
    }

    @Test
    void verifyShouldRefuseKeysThatMakeVerificationExpensive() throws Exception {
        KeyFactory kf = KeyFactory.getInstance("RSA");
        BigInteger modulus = ((RSAPublicKey) TestSigner.RSA_2048.getPublic()).getModulus();
        PublicKey hugeExponent =
                kf.generatePublic(
                        new RSAPublicKeySpec(
                                modulus, BigInteger.ONE.shiftLeft(2000).add(BigInteger.ONE)));
        PublicKey huge =
                kf.generatePublic(
                        new RSAPublicKeySpec(
                                BigInteger.ONE.shiftLeft(8207).add(BigInteger.valueOf(12345)),
                                BigInteger.valueOf(65537)));
        for (Object[] c :
                new Object[][] {
                    {hugeExponent, "RSA key exponent longer than 64 bits"},
                    {huge, "RSA key of 8208 bits is longer than 8192"}
                }) {
            String txt =
                    "v=DKIM1; p="
                            + Base64.getEncoder().encodeToString(((PublicKey) c[0]).getEncoded());
            DkimVerifier v =
                    new DkimVerifier(
                            TestSigner.keys(Map.of("sel._domainkey.example.com", txt)),
                            DkimPolicy.defaults());
            DkimSignatureResult r =
                    v.verify(bytes(TestSigner.signRsa(MESSAGE, tags()))).results().get(0);
            assertThat(r.result()).isEqualTo(DkimResult.PERMERROR);
            assertThat(r.reason()).isEqualTo(c[1]);
        }
    }

    @Test
    void verifyShouldGivePermerrorForSeveralKeyRecords() {
        KeyRecordSource two =
                name ->
                        KeyLookup.found(
                                List.of(TestSigner.rsaRecord(TestSigner.RSA_2048), "v=DKIM1; p="));
        DkimSignatureResult r =
                new DkimVerifier(two, DkimPolicy.defaults())
                        .verify(bytes(TestSigner.signRsa(MESSAGE, tags())))
                        .results()
                        .get(0);
        assertThat(r.result()).isEqualTo(DkimResult.PERMERROR);
        assertThat(r.reason()).startsWith("several key records");
    }

    @Test
    void verifyShouldMapLookupFailures() {
        byte[] m = bytes(TestSigner.signRsa(MESSAGE, tags()));
        DkimVerifier missing = new DkimVerifier(TestSigner.keys(Map.of()), DkimPolicy.defaults());
        DkimVerifier timeout =
                new DkimVerifier(
                        name -> KeyLookup.temporaryFailure("timeout"), DkimPolicy.defaults());
        DkimVerifier broken =
                new DkimVerifier(
                        name -> {
                            throw new IllegalStateException("bug in a key source");
                        },
                        DkimPolicy.defaults());
        assertThat(missing.verify(m).results().get(0).result()).isEqualTo(DkimResult.PERMERROR);
        assertThat(missing.verify(m).results().get(0).reason())
                .isEqualTo("no key for signature: NXDOMAIN");
        assertThat(timeout.verify(m).results().get(0).result()).isEqualTo(DkimResult.TEMPERROR);
        assertThat(timeout.verify(m).results().get(0).reason())
                .isEqualTo("key lookup failed: timeout");
        assertThat(broken.verify(m).results().get(0).result()).isEqualTo(DkimResult.TEMPERROR);
    }

    @ParameterizedTest(name = "t={0} x={1} → {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "1795000000|1795435100|PASS|", // expired 100 s ago, within the 300 s drift
                "1795000000|1795430000|POLICY|signature expired",
                "1795435500||PASS|", // 300 s in the future: within drift
                "1795436000||POLICY|signature timestamp in the future",
                "1795000000|1795000000|PERMERROR|x= is not after t=",
            })
    void verifyShouldApplyTimestampsWithClockDrift(
            String t, String x, DkimResult expected, String reason) {
        // NOW is 1795435200
        Map<String, String> tags = tags();
        tags.put("t", t);
        if (x != null) {
            tags.put("x", x);
        }
        DkimSignatureResult r = verifyOne(TestSigner.signRsa(MESSAGE, tags));
        assertThat(r.result()).isEqualTo(expected);
        assertThat(r.reason()).isEqualTo(reason == null ? "" : reason);
    }

    @Test
    void clockDriftIsConfigurable() {
        DkimVerifier noDrift =
                new DkimVerifier(
                        TestSigner.defaultKeys(),
                        DkimPolicy.builder()
                                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                                .clockDrift(Duration.ZERO)
                                .build());
        Map<String, String> tags = tags();
        tags.put("x", "1795435100");
        assertThat(
                        noDrift.verify(bytes(TestSigner.signRsa(MESSAGE, tags)))
                                .results()
                                .get(0)
                                .result())
                .isEqualTo(DkimResult.POLICY);
    }

    @Test
    void overSignedHeadersCannotBeAddedLater() {
        Map<String, String> t = tags();
        t.put("h", "from:from:to:subject:subject:date");
        String signed = TestSigner.signRsa(MESSAGE, t);
        assertThat(verifyOne(signed).result()).isEqualTo(DkimResult.PASS);
        String added =
                signed.replace("Subject: hello\r\n", "Subject: hello\r\nSubject: win a prize\r\n");
        assertThat(verifyOne(added).result()).isEqualTo(DkimResult.FAIL);
    }

    @Test
    void aHeaderAddedAboveANotOverSignedOneChangesWhatIsVerified() {
        String signed = TestSigner.signRsa(MESSAGE, tags());
        // the bottom-most Subject is the signed one; one added above it is not covered, so this
        // still passes
        String added =
                signed.replace(
                        "To: bob@example.org\r\n", "To: bob@example.org\r\nSubject: spoof\r\n");
        assertThat(verifyOne(added).result()).isEqualTo(DkimResult.PASS);
        // one added below it replaces the signed one
        String below = signed.replace("Subject: hello\r\n", "Subject: hello\r\nSubject: spoof\r\n");
        assertThat(verifyOne(below).result()).isEqualTo(DkimResult.FAIL);
    }

    @Test
    void ed25519SignatureOfWrongLengthFails() {
        Map<String, String> t = tags();
        t.put("s", "ed");
        String signed = TestSigner.signEd25519(MESSAGE, t);
        String truncated = signed.replaceFirst("b=([A-Za-z0-9+/]{40})[A-Za-z0-9+/=]+", "b=$1");
        DkimSignatureResult r = verifyOne(truncated);
        assertThat(r.result()).isEqualTo(DkimResult.FAIL);
        assertThat(r.reason()).isEqualTo("signature did not verify");
    }

    @Test
    void hundredSignaturesAreCutToTheMaximumAndKeysAreLookedUpOnce() {
        AtomicInteger lookups = new AtomicInteger();
        KeyRecordSource counting =
                name -> {
                    lookups.incrementAndGet();
                    return TestSigner.defaultKeys().lookup(name);
                };
        String m = MESSAGE;
        for (int i = 0; i < 100; i++) {
            m = TestSigner.signRsa(m, tags());
        }
        DkimVerification v = new DkimVerifier(counting, DkimPolicy.defaults()).verify(bytes(m));
        assertThat(v.results()).hasSize(DkimPolicy.DEFAULT_MAX_SIGNATURES);
        assertThat(v.ignoredSignatures()).isEqualTo(95);
        assertThat(lookups.get()).isEqualTo(1);
    }

    @Test
    void aThousandHeadersStillVerify() {
        StringBuilder junk = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            junk.append("X-Junk-").append(i).append(": ").append("y".repeat(50)).append("\r\n");
        }
        String signed = TestSigner.signRsa(junk + MESSAGE, tags());
        assertThat(verifyOne(signed).result()).isEqualTo(DkimResult.PASS);
    }

    @Test
    void tooManyHeaderFieldsGivePermerror() {
        String many = "X-A: b\r\n".repeat(6000);
        DkimSignatureResult r = verifyOne(TestSigner.signRsa(many + MESSAGE, tags()));
        assertThat(r.result()).isEqualTo(DkimResult.PERMERROR);
        assertThat(r.reason()).isEqualTo("more than 5000 header fields");
    }

    @Test
    void hugeHeaderSectionGivesPermerrorWithoutReadingTheBody() {
        String big = "X-Big: " + "z".repeat(2 * 1024 * 1024) + "\r\n";
        DkimSignatureResult r =
                verifyOne(
                        TestSigner.signRsa(MESSAGE, tags()).replace("Subject:", big + "Subject:"));
        assertThat(r.result()).isEqualTo(DkimResult.PERMERROR);
        assertThat(r.reason()).isEqualTo("header section larger than 1048576 bytes");
    }

    @Test
    void binaryJunkGetsAVerdict() {
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] junk = new byte[random.nextInt(5000)];
            random.nextBytes(junk);
            String prefix =
                    i % 2 == 0
                            ? "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel; h=from; bh="
                            : "";
            byte[] m = concat(bytes(prefix), junk);
            assertThat(verifier.verify(m).results()).isNotEmpty();
        }
    }

    @Test
    void fiftyMegabyteBodyStreamsThrough() throws IOException {
        String head = TestSigner.signRsa(MESSAGE, tags());
        // an l=0 signature plus a 50 MB body nobody buffers: verdict policy (l= leaves the body
        // unsigned)
        Map<String, String> t = tags();
        t.put("l", "0");
        String signedHead =
                TestSigner.signRsa(MESSAGE.substring(0, MESSAGE.indexOf("\r\n\r\n") + 4), t);
        InputStream body =
                new InputStream() {
                    private long left = 50L * 1024 * 1024;

                    @Override
                    public int read() {
                        return left-- > 0 ? 'a' + (int) (left % 26) : -1;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        if (left <= 0) {
                            return -1;
                        }
                        int n = (int) Math.min(len, left);
                        for (int i = 0; i < n; i++) {
                            b[off + i] = (byte) (i % 78 == 77 ? '\n' : 'a' + (i % 26));
                        }
                        left -= n;
                        return n;
                    }
                };
        DkimVerification v =
                verifier.verify(
                        new SequenceInputStream(new ByteArrayInputStream(bytes(signedHead)), body));
        assertThat(v.results().get(0).result()).isEqualTo(DkimResult.POLICY);
        assertThat(head).isNotEmpty();
    }

    @Test
    void fromDomainIsAbsentWhenAmbiguous() {
        assertThat(
                        verifier.verify(bytes("From: a@example.com\r\nFrom: b@example.org\r\n\r\n"))
                                .fromDomain())
                .isEmpty();
        assertThat(
                        verifier.verify(bytes("From: a@example.com, b@example.org\r\n\r\n"))
                                .fromDomain())
                .isEmpty();
        assertThat(
                        verifier.verify(
                                        bytes(
                                                "From: \"x@evil.example, y\" (c@d.example) <Bob@Example.COM.>\r\n\r\n"))
                                .fromDomain())
                .contains("example.com");
    }

    @Test
    void messageWithoutBodyOrBlankLineStillVerifies() {
        String signed = TestSigner.signRsa("From: a@example.com\r\nSubject: x\r\n\r\n", tags());
        assertThat(verifyOne(signed).result()).isEqualTo(DkimResult.PASS);
        String noSeparator = signed.substring(0, signed.length() - 2);
        assertThat(verifyOne(noSeparator).result()).isEqualTo(DkimResult.PASS);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
