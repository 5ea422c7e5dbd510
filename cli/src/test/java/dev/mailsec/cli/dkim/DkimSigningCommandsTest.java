package dev.mailsec.cli.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.cli.CliRun;
import dev.mailsec.cli.TestDkmStore;
import dev.mailsec.dkim.DkimPolicy;
import dev.mailsec.dkim.DkimResult;
import dev.mailsec.dkim.DkimSignatureResult;
import dev.mailsec.dkim.DkimVerifier;
import dev.mailsec.dkim.ZoneFileKeyRecordSource;
import dev.mailsec.dkim.sign.KeyRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./mailsec dkim keygen|rotate|sign} against a real DKM file store, as the runbook does it.
 */
class DkimSigningCommandsTest {
    private static final Pattern RECORD =
            Pattern.compile("(?m)^\\S+\\._domainkey\\.\\S+\\. IN TXT .*$");

    @TempDir Path tmp;
    Path store;
    Path admin;
    Path transport;
    Path message;
    String out;
    String err;
    final List<String> zone = new ArrayList<>();

    int run(String... args) {
        CliRun r = CliRun.of(args);
        out = r.out;
        err = r.err;
        return r.exitCode;
    }

    void ok(String... args) {
        assertThat(run(args)).as("%s%n%s", out, err).isZero();
    }

    @BeforeEach
    void setUp() throws Exception {
        TestDkmStore dkm = TestDkmStore.create(tmp.resolve("dkm"), "mail");
        store = dkm.dir;
        admin = dkm.admin;
        transport = dkm.transport;
        message =
                Files.write(
                        tmp.resolve("m.eml"),
                        ("From: Alice <alice@mailsec.test>\r\nTo: bob@example.org\r\n"
                                        + "Subject: hi\r\n\r\nHello.\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
    }

    String record() {
        Matcher m = RECORD.matcher(out);
        assertThat(m.find()).as(out).isTrue();
        zone.add(m.group());
        return m.group();
    }

    DkimSignatureResult signAndVerify() {
        ok(
                "dkim",
                "sign",
                "--store",
                store.toString(),
                "--identity",
                transport.toString(),
                "--secret",
                "dkim/mailsec.test",
                message.toString());
        List<DkimSignatureResult> r =
                new DkimVerifier(
                                ZoneFileKeyRecordSource.parse(String.join("\n", zone), "zone"),
                                DkimPolicy.defaults())
                        .verify(out.getBytes(StandardCharsets.ISO_8859_1))
                        .results();
        assertThat(r).hasSize(1);
        return r.get(0);
    }

    @Test
    void keygenRotatePromoteShouldChangeTheSelectorOnlyAfterPromotion() {
        ok(
                "dkim",
                "keygen",
                "mailsec.test",
                "--store",
                store.toString(),
                "--identity",
                admin.toString(),
                "--group",
                "mail");
        assertThat(record())
                .startsWith("rsa-v1._domainkey.mailsec.test. IN TXT \"v=DKIM1; k=rsa; p=");
        DkimSignatureResult first = signAndVerify();
        assertThat(first.result()).isEqualTo(DkimResult.PASS);
        assertThat(first.selector()).isEqualTo("rsa-v1");

        ok(
                "dkim",
                "rotate",
                "mailsec.test",
                "--store",
                store.toString(),
                "--identity",
                admin.toString());
        assertThat(record()).startsWith("rsa-v2._domainkey.mailsec.test.");
        assertThat(out).contains("secret promote dkim/mailsec.test 2");
        assertThat(signAndVerify().selector()).isEqualTo("rsa-v1");

        ok(
                "dkm",
                "--store",
                store.toString(),
                "--identity",
                admin.toString(),
                "secret",
                "promote",
                "dkim/mailsec.test",
                "2");
        DkimSignatureResult after = signAndVerify();
        assertThat(after.selector()).isEqualTo("rsa-v2");
        assertThat(after.result()).isEqualTo(DkimResult.PASS);

        ok(
                "dkim",
                "rotate",
                "mailsec.test",
                "--records",
                "--store",
                store.toString(),
                "--identity",
                transport.toString());
        assertThat(out)
                .contains("; dkim/mailsec.test v1 ARCHIVED\n" + zone.get(0) + "\n")
                .contains("; dkim/mailsec.test v2 PRIMARY\n" + zone.get(1) + "\n");
    }

    @Test
    void ed25519KeygenShouldPrintARawKeyRecord() {
        ok(
                "dkim",
                "keygen",
                "mailsec.test",
                "--algorithm",
                "ed25519",
                "--store",
                store.toString(),
                "--identity",
                admin.toString(),
                "--group",
                "mail");
        assertThat(record())
                .matches(
                        "ed25519-v1\\._domainkey\\.mailsec\\.test\\. IN TXT \"v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{43}=\"");
        ok(
                "dkim",
                "sign",
                "--store",
                store.toString(),
                "--identity",
                transport.toString(),
                "--secret",
                "dkim/mailsec.test/ed25519",
                message.toString());
        assertThat(out).startsWith("DKIM-Signature: v=1; a=ed25519-sha256;");
    }

    @Test
    void signWithPemKeyShouldVerify() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair kp = g.generateKeyPair();
        Path pem =
                Files.write(
                        tmp.resolve("k.pem"),
                        ("-----BEGIN PRIVATE KEY-----\n"
                                        + Base64.getMimeEncoder()
                                                .encodeToString(kp.getPrivate().getEncoded())
                                        + "\n-----END PRIVATE KEY-----\n")
                                .getBytes(StandardCharsets.US_ASCII));
        ok(
                "dkim",
                "sign",
                "--key",
                pem.toString(),
                "--domain",
                "mailsec.test",
                "--selector",
                "s1",
                message.toString());
        String zoneText = KeyRecords.zoneLine("s1", "mailsec.test", kp.getPublic());
        assertThat(
                        new DkimVerifier(
                                        ZoneFileKeyRecordSource.parse(zoneText, "z"),
                                        DkimPolicy.defaults())
                                .verify(out.getBytes(StandardCharsets.ISO_8859_1))
                                .results()
                                .get(0)
                                .result())
                .isEqualTo(DkimResult.PASS);
    }

    @Test
    void mistakesShouldGiveOneLineAndNonZeroExit() {
        assertThat(
                        run(
                                "dkim",
                                "keygen",
                                "not a domain",
                                "--store",
                                store.toString(),
                                "--identity",
                                admin.toString(),
                                "--group",
                                "mail"))
                .isEqualTo(2);
        assertThat(err).contains("DOMAIN");
        assertThat(
                        run(
                                "dkim",
                                "keygen",
                                "mailsec.test",
                                "--store",
                                store.toString(),
                                "--identity",
                                admin.toString()))
                .isNotZero();
        assertThat(err).contains("--group");
        assertThat(
                        run(
                                "dkim",
                                "keygen",
                                "mailsec.test",
                                "--algorithm",
                                "dsa",
                                "--store",
                                store.toString(),
                                "--identity",
                                admin.toString(),
                                "--group",
                                "mail"))
                .isEqualTo(2);
        assertThat(err).contains("--algorithm");
        // the admin manages keys but cannot read them
        ok(
                "dkim",
                "keygen",
                "mailsec.test",
                "--store",
                store.toString(),
                "--identity",
                admin.toString(),
                "--group",
                "mail");
        assertThat(
                        run(
                                "dkim",
                                "sign",
                                "--store",
                                store.toString(),
                                "--identity",
                                admin.toString(),
                                "--secret",
                                "dkim/mailsec.test",
                                message.toString()))
                .isEqualTo(1);
        assertThat(err).contains("refused:").doesNotContain("Exception");
        assertThat(
                        run(
                                "dkim",
                                "sign",
                                "--key",
                                tmp.resolve("nope.pem").toString(),
                                "--domain",
                                "mailsec.test",
                                "--selector",
                                "s1",
                                message.toString()))
                .isEqualTo(2);
    }
}
