package dev.mailsec.cli.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.cli.CliRun;
import dev.mailsec.cli.TestDkmStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which secrets the pack's mailets need, read from a real DKM store as James's identity. */
class SecretsCheckTest {

    @TempDir Path home;

    @Test
    void
            signDkimShouldNeedTheKeysOfItsDomainAndAlgorithmsOrEveryDkimKeyWhenItSignsForTheFromDomain()
                    throws Exception {
        TestDkmStore dkm = TestDkmStore.create(home.resolve("var/dkm"), "mail");
        assertThat(
                        CliRun.of(
                                        "dkim",
                                        "keygen",
                                        "mailsec.test",
                                        "--store",
                                        dkm.dir.toString(),
                                        "--identity",
                                        dkm.admin.toString(),
                                        "--group",
                                        "mail")
                                .exitCode)
                .isZero();
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(
                home.resolve("conf/dkm.properties"),
                "store=file:" + dkm.dir.resolve("data") + "\nidentity=" + dkm.transport + "\n");
        StringWriter out = new StringWriter();
        Report report = new Report(new PrintWriter(out));

        try (SecretsCheck check = new SecretsCheck(home, report, Optional.empty())) {
            check.check(
                    List.of(
                            Map.of(
                                    "class",
                                    "dev.mailsec.mailets.dkim.SignDkim",
                                    "processor",
                                    "relay",
                                    "algorithms",
                                    "both"),
                            Map.of(
                                    "class",
                                    "dev.mailsec.mailets.dkim.SignDkim",
                                    "processor",
                                    "outbound",
                                    "domain",
                                    "Other.test",
                                    "dkmConfig",
                                    "conf/dkm.properties"),
                            Map.of(
                                    "class",
                                    "dev.mailsec.mailets.dkim.SignDkim",
                                    "processor",
                                    "bad",
                                    "algorithms",
                                    "rsa-sha1")));
        }

        assertThat(out.toString().lines())
                .satisfiesExactly(
                        l ->
                                assertThat(l)
                                        .startsWith("ok dkm conf/dkm.properties: store file:")
                                        .endsWith(" reachable as james-transport (1 secrets)"),
                        l ->
                                assertThat(l)
                                        .isEqualTo(
                                                "ok secret dkim/mailsec.test (relay/SignDkim): readable by james-transport"),
                        l ->
                                assertThat(l)
                                        .isEqualTo(
                                                "error secret dkim/other.test (outbound/SignDkim): no such secret in DKM "
                                                        + "(dkm conf/dkm.properties)"));
    }
}
