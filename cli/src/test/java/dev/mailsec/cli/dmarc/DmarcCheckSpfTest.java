package dev.mailsec.cli.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mailsec dmarc check --ip [--helo] [--mail-from]}: SPF evaluated by the SPF engine. */
class DmarcCheckSpfTest {

    @TempDir static Path dir;
    private static Path zone;
    private static Path unsigned;

    @BeforeAll
    static void corpus() throws Exception {
        zone =
                Files.writeString(
                        dir.resolve("spf.zone"),
                        "_dmarc.example.com. 300 IN TXT \"v=DMARC1; p=reject\"\n"
                                + "example.com. 300 IN TXT \"v=spf1 ip4:192.0.2.1 -all\"\n"
                                + "mx.example.com. 300 IN TXT \"v=spf1 ip4:192.0.2.1 -all\"\n");
        unsigned =
                Files.writeString(
                        dir.resolve("unsigned.eml"),
                        "From: Alice <alice@example.com>\nTo: bob@example.net\nSubject: s\n\nbody\n");
    }

    private static CliRun check(String... options) {
        String[] args = new String[options.length + 5];
        args[0] = "dmarc";
        args[1] = "check";
        args[2] = "--zone";
        args[3] = zone.toString();
        System.arraycopy(options, 0, args, 4, options.length);
        args[args.length - 1] = unsigned.toString();
        return CliRun.of(args);
    }

    @Test
    void anIpTheDomainListsPassesSpfAndDmarc() {
        CliRun r = check("--ip", "192.0.2.1", "--mail-from", "bounce@example.com");
        assertThat(r.exitCode).as(r.err).isZero();
        assertThat(r.out)
                .contains("spf=pass")
                .contains("smtp.mailfrom=bounce@example.com")
                .contains("dmarc=pass")
                .contains("spfAligned: true");
    }

    @Test
    void anotherIpFailsSpfAndDmarcWithTheRejectDisposition() {
        CliRun r = check("--ip", "203.0.113.9", "--mail-from", "bounce@example.com");
        assertThat(r.exitCode).as(r.err).isZero();
        assertThat(r.out)
                .contains("spf=fail")
                .contains("dmarc=fail")
                .contains("disposition: reject")
                .contains("sourceIp: 203.0.113.9");
    }

    @Test
    void theNullSenderChecksTheHeloWhichDoesNotAlignWithTheFrom() {
        CliRun r = check("--ip", "192.0.2.1", "--helo", "mx.example.com");
        assertThat(r.exitCode).as(r.err).isZero();
        assertThat(r.out)
                .contains("spf=pass")
                .contains("smtp.helo=mx.example.com")
                .contains("dmarc=fail")
                .contains("spfAligned: false");
    }

    @Test
    void theOfflineVerdictStillWins() {
        CliRun r =
                check("--ip", "203.0.113.9", "--spf-domain", "example.com", "--spf-result", "pass");
        assertThat(r.out).contains("spf=pass").contains("from --spf-result").contains("dmarc=pass");
    }

    @Test
    void aBadIpIsAUsageError() {
        CliRun r = check("--ip", "not-an-ip", "--mail-from", "a@example.com");
        assertThat(r.exitCode).isEqualTo(2);
        assertThat(r.err).contains("--ip: not an IP address: 'not-an-ip'");
    }
}
