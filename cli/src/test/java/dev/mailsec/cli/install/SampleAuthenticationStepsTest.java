package dev.mailsec.cli.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample pipeline's inbound authentication steps as {@code mailsec install --sample-pipeline}
 * writes them (docs/dmarc.md, "Sample pipeline"): the order, the DNS servers, the report store, and
 * each {@code --dmarc-reject} choice. A real James runs them in SamplePipelineAuthenticationTest
 * (integration-tests).
 */
class SampleAuthenticationStepsTest {

    @TempDir Path tmp;
    private Path bundle;

    @BeforeEach
    void bundle() throws IOException {
        bundle = tmp.resolve("bundle");
        Files.createDirectories(bundle.resolve("extensions-jars"));
        Files.write(bundle.resolve("extensions-jars/mailsec-mailets-9.jar"), new byte[] {1, 2, 3});
        Files.createDirectories(bundle.resolve("conf"));
        try (Stream<Path> conf = Files.list(Paths.get("../conf"))) {
            for (Path p : (Iterable<Path>) conf::iterator) {
                Files.copy(p, bundle.resolve("conf").resolve(p.getFileName()));
            }
        }
    }

    private Path install(String name, String... more) throws IOException {
        Path home = tmp.resolve(name);
        Files.createDirectories(home.resolve("conf"));
        Files.createDirectories(home.resolve("extensions-jars"));
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "install",
                                "--bundle",
                                bundle.toString(),
                                "--james-home",
                                home.toString(),
                                "--domain",
                                "example.test",
                                "--sample-pipeline"));
        args.addAll(List.of(more));
        CliRun r = CliRun.of(args.toArray(new String[0]));
        assertThat(r.exitCode).as(r.err).isZero();
        return home;
    }

    @Test
    void theDefaultShouldVerifyInOrderRecordAndBounceARejectFromOutside() throws Exception {
        Path home = install("james");

        String conf = wellFormed(home.resolve("conf/mailetcontainer.xml"));
        String root = processor(conf, "root");
        assertThat(root)
                .containsSubsequence(
                        "class=\"dev.mailsec.mailets.dkim.VerifyDkim\"",
                        "class=\"dev.mailsec.mailets.spf.VerifySpf\"",
                        "class=\"dev.mailsec.mailets.arc.VerifyArc\"",
                        "class=\"dev.mailsec.mailets.dmarc.VerifyDmarc\"",
                        "class=\"dev.mailsec.mailets.dmarc.RecordDmarcResult\"",
                        "<mailet match=\"dmarc-quarantine-from-outside\" class=\"ToProcessor\">",
                        "<processor>dmarc-quarantine</processor>",
                        "<mailet match=\"dmarc-reject-from-outside\" class=\"ToProcessor\">",
                        "<processor>dmarc-reject</processor>",
                        "must-be-signed-but-is-not\" class=\"dev.mailsec.mailets.HoldInRepository\"");
        assertThat(root)
                .contains("<store>file:var/mailsec/dmarc-reports</store>")
                .contains("<orgName>example.test</orgName>")
                .contains("<reportEmail>dmarc-reports@example.test</reportEmail>")
                .contains(
                        "<!-- <trustedArcSealers>lists.example.org, google.com</trustedArcSealers> -->")
                .doesNotContain(">mailsec.test<")
                .doesNotContain("@mailsec.test")
                .doesNotContain("<dnsServers>");
        assertThat(countOf(root, "<authservId>example.test</authservId>")).isEqualTo(4);
        assertThat(processor(conf, "dmarc-reject"))
                .contains("550 5.7.1 Rejected by the DMARC policy")
                .contains("class=\"DSNBounce\"");
        assertThat(processor(conf, "dmarc-quarantine"))
                .contains("<repositoryPath>file://var/mail/dmarc-quarantine/</repositoryPath>");
        String smtp = wellFormed(home.resolve("conf/smtpserver.xml"));
        assertThat(smtp)
                .doesNotContain("<handler class=\"dev.mailsec.smtp.dmarc.RefuseDmarcReject\"");
        assertThat(Files.getPosixFilePermissions(home.resolve("conf/mailetcontainer.xml")))
                .contains(PosixFilePermission.OTHERS_READ);
    }

    @Test
    void dmarcRejectSmtpShouldRefuseAtSmtpTimeOnThePortFromOutsideAndQuarantineLeftovers()
            throws Exception {
        Path home = install("james", "--dmarc-reject", "smtp", "--dns-servers", "127.0.0.1:5353");

        String smtp = wellFormed(home.resolve("conf/smtpserver.xml"));
        String outside = smtp.substring(0, smtp.indexOf("<jmxName>smtpserver-tls</jmxName>"));
        assertThat(outside)
                .containsSubsequence(
                        "<handler class=\"dev.mailsec.smtp.connector.EnforceInboundConnectors\">",
                        "<handler class=\"dev.mailsec.smtp.dmarc.RefuseDmarcReject\">",
                        "<dnsServers>127.0.0.1:5353</dnsServers>",
                        "<dnsTimeoutMillis>3000</dnsTimeoutMillis>",
                        "</handler>");
        assertThat(countOf(smtp, "RefuseDmarcReject\">")).isEqualTo(1);
        String root = processor(wellFormed(home.resolve("conf/mailetcontainer.xml")), "root");
        assertThat(root)
                .contains(
                        "<mailet match=\"dmarc-reject-from-outside\" class=\"ToProcessor\">\n"
                                + "                <processor>dmarc-quarantine</processor>")
                .doesNotContain("<processor>dmarc-reject</processor>");
        // every DNS-asking step of the pipeline asks the given servers
        assertThat(countOf(root, "<dnsServers>127.0.0.1:5353</dnsServers>")).isEqualTo(5);
        assertThat(countOf(root, "<dnsTimeoutMillis>3000</dnsTimeoutMillis>")).isEqualTo(5);

        Path again = install("james", "--dmarc-reject", "smtp", "--dns-servers", "127.0.0.1:5353");
        assertThat(again).isEqualTo(home);
    }

    @Test
    void dmarcRejectQuarantineShouldHoldRejectsAndAClusterShouldCountInItsDatabase()
            throws Exception {
        // trust authentication here: the password is not checked, only carried
        String pg = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&password=unchecked";
        Path home = install("james", "--dmarc-reject", "QUARANTINE", "--rights-store", pg);
        String root = processor(wellFormed(home.resolve("conf/mailetcontainer.xml")), "root");
        assertThat(root)
                .contains("<store>" + pg.replace("&", "&amp;") + "</store>")
                .doesNotContain("<processor>dmarc-reject</processor>");
        // the URL carries a password: the file is its owner's alone
        assertThat(Files.getPosixFilePermissions(home.resolve("conf/mailetcontainer.xml")))
                .doesNotContain(PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_READ);
    }

    @Test
    void badDmarcFlagsShouldFailNamingTheFlagAndTheValue() throws IOException {
        Path home = tmp.resolve("james");
        Files.createDirectories(home.resolve("conf"));
        CliRun r =
                CliRun.of(
                        "install",
                        "--bundle",
                        bundle.toString(),
                        "--james-home",
                        home.toString(),
                        "--domain",
                        "example.test",
                        "--dmarc-reject",
                        "drop");
        assertThat(r.exitCode).isEqualTo(2);
        assertThat(r.err)
                .contains("--dmarc-reject: must be smtp, bounce or quarantine, got 'drop'");
        CliRun dns =
                CliRun.of(
                        "install",
                        "--bundle",
                        bundle.toString(),
                        "--james-home",
                        home.toString(),
                        "--domain",
                        "example.test",
                        "--dns-servers",
                        "ns.example.test");
        assertThat(dns.exitCode).isEqualTo(2);
        assertThat(dns.err).contains("--dns-servers: must be IP addresses, got 'ns.example.test'");
    }

    private static String wellFormed(Path file) throws Exception {
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        return Files.readString(file);
    }

    private static String processor(String conf, String state) {
        int start = conf.indexOf("<processor state=\"" + state + "\"");
        assertThat(start).as("processor %s", state).isNotNegative();
        // a processor's own end tag is indented 8; a ToProcessor's <processor> parameter deeper
        return conf.substring(start, conf.indexOf("\n        </processor>", start));
    }

    private static int countOf(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
