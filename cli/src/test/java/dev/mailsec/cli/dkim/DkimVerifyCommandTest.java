package dev.mailsec.cli.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.cli.CliRun;
import dev.mailsec.dkim.Dkimpy;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DkimVerifyCommandTest {

    private static final String MESSAGE =
            "From: Alice <alice@example.com>\r\n"
                    + "To: bob@example.org\r\n"
                    + "Subject: quarterly figures\r\n"
                    + "\r\n"
                    + "Hello Bob,\r\nthe figures are attached.\r\n";

    @TempDir static Path dir;
    private static Path zone;
    private static Path signedLf;
    private static Path tampered;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void corpus() throws Exception {
        Dkimpy dkimpy = new Dkimpy(dir);
        zone = dkimpy.zoneFile(dir);
        String signed = new String(dkimpy.sign(MESSAGE), StandardCharsets.UTF_8);
        // as stored by a Unix mail tool: bare LF line ends
        signedLf = Files.writeString(dir.resolve("signed.eml"), signed.replace("\r\n", "\n"));
        tampered =
                Files.writeString(dir.resolve("tampered.eml"), signed.replace("attached", "gone"));
    }

    /** Runs the real command line (MailsecCommand.execute), capturing what it prints. */
    private int run(String... args) {
        CliRun r = CliRun.of(args);
        out.append(r.out);
        err.append(r.err);
        return r.exitCode;
    }

    @Test
    void verifyShouldPrintTheAuthenticationResultsOfABareLfMessage() {
        assertThat(
                        run(
                                "dkim",
                                "verify",
                                "--zone",
                                zone.toString(),
                                "--authserv-id",
                                "mx.example.net",
                                signedLf.toString()))
                .isZero();
        assertThat(out.toString())
                .startsWith(
                        "Authentication-Results: mx.example.net;\n\tdkim=pass header.d=example.com"
                                + " header.i=@example.com header.s=sel header.a=rsa-sha256 header.b=");
    }

    @Test
    void verifyShouldLabelEachOfSeveralMessages() {
        assertThat(
                        run(
                                "dkim",
                                "verify",
                                "--zone",
                                zone.toString(),
                                signedLf.toString(),
                                tampered.toString()))
                .isZero();
        assertThat(out.toString())
                .contains(
                        "==> " + signedLf + " <==\nAuthentication-Results: localhost;\n\tdkim=pass")
                .contains(
                        "==> "
                                + tampered
                                + " <==\nAuthentication-Results: localhost;\n\tdkim=fail (body hash did not verify)");
    }

    @Test
    void missingFilesAndBadOptionsEndWithOneLine() {
        assertThat(
                        run(
                                "dkim",
                                "verify",
                                "--zone",
                                zone.toString(),
                                dir.resolve("nope.eml").toString()))
                .isEqualTo(2);
        assertThat(err.toString().trim())
                .isEqualTo("verify: no such message file: " + dir.resolve("nope.eml"));
        err.getBuffer().setLength(0);
        assertThat(
                        run(
                                "dkim",
                                "verify",
                                "--zone",
                                dir.resolve("none.zone").toString(),
                                signedLf.toString()))
                .isEqualTo(2);
        assertThat(err.toString().trim())
                .isEqualTo("verify: no such zone file: " + dir.resolve("none.zone"));
        err.getBuffer().setLength(0);
        assertThat(
                        run(
                                "dkim",
                                "verify",
                                "--zone",
                                zone.toString(),
                                "--min-rsa-bits",
                                "512",
                                signedLf.toString()))
                .isEqualTo(2);
        assertThat(err.toString().trim())
                .isEqualTo("verify: minRsaBits: must be between 1024 (RFC 8301) and 8192, got 512");
        err.getBuffer().setLength(0);
        assertThat(run("dkim", "verify", "--dns", "resolver.example", signedLf.toString()))
                .isEqualTo(2);
        assertThat(err.toString().trim())
                .isEqualTo(
                        "verify: --dns: dnsServers: must be IP addresses, got 'resolver.example'");
    }

    @Test
    void verifyWithoutMessageIsAUsageError() {
        assertThat(run("dkim", "verify")).isEqualTo(2);
        assertThat(err.toString()).contains("MESSAGE");
    }
}
