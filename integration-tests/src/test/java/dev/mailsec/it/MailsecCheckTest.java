package dev.mailsec.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.it.harness.InstalledJames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mailsec check --james-home DIR} against a real installation: the stock James 3.8.1
 * distribution with its library folder, set up by the bundle's {@code bin/mailsec install
 * --sample-pipeline} as INSTALL.md says, and the real rights portal running. The check passes on
 * it; on broken copies it fails naming exactly what is broken.
 */
class MailsecCheckTest {

    private static final Path MAILSEC = InstalledJames.bundledMailsec();

    @TempDir static Path work;
    private static Path home;
    private static InstalledJames installed;

    @BeforeAll
    static void installAndStartThePortal() throws Exception {
        // the operator's James (stock distribution and its library folder, the keystore its stock
        // servers need), then the pack as INSTALL.md installs it: one recipe, the same as
        // ./mailsec run's
        installed = InstalledJames.stock(work, "mail.mailsec.test", MAILSEC);
        home = installed.home();
        installed.install(
                List.of(
                        "--domain",
                        "mailsec.test",
                        "--sample-pipeline",
                        "--portal-url",
                        installed.portalUrl(),
                        "--portal-listen",
                        "127.0.0.1:" + installed.portalPort));
        // bob's certificate, so the S/MIME folder holds one (public material only)
        InstalledJames.run(
                work,
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                work.resolve("bob.key").toString(),
                "-out",
                home.resolve("conf/smime/certs/bob.pem").toString(),
                "-days",
                "800",
                "-subj",
                "/CN=Bob/emailAddress=bob@mailsec.test",
                "-addext",
                "subjectAltName=email:bob@mailsec.test");
        installed.startPortal();
    }

    @AfterAll
    static void stopThePortal() throws InterruptedException {
        if (installed != null) {
            installed.close();
        }
    }

    @Test
    void checkShouldPassOnTheInstallationAndNameEachPartChecked() throws Exception {
        Result result = check(home);

        assertThat(result.errors()).as(result.output).isEmpty();
        assertThat(result.exitCode).as(result.output).isZero();
        assertThat(result.output)
                .contains(
                        "ok mailet root/VerifyDkim\n",
                        "ok mailet relay/SignDkim\n",
                        "ok mailet connectors-outbound/ConnectorsRemoteDelivery\n",
                        "ok mailet local-delivery/EncryptSmime\n",
                        "ok matcher root/FromDomainIs=bank.test,*.bank.test\n",
                        "ok hook smtpserver-global/EnforceInboundConnectors\n",
                        "ok connectors file://conf/connectors.xml: every connector's policy is enforced (1 inbound, 1 outbound)",
                        "ok dkm conf/dkm.properties: store file:"
                                + home.resolve("var/mailsec/dkm/data")
                                + " reachable as james-transport",
                        "ok secret dkim/mailsec.test (relay/SignDkim): readable by james-transport",
                        "ok dkim rsa-v1._domainkey.mailsec.test (dkim/mailsec.test version 1, primary): published in zone",
                        "ok dkim ed25519-v1._domainkey.mailsec.test (dkim/mailsec.test/ed25519 version 1, primary): published",
                        "ok secret rights/content-key (rights conf/rights.xml): readable by james-transport",
                        "ok tls keystore file://conf/keystore.p12 (conf/smtpserver.xml): CN=mailsec.test valid until",
                        "ok smime certificates conf/smime/certs/bob.pem:",
                        "ok trust anchors conf/smime/ca.pem: ",
                        "ok portal http://127.0.0.1:")
                .containsPattern(
                        "(?m)^passed: \\d+ checks, \\d+ ok, 0 warnings, 0 errors \\(\\d+ ms\\)$");
        System.out.println(
                "mailsec check of the sample installation: "
                        + result.millis
                        + " ms wall clock, "
                        + result.output.lines().reduce((a, b) -> b).orElse(""));
    }

    @Test
    void aMisspeltMailetParameterShouldBeNamedWithTheMailet() throws Exception {
        Path broken =
                brokenCopy(
                        "misspelt",
                        "conf/mailetcontainer.xml",
                        xml ->
                                replaceOnce(
                                        xml,
                                        "<algorithms>both</algorithms>",
                                        "<algorithms>both</algorithms>\n<selecter>rsa-v1</selecter>"));

        Result result = check(broken);

        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.errors())
                .singleElement()
                .asString()
                .startsWith(
                        "error mailet relay/SignDkim: SignDkim: unknown parameter 'selecter'; known: algorithms, ");
    }

    @Test
    void aSecretMissingFromDkmShouldBeNamed() throws Exception {
        Path broken =
                brokenCopy(
                        "missing-secret",
                        "conf/rights.xml",
                        xml ->
                                replaceOnce(
                                        xml,
                                        "<subject mode",
                                        "<keys contentKey=\"rights/retired-content-key\"/>\n<subject mode"));

        Result result = check(broken);

        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.errors())
                .containsExactly(
                        "error secret rights/retired-content-key (rights conf/rights.xml): "
                                + "no such secret in DKM (dkm conf/dkm.properties)");
    }

    @Test
    void anOutboundConnectorWithoutARouteShouldBeNamed() throws Exception {
        Path broken =
                brokenCopy(
                        "no-route",
                        "conf/mailetcontainer.xml",
                        xml ->
                                replaceOnce(
                                        xml,
                                        "<mailet match=\"dev.mailsec.matchers.connector.RecipientConnectorIs=*\" class=\"ToProcessor\">\n"
                                                + "                <processor>connectors-outbound</processor>\n"
                                                + "            </mailet>",
                                        ""));

        Result result = check(broken);

        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.errors())
                .singleElement()
                .asString()
                .startsWith(
                        "error connectors file://conf/connectors.xml: outbound connector 'partner-out' of ")
                .contains("has no route in " + broken.resolve("conf/mailetcontainer.xml"));
    }

    @Test
    void aMissingFileShouldBeNamedWithTheParameterReferencingIt() throws Exception {
        Path broken =
                brokenCopy(
                        "missing-file",
                        "conf/mailetcontainer.xml",
                        xml ->
                                replaceOnce(
                                        xml,
                                        "<dnsTimeoutMillis>3000</dnsTimeoutMillis>",
                                        "<zoneFile>conf/partner.zone</zoneFile>"));

        Result result = check(broken);

        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.errors())
                .singleElement()
                .asString()
                .startsWith("error mailet root/VerifyDkim: VerifyDkim: zoneFile")
                .contains("partner.zone");
    }

    @Test
    void anExpiredTlsCertificateShouldBeNamedWithItsExpiry() throws Exception {
        Path broken = brokenCopy("expired", "conf/smtpserver.xml", xml -> xml);
        Files.delete(broken.resolve("conf/keystore.p12"));
        String secret = Files.readString(home.resolve("var/mailsec/keystore.secret")).trim();
        Process keytool =
                new ProcessBuilder(
                                "keytool",
                                "-genkeypair",
                                "-alias",
                                "james",
                                "-keyalg",
                                "RSA",
                                "-keysize",
                                "2048",
                                "-startdate",
                                "-2y",
                                "-validity",
                                "30",
                                "-dname",
                                "CN=expired.example",
                                "-storetype",
                                "PKCS12",
                                "-keystore",
                                broken.resolve("conf/keystore.p12").toString(),
                                "-storepass",
                                secret,
                                "-keypass",
                                secret)
                        .redirectErrorStream(true)
                        .start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).isZero();

        Result result = check(broken);

        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.errors())
                .singleElement()
                .asString()
                .matches(
                        "error tls keystore file://conf/keystore.p12 \\(conf/smtpserver.xml\\): CN=expired.example "
                                + "expired on \\d{4}-\\d{2}-\\d{2}");
    }

    /**
     * A copy of the installation with its own {@code conf/} (one file changed) and the rest linked:
     * the same James libraries, pack jars and DKM store.
     */
    private static Path brokenCopy(String name, String file, UnaryOperator<String> change)
            throws IOException {
        Path copy = work.resolve(name);
        Files.createDirectories(copy);
        for (String linked :
                List.of(
                        "james-server-memory-app.lib",
                        "james-server-memory-app.jar",
                        "extensions-jars",
                        "var")) {
            Files.createSymbolicLink(copy.resolve(linked), home.resolve(linked));
        }
        try (var files = Files.walk(home.resolve("conf"))) {
            for (Path source : files.collect(Collectors.toList())) {
                Path target = copy.resolve(home.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        Path changed = copy.resolve(file);
        String before = Files.readString(changed);
        Files.writeString(changed, change.apply(before));
        return copy;
    }

    private static String replaceOnce(String text, String target, String replacement) {
        assertThat(text).contains(target);
        return text.replaceFirst(Pattern.quote(target), Matcher.quoteReplacement(replacement));
    }

    /**
     * {@code bin/mailsec check --james-home DIR --zone var/mailsec/dkim-records.txt}, started from
     * another folder (the path rule: --james-home is the base).
     */
    private static Result check(Path jamesHome) throws Exception {
        List<String> argv =
                new ArrayList<>(
                        List.of(
                                MAILSEC.toString(),
                                "check",
                                "--james-home",
                                jamesHome.toString(),
                                "--zone",
                                home.resolve("var/mailsec/dkim-records.txt").toString()));
        long start = System.nanoTime();
        Process p =
                new ProcessBuilder(argv).directory(work.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(
                p.exitValue(), out, Duration.ofNanos(System.nanoTime() - start).toMillis());
    }

    private static final class Result {
        final int exitCode;
        final String output;
        final long millis;

        Result(int exitCode, String output, long millis) {
            this.exitCode = exitCode;
            this.output = output;
            this.millis = millis;
        }

        List<String> errors() {
            return output.lines().filter(l -> l.startsWith("error ")).collect(Collectors.toList());
        }
    }
}
