package dev.mailsec.cli.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.cli.CliRun;
import dev.mailsec.cli.TestDkmStore;
import dev.mailsec.dkim.ZoneFileKeyRecordSource;
import dev.mailsec.dkm.SecretHandle;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DKIM keys in a real DKM store (made with the CLI) against the records of a zone, through a
 * DkmSession.
 */
class DkimRecordCheckTest {
    private static final Pattern RECORD =
            Pattern.compile("(?m)^\\S+\\._domainkey\\.\\S+\\. IN TXT .*$");

    @TempDir Path tmp;
    TestDkmStore dkm;
    Path properties;
    final List<String> published = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        dkm = TestDkmStore.create(tmp.resolve("dkm"), "mail");
        properties =
                Files.writeString(
                        tmp.resolve("dkm.properties"),
                        "store=file:"
                                + dkm.dir.resolve("data")
                                + "\nidentity="
                                + dkm.transport
                                + "\n");
        published.add(
                record(
                        "dkim",
                        "keygen",
                        "mailsec.test",
                        "--store",
                        dkm.dir.toString(),
                        "--identity",
                        dkm.admin.toString(),
                        "--group",
                        "mail"));
    }

    private String record(String... args) {
        CliRun r = CliRun.of(args);
        assertThat(r.exitCode).as(r.err).isZero();
        Matcher m = RECORD.matcher(r.out);
        assertThat(m.find()).as(r.out).isTrue();
        return m.group();
    }

    private String check(List<String> zone) {
        StringWriter out = new StringWriter();
        Report report = new Report(new PrintWriter(out));
        try (DkmSession session =
                DkmSession.open(properties, "dkm.properties", report).orElseThrow()) {
            SecretHandle key =
                    session.read("dkim/mailsec.test", "relay/SignDkim", report).orElseThrow();
            new DkimRecordCheck(
                            ZoneFileKeyRecordSource.parse(String.join("\n", zone), "zone"), "zone")
                    .check("mailsec.test", key, report);
        }
        return out.toString();
    }

    @Test
    void aPublishedPrimaryShouldPass() {
        assertThat(check(published))
                .contains(
                        "ok dkm dkm.properties: store file:"
                                + dkm.dir.resolve("data")
                                + " reachable as james-transport (1 secrets)\n",
                        "ok secret dkim/mailsec.test (relay/SignDkim): readable by james-transport\n",
                        "ok dkim rsa-v1._domainkey.mailsec.test (dkim/mailsec.test version 1, primary): published in zone, "
                                + "matches the key\n");
    }

    @Test
    void aRolledOverKeyShouldBeAnErrorUntilItsSelectorIsPublishedThenTheOldOneOnlyAWarning() {
        String next =
                record(
                        "dkim",
                        "rotate",
                        "mailsec.test",
                        "--store",
                        dkm.dir.toString(),
                        "--identity",
                        dkm.admin.toString());

        assertThat(check(published))
                .contains(
                        "error dkim rsa-v2._domainkey.mailsec.test (dkim/mailsec.test version 2, "
                                + "not promoted yet): not published in zone; publish: "
                                + next
                                + " (before promoting this version)");

        published.add(next);
        assertThat(check(published)).doesNotContain("error ");

        assertThat(CliRun.of(dkm.asAdmin("secret", "promote", "dkim/mailsec.test", "2")).exitCode)
                .isZero();
        published.remove(0);
        assertThat(check(published))
                .contains(
                        "warn dkim rsa-v1._domainkey.mailsec.test (dkim/mailsec.test version 1, archived): not published")
                .contains(
                        "ok dkim rsa-v2._domainkey.mailsec.test (dkim/mailsec.test version 2, primary): published")
                .doesNotContain("error ");
    }

    @Test
    void aRecordOfAnotherKeyShouldBeAnError() {
        String other =
                record(
                        "dkim",
                        "keygen",
                        "other.test",
                        "--store",
                        dkm.dir.toString(),
                        "--identity",
                        dkm.admin.toString(),
                        "--group",
                        "mail");

        String out = check(List.of(other.replace("other.test", "mailsec.test")));

        assertThat(out)
                .contains(
                        "error dkim rsa-v1._domainkey.mailsec.test (dkim/mailsec.test version 1, primary): "
                                + "the record in zone does not match the key in DKM; publish: "
                                + published.get(0));
    }

    @Test
    void aSecretTheIdentityCannotReadOrThatDoesNotExistShouldBeNamed() {
        assertThat(CliRun.of(dkm.asAdmin("group", "create", "other")).exitCode).isZero();
        assertThat(
                        CliRun.of(
                                        "dkim",
                                        "keygen",
                                        "other.test",
                                        "--store",
                                        dkm.dir.toString(),
                                        "--identity",
                                        dkm.admin.toString(),
                                        "--group",
                                        "other")
                                .exitCode)
                .isZero();
        StringWriter out = new StringWriter();
        Report report = new Report(new PrintWriter(out));
        try (DkmSession session =
                DkmSession.open(properties, "dkm.properties", report).orElseThrow()) {
            assertThat(session.read("dkim/other.test", "relay/SignDkim", report)).isEmpty();
            assertThat(session.read("dkim/nowhere.test", "relay/SignDkim", report)).isEmpty();
        }
        assertThat(out.toString())
                .contains(
                        "error secret dkim/other.test (relay/SignDkim): not readable by james-transport: ")
                .contains(
                        "error secret dkim/nowhere.test (relay/SignDkim): no such secret in DKM (dkm dkm.properties)");
        assertThat(report.errors()).isEqualTo(2);
    }

    @Test
    void anUnreachableStoreShouldBeAnError() throws Exception {
        Files.writeString(
                properties,
                "store=file:" + tmp.resolve("nowhere") + "\nidentity=" + dkm.transport + "\n");
        StringWriter out = new StringWriter();
        Report report = new Report(new PrintWriter(out));

        assertThat(DkmSession.open(properties, "dkm.properties", report)).isEmpty();
        assertThat(out.toString()).startsWith("error dkm dkm.properties: ");
    }
}
