package dev.mailsec.cli.rights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.cli.CliRun;
import dev.mailsec.cli.TestDkmStore;
import dev.mailsec.dkm.Dkm;
import dev.mailsec.rights.AccessEvent;
import dev.mailsec.rights.Channel;
import dev.mailsec.rights.DkmRightsKeyring;
import dev.mailsec.rights.EventType;
import dev.mailsec.rights.Protection;
import dev.mailsec.rights.RightsProtector;
import dev.mailsec.rights.RightsSettings;
import dev.mailsec.rights.RightsStore;
import dev.mailsec.rights.RightsTestMessages;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./mailsec rights ...} against a real DKM file store made with the CLI, as the runbook does
 * it.
 */
class RightsCommandTest {
    @TempDir Path tmp;
    Path store;
    Path admin;
    Path config;
    String out;
    String err;
    byte[] outBytes;
    String savedWorkingDirectory;

    int run(String... args) {
        CliRun r = CliRun.of(args);
        outBytes = r.outBytes;
        out = r.out;
        err = r.err;
        return r.exitCode;
    }

    void ok(String... args) {
        assertThat(run(args)).as("%s%n%s", out, err).isZero();
    }

    @BeforeEach
    void setUp() throws Exception {
        TestDkmStore dkm = TestDkmStore.create(tmp.resolve("dkm"), "rights");
        store = dkm.dir;
        admin = dkm.admin;
        Path conf = Files.createDirectories(tmp.resolve("conf"));
        Files.write(
                conf.resolve("dkm.properties"),
                ("store=file:"
                                + store.resolve("data")
                                + "\nidentity="
                                + store.resolve("credentials/james-transport.cred")
                                + "\ncacheTtl=PT0S\n")
                        .getBytes(StandardCharsets.UTF_8));
        config =
                Files.write(
                        conf.resolve("rights.xml"),
                        ("<rights><issuer>mailsec.test</issuer>"
                                        + "<store url=\"file://var/mailsec/rights\"/><templates>"
                                        + "<template name=\"confidential-30d\" rights=\"view,reply\" expiry=\"P30D\"/></templates></rights>")
                                .getBytes(StandardCharsets.UTF_8));
    }

    static String[] concat(String[] a, String... b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    String[] rights(String... args) {
        // as an operator outside James runs it: the James home, and rights.xml relative to it
        // (docs/paths.md)
        return concat(
                new String[] {"rights"},
                concat(args, "--james-home", tmp.toString(), "--config", "conf/rights.xml"));
    }

    @BeforeEach
    void saveWorkingDirectory() {
        savedWorkingDirectory = System.getProperty("working.directory");
        System.clearProperty(
                "working.directory"); // the commands find tmp through --james-home only
    }

    @AfterEach
    void restoreWorkingDirectory() {
        if (savedWorkingDirectory == null) {
            System.clearProperty("working.directory");
        } else {
            System.setProperty("working.directory", savedWorkingDirectory);
        }
    }

    Protection protect(byte[] raw) throws Exception {
        System.setProperty(
                "working.directory", tmp.toString()); // as inside James, whose home is tmp
        RightsSettings s = RightsSettings.load(config);
        try (Dkm dkm = Dkm.open(s.dkmConfig());
                RightsStore rs = RightsStore.open(s)) {
            return new RightsProtector(s, new DkmRightsKeyring(dkm, s), rs, Clock.systemUTC())
                    .protect(
                            new MimeMessage(
                                    Session.getInstance(new Properties()),
                                    new ByteArrayInputStream(raw)),
                            "alice@mailsec.test",
                            List.of("carol@external.test"),
                            s.template("do-not-forward"));
        }
    }

    @Test
    void initShouldCreateTheThreeSecretsOnceAndKeepThemOnASecondRun() {
        ok(
                rights(
                        "init",
                        "--store",
                        store.toString(),
                        "--identity",
                        admin.toString(),
                        "--group",
                        "rights"));
        assertThat(out)
                .contains(
                        "rights/content-key: created",
                        "rights/signing: created",
                        "rights/portal-session: created",
                        "rights store: ready");
        assertThat(tmp.resolve("var/mailsec/rights")).isDirectory();
        ok(
                rights(
                        "init",
                        "--store",
                        store.toString(),
                        "--identity",
                        admin.toString(),
                        "--group",
                        "rights"));
        assertThat(out)
                .contains("rights/content-key: exists, kept", "rights/signing: exists, kept");
        ok("dkm", "--store", store.toString(), "--identity", admin.toString(), "secret", "list");
        assertThat(out).contains("rights/content-key", "rights/signing", "rights/portal-session");
    }

    @Test
    void openLogAndRevokeShouldWorkOnAWrapperAndItsPackage() throws Exception {
        ok(
                rights(
                        "init",
                        "--store",
                        store.toString(),
                        "--identity",
                        admin.toString(),
                        "--group",
                        "rights"));
        byte[] raw =
                RightsTestMessages.multipart(
                        "alice@mailsec.test", "carol@external.test", "cli1@mailsec.test", "s");
        Protection p = protect(raw);
        ByteArrayOutputStream w = new ByteArrayOutputStream();
        p.wrapper().writeTo(w);
        Path wrapper = Files.write(tmp.resolve("wrapper.eml"), w.toByteArray());
        Path pkg = Files.write(tmp.resolve("message.mailsec"), p.pkg().encode());

        ok(rights("open", wrapper.toString(), "--reader", "carol@external.test"));
        assertThat(outBytes).isEqualTo(raw);
        ok(
                rights(
                        "open",
                        pkg.toString(),
                        "--reader",
                        "alice@mailsec.test",
                        "--out",
                        tmp.resolve("o.eml").toString()));
        assertThat(Files.readAllBytes(tmp.resolve("o.eml"))).isEqualTo(raw);

        assertThat(run(rights("open", wrapper.toString(), "--reader", "mallory@evil.test")))
                .isEqualTo(1);
        assertThat(err).contains("not a party").doesNotContain("Exception");

        ok(rights("log", "<cli1@mailsec.test>"));
        assertThat(out)
                .contains(
                        "licence " + p.licence().licenceId(),
                        "template do-not-forward (view,reply,reply-all)",
                        "TIME",
                        "EVENT",
                        "ADDRESS",
                        "CHANNEL",
                        "CLIENT",
                        "DETAIL");
        assertThat(out.lines().filter(l -> l.contains(" OPENED ")).count()).isEqualTo(2);
        assertThat(out).contains("OPEN_REFUSED", "mallory@evil.test", "NOT_A_PARTY", "cli ");
        // a portal forward (encrypt-only readers may forward) shows as FORWARDED with its
        // recipients
        try (RightsStore rs = RightsStore.open(RightsSettings.load(config))) {
            rs.log(
                    new AccessEvent(
                            Instant.now(),
                            p.licence().licenceId(),
                            "carol@external.test",
                            EventType.FORWARDED,
                            Channel.PORTAL,
                            "10.0.0.9",
                            "forwarded (protected) to dave@external.test"));
        }
        ok(rights("log", p.licence().licenceId()));
        assertThat(out.lines().filter(l -> l.contains(" FORWARDED ")).findFirst())
                .hasValueSatisfying(
                        l ->
                                assertThat(l)
                                        .contains(
                                                "carol@external.test",
                                                "portal",
                                                "10.0.0.9",
                                                "dave@external.test"));

        ok(
                rights(
                        "revoke",
                        "cli1@mailsec.test",
                        "--reason",
                        "sent to the wrong list",
                        "--by",
                        "alice@mailsec.test"));
        assertThat(out).contains(p.licence().licenceId(), "revoked");
        assertThat(run(rights("open", wrapper.toString(), "--reader", "carol@external.test")))
                .isEqualTo(1);
        assertThat(err).contains("revoked");
        assertThat(out).isEmpty();
        ok(rights("log", p.licence().licenceId()));
        assertThat(out).contains("REVOKED", "sent to the wrong list", "alice@mailsec.test");
        // a sender's sign-ins to the portal's sender pages have a log of their own
        String senderLog = RightsStore.senderLogId("alice@mailsec.test");
        try (RightsStore rs = RightsStore.open(RightsSettings.load(config))) {
            rs.log(
                    new AccessEvent(
                            Instant.now(),
                            senderLog,
                            "alice@mailsec.test",
                            EventType.SENDER_LISTED,
                            Channel.PORTAL,
                            "10.0.0.7",
                            "page 1 of 1"));
        }
        ok(rights("log", senderLog));
        assertThat(out).contains("sender pages sign-ins", "SENDER_LISTED", "10.0.0.7");

        ok(rights("revoke", "cli1@mailsec.test"));
        assertThat(out).contains("(already revoked)");
        assertThat(run(rights("revoke", "unknown@mailsec.test"))).isEqualTo(1);
        assertThat(err).contains("no protected message");
    }

    @Test
    void openShouldRefuseATamperedOrUnprotectedFile() throws Exception {
        ok(
                rights(
                        "init",
                        "--store",
                        store.toString(),
                        "--identity",
                        admin.toString(),
                        "--group",
                        "rights"));
        Protection p =
                protect(
                        RightsTestMessages.multipart(
                                "alice@mailsec.test",
                                "carol@external.test",
                                "cli2@mailsec.test",
                                "s"));
        String json = new String(p.pkg().encode(), StandardCharsets.US_ASCII);
        Path bad =
                Files.write(
                        tmp.resolve("bad.mailsec"),
                        json.replace("\"content\":\"ey", "\"content\":\"ez")
                                .getBytes(StandardCharsets.US_ASCII));
        assertThat(run(rights("open", bad.toString(), "--reader", "carol@external.test")))
                .isEqualTo(1);
        assertThat(err).contains("refused");
        Path plain =
                Files.write(
                        tmp.resolve("plain.eml"),
                        "From: a@b.test\r\nSubject: x\r\n\r\nhi\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
        assertThat(run(rights("open", plain.toString(), "--reader", "carol@external.test")))
                .isEqualTo(1);
        assertThat(err).contains("not rights-protected");
    }

    @Test
    void templatesShouldListBuiltInAndConfiguredTemplates() {
        ok(rights("templates"));
        assertThat(out)
                .contains(
                        "encrypt-only",
                        "view,reply,reply-all,forward,print,extract",
                        "do-not-forward",
                        "confidential-30d",
                        "P30D");
    }

    @Test
    void aBadConfigurationShouldFailWithOneLineNamingTheValue() throws Exception {
        Files.write(
                config,
                "<rights><issuer>mailsec.test</issuer><subject mode=\"hide\"/></rights>"
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(run(rights("templates"))).isEqualTo(2);
        assertThat(err).contains("<subject> mode", "'hide'");
        assertThat(err.lines().count()).isEqualTo(1);
        assertThat(run("rights", "templates", "--config", tmp.resolve("none.xml").toString()))
                .isEqualTo(2);
        assertThat(err).contains("no rights configuration");
    }
}
