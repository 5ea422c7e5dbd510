package dev.mailsec.cli.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.cli.CliRun;
import dev.mailsec.testsupport.PemPki;
import dev.mailsec.tls.published.PublishedRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MtaStsCommandTest {

    @TempDir static Path dir;
    static PemPki pki;
    static PemPki.Issued smtp;
    static Path[] web;

    @BeforeAll
    static void certificates() throws Exception {
        pki = new PemPki("records test CA");
        web = pki.write(pki.server(Duration.ofDays(30), "mta-sts.a.test"), dir, "web");
        smtp = pki.server(Duration.ofDays(30), "mx1.a.test");
    }

    private static Path config(String domain) throws Exception {
        Path file = Files.createTempFile(dir, "mta-sts", ".xml");
        Files.writeString(
                file,
                "<mta-sts><certificate chain=\""
                        + web[0]
                        + "\" key=\""
                        + web[1]
                        + "\"/>"
                        + domain
                        + "</mta-sts>");
        return file;
    }

    @Test
    void recordsShouldPrintMtaStsTlsRptAndTlsaRecords() throws Exception {
        Path pem = pki.write(smtp, dir, "smtp")[0];
        Path file =
                config(
                        "<domain name=\"a.test\" tlsrpt=\"mailto:tlsrpt@a.test\"><mx>mx1.a.test</mx><mx>*.b.a.test</mx></domain>");

        CliRun run =
                CliRun.of(
                        "tls",
                        "mta-sts",
                        "--config",
                        file.toString(),
                        "records",
                        "--dane-certificate",
                        pem.toString());

        assertThat(run.exitCode).as(run.err).isZero();
        assertThat(run.out)
                .containsPattern("_mta-sts\\.a\\.test\\. IN TXT \"v=STSv1; id=[0-9a-f]{32}\"")
                .contains("_smtp._tls.a.test. IN TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@a.test\"")
                .contains(
                        "_25._tcp.mx1.a.test. IN TLSA 3 1 1 "
                                + PublishedRecords.spkiSha256(smtp.certificate))
                .contains("; *.b.a.test: publish _25._tcp.HOST. TLSA");
    }

    @Test
    void recordsShouldChangeTheIdWhenThePolicyChanges() throws Exception {
        CliRun testing =
                CliRun.of(
                        "tls",
                        "mta-sts",
                        "--config",
                        config(
                                        "<domain name=\"a.test\" mode=\"testing\"><mx>mx1.a.test</mx></domain>")
                                .toString(),
                        "records");
        CliRun enforce =
                CliRun.of(
                        "tls",
                        "mta-sts",
                        "--config",
                        config(
                                        "<domain name=\"a.test\" mode=\"enforce\"><mx>mx1.a.test</mx></domain>")
                                .toString(),
                        "records");

        assertThat(testing.out.lines().filter(l -> l.startsWith("_mta-sts")).findFirst())
                .isNotEqualTo(
                        enforce.out.lines().filter(l -> l.startsWith("_mta-sts")).findFirst());
        assertThat(testing.out).doesNotContain("TLSA").doesNotContain("_smtp._tls");
    }

    @Test
    void aBadConfigurationShouldExitTwoNamingParameterAndValue() throws Exception {
        CliRun run =
                CliRun.of(
                        "tls",
                        "mta-sts",
                        "--config",
                        config("<domain name=\"a.test\" maxAge=\"-5\"/>").toString(),
                        "serve");

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("domain[a.test] maxAge").contains("got '-5'");
    }

    @Test
    void inboundOptionsShouldNeedInbound() {
        CliRun run = CliRun.of("tls", "check", "a.test", "--smtp-port", "2525");

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("--zone, --smtp-port and --https-port go with --inbound");
    }

    @Test
    void inboundShouldFailNamingAMissingRecordFromTheZone() throws Exception {
        Path zone = Files.writeString(dir.resolve("empty.zone"), "a.test. IN MX 10 mx1.a.test.\n");

        CliRun run =
                CliRun.of(
                        "tls",
                        "check",
                        "--inbound",
                        "a.test",
                        "--zone",
                        zone.toString(),
                        "--timeout",
                        "2");

        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.out)
                .contains("FAIL _mta-sts")
                .contains("no v=STSv1 TXT record at _mta-sts.a.test")
                .contains("mx1.a.test:25")
                .contains("has no A or AAAA record")
                .contains("WARN _smtp._tls")
                .contains("result: a.test FAILS");
    }

    @Test
    void inboundShouldTakeDnsAndItsOlderNameDnsServer() throws Exception {
        Path zone = Files.writeString(dir.resolve("mx.zone"), "a.test. IN MX 10 mx1.a.test.\n");

        CliRun alias =
                CliRun.of(
                        "tls",
                        "check",
                        "--inbound",
                        "a.test",
                        "--zone",
                        zone.toString(),
                        "--dns-server",
                        "127.0.0.1:5353");
        CliRun bad = CliRun.of("tls", "check", "--inbound", "a.test", "--dns", "ns.a.test");

        assertThat(alias.exitCode).isEqualTo(2);
        assertThat(alias.err).contains("--zone and --dns exclude each other");
        assertThat(bad.exitCode).isEqualTo(2);
        assertThat(bad.err).contains("--dns: dnsServers: must be IP addresses, got 'ns.a.test'");
    }

    @Test
    void theBundlesSampleShouldBeAcceptedOnceItsCertificateExists() throws Exception {
        Path[] example =
                pki.write(pki.server(Duration.ofDays(30), "mta-sts.example.com"), dir, "example");
        String sample = Files.readString(Paths.get("../conf/mta-sts.xml"));
        assertThat(sample).contains("conf/mta-sts/chain.pem").contains("conf/mta-sts/key.pem");
        Path file =
                Files.writeString(
                        dir.resolve("sample-mta-sts.xml"),
                        sample.replace("conf/mta-sts/chain.pem", example[0].toString())
                                .replace("conf/mta-sts/key.pem", example[1].toString()));

        CliRun run = CliRun.of("tls", "mta-sts", "--config", file.toString(), "records");

        assertThat(run.exitCode).as(run.err).isZero();
        assertThat(run.out)
                .contains("; example.com: MTA-STS mode testing")
                .contains(
                        "_smtp._tls.example.com. IN TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@example.com\"");
    }
}
