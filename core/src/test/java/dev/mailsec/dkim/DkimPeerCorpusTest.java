package dev.mailsec.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Messages signed at test time by independent implementations from Debian (dkimpy / python3-dkim
 * and OpenDKIM in test mode, see make-corpus.sh), valid and tampered, rsa and ed25519, simple and
 * relaxed. File names carry the expectation: {@code policy-*}, {@code permerror-*}, {@code fail-*},
 * otherwise pass.
 */
class DkimPeerCorpusTest {

    private static Path CORPUS;
    private static DkimVerifier verifier;

    @BeforeAll
    static void buildCorpus() throws Exception {
        // a fresh directory per run: builds of this module may run side by side on a shared tree
        Files.createDirectories(Paths.get("target"));
        CORPUS = Files.createTempDirectory(Paths.get("target"), "dkim-peer-corpus-");
        Process p =
                new ProcessBuilder(
                                "bash", "src/test/resources/dkim/make-corpus.sh", CORPUS.toString())
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("make-corpus.sh output: %s", out).isZero();
        verifier =
                new DkimVerifier(
                        ZoneFileKeyRecordSource.load(CORPUS.resolve("keys.zone")),
                        DkimPolicy.defaults());
    }

    @Test
    void corpusHoldsBothPeersAndBothAlgorithms() throws IOException {
        List<String> names =
                signed().stream().map(f -> f.getFileName().toString()).collect(Collectors.toList());
        assertThat(names).anyMatch(n -> n.startsWith("dkimpy-ed25519-"));
        assertThat(names).anyMatch(n -> n.startsWith("dkimpy-rsa2048-"));
        assertThat(names).anyMatch(n -> n.startsWith("opendkim-rsa2048-simple-simple"));
        assertThat(names).anyMatch(n -> n.startsWith("opendkim-rsa2048-relaxed-relaxed"));
        assertThat(names).hasSizeGreaterThan(30);
    }

    @TestFactory
    Stream<DynamicTest> signedMessagesGiveTheExpectedVerdict() throws IOException {
        return signed().stream()
                .map(
                        f ->
                                DynamicTest.dynamicTest(
                                        f.getFileName().toString(),
                                        () -> {
                                            byte[] msg = Files.readAllBytes(f);
                                            DkimSignatureResult r = only(verifier.verify(msg));
                                            assertThat(r.result())
                                                    .as(r.toString())
                                                    .isEqualTo(expected(f));
                                            assertThat(r.domain()).isEqualTo("example.com");
                                        }));
    }

    @TestFactory
    Stream<DynamicTest> bareLfCopiesGiveTheSameVerdict() throws IOException {
        return signed().stream()
                .map(
                        f ->
                                DynamicTest.dynamicTest(
                                        f.getFileName().toString(),
                                        () -> {
                                            String crlf =
                                                    new String(
                                                            Files.readAllBytes(f),
                                                            StandardCharsets.ISO_8859_1);
                                            byte[] lf =
                                                    crlf.replace("\r\n", "\n")
                                                            .getBytes(StandardCharsets.ISO_8859_1);
                                            DkimSignatureResult r = only(verifier.verify(lf));
                                            assertThat(r.result())
                                                    .as(r.toString())
                                                    .isEqualTo(expected(f));
                                        }));
    }

    @TestFactory
    Stream<DynamicTest> alteredBodiesFail() throws IOException {
        return signed().stream()
                .filter(f -> expected(f) == DkimResult.PASS && !name(f).contains("length"))
                .map(
                        f ->
                                DynamicTest.dynamicTest(
                                        name(f),
                                        () -> {
                                            String m =
                                                    new String(
                                                            Files.readAllBytes(f),
                                                            StandardCharsets.ISO_8859_1);
                                            int bodyStart = m.indexOf("\r\n\r\n") + 4;
                                            String tampered =
                                                    m.substring(0, bodyStart)
                                                            + "Wire 10000 EUR to the account below.\r\n"
                                                            + m.substring(bodyStart);
                                            DkimSignatureResult r =
                                                    only(
                                                            verifier.verify(
                                                                    tampered.getBytes(
                                                                            StandardCharsets
                                                                                    .ISO_8859_1)));
                                            assertThat(r.result()).isEqualTo(DkimResult.FAIL);
                                            assertThat(r.reason())
                                                    .isEqualTo("body hash did not verify");
                                        }));
    }

    @TestFactory
    Stream<DynamicTest> alteredSubjectsFail() throws IOException {
        return signed().stream()
                .filter(f -> expected(f) == DkimResult.PASS)
                .map(
                        f ->
                                DynamicTest.dynamicTest(
                                        name(f),
                                        () -> {
                                            String m =
                                                    new String(
                                                            Files.readAllBytes(f),
                                                            StandardCharsets.ISO_8859_1);
                                            String tampered =
                                                    m.replaceFirst(
                                                            "\r\nSubject:", "\r\nSubject: URGENT");
                                            assertThat(tampered).isNotEqualTo(m);
                                            DkimSignatureResult r =
                                                    only(
                                                            verifier.verify(
                                                                    tampered.getBytes(
                                                                            StandardCharsets
                                                                                    .ISO_8859_1)));
                                            assertThat(r.result()).isEqualTo(DkimResult.FAIL);
                                            assertThat(r.reason())
                                                    .isEqualTo("signature did not verify");
                                        }));
    }

    @Test
    void relaxedCanonicalizationToleratesWhitespaceChangesThatSimpleDoesNot() throws IOException {
        String relaxed = read("dkimpy-rsa2048-relaxed-relaxed-plain.eml");
        String simple = read("dkimpy-rsa2048-simple-simple-plain.eml");
        // what a relay may do: re-fold a header, change runs of spaces, add empty lines at the end
        DkimSignatureResult r = only(verifier.verify(rewrap(relaxed)));
        DkimSignatureResult s = only(verifier.verify(rewrap(simple)));
        assertThat(r.result()).as(r.toString()).isEqualTo(DkimResult.PASS);
        assertThat(s.result()).isEqualTo(DkimResult.FAIL);
    }

    @Test
    void bodyLengthLimitedSignatureIsPolicyWhenContentIsAppendedUnlessAccepted()
            throws IOException {
        String m = read("dkimpy-length-relaxed-relaxed-plain.eml") + "Appended by an attacker\r\n";
        byte[] bytes = m.getBytes(StandardCharsets.ISO_8859_1);
        DkimSignatureResult r = only(verifier.verify(bytes));
        assertThat(r.result()).isEqualTo(DkimResult.POLICY);
        assertThat(r.reason()).contains("l=");
        DkimVerifier accepting =
                new DkimVerifier(
                        ZoneFileKeyRecordSource.load(CORPUS.resolve("keys.zone")),
                        DkimPolicy.builder().bodyLengthPolicy(BodyLengthPolicy.ACCEPT).build());
        assertThat(only(accepting.verify(bytes)).result()).isEqualTo(DkimResult.PASS);
    }

    @Test
    void shortAndSha1KeysAreReportedWithTheirReason() throws IOException {
        assertThat(
                        only(verifier.verify(
                                        read("policy-dkimpy-rsa512-relaxed-relaxed-plain.eml")
                                                .getBytes(StandardCharsets.ISO_8859_1)))
                                .reason())
                .isEqualTo("RSA key of 512 bits is shorter than 1024");
        assertThat(
                        only(verifier.verify(
                                        read("policy-dkimpy-rsasha1-relaxed-relaxed-plain.eml")
                                                .getBytes(StandardCharsets.ISO_8859_1)))
                                .reason())
                .isEqualTo("rsa-sha1 is not accepted (RFC 8301)");
        assertThat(
                        only(verifier.verify(
                                        read("permerror-dkimpy-revoked-relaxed-relaxed-plain.eml")
                                                .getBytes(StandardCharsets.ISO_8859_1)))
                                .reason())
                .isEqualTo("key revoked");
    }

    @Test
    void minimumRsaSizeCanBeRaised() throws IOException {
        DkimVerifier strict =
                new DkimVerifier(
                        ZoneFileKeyRecordSource.load(CORPUS.resolve("keys.zone")),
                        DkimPolicy.builder().minRsaBits(2048).build());
        byte[] m1024 =
                read("dkimpy-rsa1024-relaxed-relaxed-plain.eml")
                        .getBytes(StandardCharsets.ISO_8859_1);
        byte[] m2048 =
                read("dkimpy-rsa2048-relaxed-relaxed-plain.eml")
                        .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(only(strict.verify(m1024)).result()).isEqualTo(DkimResult.POLICY);
        assertThat(only(strict.verify(m2048)).result()).isEqualTo(DkimResult.PASS);
    }

    @Test
    void identityAndAlignmentAreReported() throws IOException {
        DkimVerification v =
                verifier.verify(
                        read("dkimpy-identity-relaxed-relaxed-folded.eml")
                                .getBytes(StandardCharsets.ISO_8859_1));
        DkimSignatureResult r = only(v);
        assertThat(r.identity()).isEqualTo("alice@mail.example.com");
        assertThat(r.algorithm()).isEqualTo("ed25519-sha256");
        assertThat(v.fromDomain()).contains("mail.example.com");
        assertThat(v.alignment(r)).isEqualTo(Alignment.RELAXED);
        assertThat(v.hasAlignedPass(Alignment.RELAXED)).isTrue();
        assertThat(v.hasAlignedPass(Alignment.STRICT)).isFalse();
    }

    private static byte[] rewrap(String m) {
        int bodyStart = m.indexOf("\r\n\r\n") + 4;
        String headers =
                m.substring(0, bodyStart)
                        .replace(
                                "Subject: Quarterly figures", "Subject:  Quarterly\r\n   figures ");
        String body = m.substring(bodyStart).replace("Hello Bob,", "Hello   Bob,  ") + "\r\n\r\n";
        return (headers + body).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static DkimSignatureResult only(DkimVerification v) {
        assertThat(v.results()).hasSize(1);
        return v.results().get(0);
    }

    private static DkimResult expected(Path f) {
        String n = name(f);
        if (n.startsWith("policy-")) {
            return DkimResult.POLICY;
        }
        if (n.startsWith("fail-")) {
            return DkimResult.FAIL;
        }
        if (n.startsWith("permerror-")) {
            return DkimResult.PERMERROR;
        }
        return DkimResult.PASS;
    }

    private static String name(Path f) {
        return f.getFileName().toString();
    }

    private static String read(String name) throws IOException {
        return new String(
                Files.readAllBytes(CORPUS.resolve("signed").resolve(name)),
                StandardCharsets.ISO_8859_1);
    }

    private static List<Path> signed() throws IOException {
        try (Stream<Path> s = Files.list(CORPUS.resolve("signed"))) {
            return s.sorted().collect(Collectors.toCollection(ArrayList::new));
        }
    }

    @AfterAll
    static void removeCorpus() throws IOException {
        if (CORPUS == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(CORPUS)) {
            for (Path p : s.sorted((a, b) -> b.compareTo(a)).collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
    }
}
