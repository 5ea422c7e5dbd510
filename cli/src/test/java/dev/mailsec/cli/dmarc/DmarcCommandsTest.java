package dev.mailsec.cli.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.cli.CliRun;
import dev.mailsec.dkim.Dkimpy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DmarcCommandsTest {

    private static final String MESSAGE =
            "From: Alice <alice@example.com>\r\n"
                    + "To: bob@example.org\r\n"
                    + "Subject: quarterly figures\r\n"
                    + "\r\n"
                    + "Hello Bob,\r\nthe figures are attached.\r\n";

    @TempDir static Path dir;
    private static Path zone;
    private static Path signed;
    private static Path forged;

    @BeforeAll
    static void corpus() throws Exception {
        Dkimpy dkimpy = new Dkimpy(dir);
        zone = dkimpy.zoneFile(dir);
        Files.writeString(
                zone,
                Files.readString(zone)
                        + "\n_dmarc.example.com. 300 IN TXT \"v=DMARC1; p=reject;"
                        + " rua=mailto:dmarc@example.com\"\n");
        String text = new String(dkimpy.sign(MESSAGE), StandardCharsets.UTF_8);
        signed = Files.writeString(dir.resolve("signed.eml"), text.replace("\r\n", "\n"));
        forged = Files.writeString(dir.resolve("forged.eml"), text.replace("attached", "gone"));
    }

    @Test
    void checkShouldPassAMessageSignedByTheFromDomain() {
        CliRun r = CliRun.of("dmarc", "check", "--zone", zone.toString(), signed.toString());
        assertThat(r.exitCode).as(r.err).isZero();
        assertThat(r.out)
                .contains("dkim=pass")
                .contains("dmarc=pass")
                .contains("header.from=example.com")
                .contains("policy.dmarc=reject")
                .contains("disposition: none");
    }

    @Test
    void checkShouldFailAForgedMessageWithTheRejectDisposition() {
        CliRun r = CliRun.of("dmarc", "check", "--zone", zone.toString(), forged.toString());
        assertThat(r.out)
                .contains("dkim=fail")
                .contains("dmarc=fail")
                .contains("disposition: reject");
    }

    @Test
    void checkShouldPassOnAnAlignedSpfVerdictGivenAsOptions() {
        CliRun r =
                CliRun.of(
                        "dmarc",
                        "check",
                        "--zone",
                        zone.toString(),
                        "--spf-domain",
                        "bounces.example.com",
                        "--spf-result",
                        "pass",
                        forged.toString());
        assertThat(r.out).contains("spf=pass").contains("dmarc=pass").contains("spfAligned: true");
    }

    @Test
    void recordShouldPrintTheParsedRecordAndOrgDomain() {
        CliRun r = CliRun.of("dmarc", "record", "--zone", zone.toString(), "shop.example.com");
        assertThat(r.exitCode).isZero();
        assertThat(r.out)
                .contains("organizational domain: example.com")
                .contains("found at: _dmarc.example.com")
                .contains("sp=reject")
                .contains("pct=100");
        CliRun none = CliRun.of("dmarc", "record", "--zone", zone.toString(), "other.example");
        assertThat(none.exitCode).isEqualTo(1);
        assertThat(none.out).contains("status: no_record");
    }

    @Test
    void badOptionsShouldSayWhatIsWrong() {
        CliRun r =
                CliRun.of(
                        "dmarc",
                        "check",
                        "--zone",
                        zone.toString(),
                        "--org-domain",
                        "x",
                        signed.toString());
        assertThat(r.exitCode).isEqualTo(2);
        assertThat(r.err).contains("psl or treewalk");
        CliRun half =
                CliRun.of(
                        "dmarc",
                        "check",
                        "--zone",
                        zone.toString(),
                        "--spf-result",
                        "pass",
                        signed.toString());
        assertThat(half.err).contains("--spf-domain and --spf-result go together");
    }
}
