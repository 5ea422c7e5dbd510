package dev.mailsec.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OCSP against a real {@code openssl ocsp} responder on loopback: good, revoked, unreachable,
 * untrusted, cached.
 */
class OcspRevocationTest {

    private static final DateTimeFormatter INDEX_TIME =
            DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    @TempDir static Path dir;

    static SmimeTestPki pki;
    static SmimeKeyPair good;
    static SmimeKeyPair revoked;
    static String url;
    static final List<Process> responders = new ArrayList<>();

    @BeforeAll
    static void startResponder() throws Exception {
        pki = new SmimeTestPki("OCSP CA");
        int port = freePort();
        url = "http://127.0.0.1:" + port + "/";
        good = pki.user("alice@example.test", ocspOnly(url));
        revoked = pki.user("alice@example.test", ocspOnly(url));
        // several test certificates share a subject (alice); openssl's index refuses that unless
        // told
        Files.writeString(dir.resolve("index.txt.attr"), "unique_subject = no\n");
        Files.writeString(
                dir.resolve("index.txt"),
                indexLine(good.certificate(), false) + indexLine(revoked.certificate(), true));
        SmimeTestPki.writeCert(dir.resolve("ca.pem"), pki.ca);
        SmimeTestPki.writePem(
                dir.resolve("ca.key"), "PRIVATE KEY", pki.caKeys.getPrivate().getEncoded());
        startResponder(port, "ca.pem", "ca.key", 0);
    }

    @AfterAll
    static void stopResponders() throws InterruptedException {
        for (Process p : responders) {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aGoodCertificatePassesAndARevokedOneFails() throws Exception {
        SmimeVerifier verifier = verifier(ChainValidator.OcspFailure.HARD);
        SmimeVerification ok = verifier.verify(new ByteArrayInputStream(sign(good)));
        assertThat(ok.result()).as(ok.reason()).isEqualTo(SmimeResult.PASS);
        SmimeVerification bad = verifier.verify(new ByteArrayInputStream(sign(revoked)));
        assertThat(bad.result()).isEqualTo(SmimeResult.FAIL);
        assertThat(bad.reason()).isEqualTo("certificate revoked (OCSP)");
    }

    @Test
    void anUnreachableResponderIsTemperrorUnderHardFailAndPassesUnderSoftFail() throws Exception {
        SmimeKeyPair orphan =
                pki.user("alice@example.test", ocspOnly("http://127.0.0.1:" + freePort() + "/"));
        SmimeVerification hard =
                verifier(ChainValidator.OcspFailure.HARD)
                        .verify(new ByteArrayInputStream(sign(orphan)));
        assertThat(hard.result()).isEqualTo(SmimeResult.TEMPERROR);
        assertThat(hard.reason()).startsWith("OCSP unavailable");
        SmimeVerification soft =
                verifier(ChainValidator.OcspFailure.SOFT)
                        .verify(new ByteArrayInputStream(sign(orphan)));
        assertThat(soft.result()).as(soft.reason()).isEqualTo(SmimeResult.PASS);
    }

    @Test
    void anUnreachableResponderFallsBackToTheCrl() throws Exception {
        Path crlFile = dir.resolve("fallback.crl");
        SmimeTestPki withCrl = new SmimeTestPki("OCSP and CRL CA", crlFile.toUri().toString());
        SmimeTestPki.Spec spec = new SmimeTestPki.Spec();
        spec.ocspUrl = "http://127.0.0.1:" + freePort() + "/";
        SmimeKeyPair listed = withCrl.user("alice@example.test", spec);
        SmimeKeyPair fine = withCrl.user("alice@example.test", spec);
        Files.write(crlFile, withCrl.crl(listed.certificate()).getEncoded());
        SmimeVerifier verifier =
                new SmimeVerifier(
                        new ChainValidator(
                                TrustAnchors.of(List.of(withCrl.ca)),
                                new CachingCrlSource(),
                                new CachingOcspClient(
                                        Duration.ofSeconds(2),
                                        Duration.ofHours(1),
                                        Clock.systemUTC()),
                                ChainValidator.OcspFailure.HARD,
                                Clock.systemUTC()),
                        Clock.systemUTC());
        SmimeVerification bad = verifier.verify(new ByteArrayInputStream(sign(listed)));
        assertThat(bad.result()).isEqualTo(SmimeResult.FAIL);
        assertThat(bad.reason()).isEqualTo("certificate revoked");
        SmimeVerification ok = verifier.verify(new ByteArrayInputStream(sign(fine)));
        assertThat(ok.result()).as(ok.reason()).isEqualTo(SmimeResult.PASS);
    }

    @Test
    void aResponseSignedByAnotherKeyIsNotTrusted() throws Exception {
        SmimeTestPki stranger = new SmimeTestPki("Stranger CA");
        SmimeTestPki.writeCert(dir.resolve("stranger.pem"), stranger.ca);
        SmimeTestPki.writePem(
                dir.resolve("stranger.key"),
                "PRIVATE KEY",
                stranger.caKeys.getPrivate().getEncoded());
        int port = freePort();
        startResponder(port, "stranger.pem", "stranger.key", 0);
        SmimeKeyPair key =
                pki.user("alice@example.test", ocspOnly("http://127.0.0.1:" + port + "/"));
        Files.writeString(
                dir.resolve("index.txt"),
                indexLine(key.certificate(), false),
                StandardOpenOption.APPEND);
        CachingOcspClient client =
                new CachingOcspClient(
                        Duration.ofSeconds(5), Duration.ofHours(1), Clock.systemUTC());
        assertThatThrownBy(
                        () ->
                                client.check(
                                        URI.create("http://127.0.0.1:" + port + "/"),
                                        key.certificate(),
                                        pki.ca))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not signed by the issuer");
        SmimeVerification v =
                verifier(ChainValidator.OcspFailure.HARD)
                        .verify(new ByteArrayInputStream(sign(key)));
        assertThat(v.result()).isEqualTo(SmimeResult.TEMPERROR);
    }

    @Test
    void answersAreCachedUntilNextUpdate() throws Exception {
        int port = freePort();
        Process once = startResponder(port, "ca.pem", "ca.key", 1);
        URI responder = URI.create("http://127.0.0.1:" + port + "/");
        CachingOcspClient client =
                new CachingOcspClient(
                        Duration.ofSeconds(5), Duration.ofHours(1), Clock.systemUTC());
        assertThat(client.check(responder, revoked.certificate(), pki.ca))
                .isEqualTo(OcspSource.Status.REVOKED);
        assertThat(once.waitFor(10, TimeUnit.SECONDS))
                .as("responder exits after one request")
                .isTrue();
        assertThat(client.check(responder, revoked.certificate(), pki.ca))
                .isEqualTo(OcspSource.Status.REVOKED);
        CachingOcspClient fresh =
                new CachingOcspClient(
                        Duration.ofSeconds(2), Duration.ofHours(1), Clock.systemUTC());
        assertThatThrownBy(() -> fresh.check(responder, revoked.certificate(), pki.ca))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aFailedExchangeIsRememberedForAWhileSoADownResponderDoesNotCostATimeoutPerMessage()
            throws Exception {
        URI responder = URI.create("http://127.0.0.1:" + freePort() + "/");
        SmimeKeyPair key = pki.user("alice@example.test", ocspOnly(responder.toString()));
        CachingOcspClient client =
                new CachingOcspClient(
                        Duration.ofSeconds(2),
                        Duration.ofHours(1),
                        Duration.ofMinutes(1),
                        Clock.systemUTC());
        assertThatThrownBy(() -> client.check(responder, key.certificate(), pki.ca))
                .isInstanceOf(IOException.class)
                .hasMessageNotContaining("remembered");
        assertThatThrownBy(() -> client.check(responder, key.certificate(), pki.ca))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("remembered until");
        CachingOcspClient forgetful =
                new CachingOcspClient(
                        Duration.ofSeconds(2),
                        Duration.ofHours(1),
                        Duration.ZERO,
                        Clock.systemUTC());
        assertThatThrownBy(() -> forgetful.check(responder, key.certificate(), pki.ca))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> forgetful.check(responder, key.certificate(), pki.ca))
                .isInstanceOf(IOException.class)
                .hasMessageNotContaining("remembered");
    }

    private static SmimeVerifier verifier(ChainValidator.OcspFailure failure) {
        return new SmimeVerifier(
                new ChainValidator(
                        TrustAnchors.of(List.of(pki.ca)),
                        new CachingCrlSource(),
                        new CachingOcspClient(
                                Duration.ofSeconds(2), Duration.ofHours(1), Clock.systemUTC()),
                        failure,
                        Clock.systemUTC()),
                Clock.systemUTC());
    }

    private static SmimeTestPki.Spec ocspOnly(String responder) {
        SmimeTestPki.Spec spec = new SmimeTestPki.Spec();
        spec.ocspUrl = responder;
        return spec;
    }

    private static byte[] sign(SmimeKeyPair key) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new SmimeSigner(SigningMode.DETACHED, null)
                .sign(new ByteArrayInputStream(TestMessages.simple()), out, key);
        return out.toByteArray();
    }

    private static String indexLine(X509Certificate cert, boolean isRevoked) {
        String serial = cert.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
        if (serial.length() % 2 == 1) {
            serial = "0" + serial;
        }
        String subject =
                "/"
                        + String.join(
                                "/", reversed(cert.getSubjectX500Principal().getName().split(",")));
        return (isRevoked ? "R" : "V")
                + "\t"
                + INDEX_TIME.format(cert.getNotAfter().toInstant())
                + "\t"
                + (isRevoked ? INDEX_TIME.format(Instant.now().minusSeconds(60)) : "")
                + "\t"
                + serial
                + "\tunknown\t"
                + subject
                + "\n";
    }

    private static List<String> reversed(String[] rdns) {
        List<String> out = new ArrayList<>(List.of(rdns));
        Collections.reverse(out);
        return out;
    }

    /**
     * {@code openssl ocsp} as a responder on loopback; {@code requests} > 0 makes it exit after
     * that many.
     */
    private static Process startResponder(
            int port, String signerCert, String signerKey, int requests) throws Exception {
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                "openssl",
                                "ocsp",
                                "-index",
                                "index.txt",
                                "-port",
                                String.valueOf(port),
                                "-rsigner",
                                signerCert,
                                "-rkey",
                                signerKey,
                                "-CA",
                                "ca.pem",
                                "-nmin",
                                "5"));
        if (requests > 0) {
            cmd.add("-nrequest");
            cmd.add(String.valueOf(requests));
        }
        Path log = dir.resolve("ocsp-" + port + ".log");
        Process p =
                new ProcessBuilder(cmd)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        responders.add(p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError(
                        "openssl ocsp exited: "
                                + Files.readString(log, StandardCharsets.ISO_8859_1));
            }
            // no probe connection: the responder is single-threaded and would count or wait on it
            if (Files.exists(log)
                    && Files.readString(log, StandardCharsets.ISO_8859_1)
                            .contains("waiting for OCSP client connections")) {
                return p;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("openssl ocsp did not listen on " + port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
