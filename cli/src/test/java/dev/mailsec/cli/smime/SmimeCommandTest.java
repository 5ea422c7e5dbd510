package dev.mailsec.cli.smime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.cli.MailsecCommand;
import dev.mailsec.cli.UserException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line against files made by openssl, and its output checked by openssl. */
class SmimeCommandTest {

    @TempDir static Path dir;

    static final String MESSAGE =
            "From: alice@example.test\r\nTo: bob@example.test\r\nSubject: cli\r\nMIME-Version: 1.0\r\n"
                    + "Content-Type: text/plain; charset=us-ascii\r\n\r\nhello from the command line\r\n";

    static void sh(String command) throws Exception {
        Process p =
                new ProcessBuilder("sh", "-c", command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(command + "\n" + out).isZero();
    }

    @BeforeAll
    static void pki() throws Exception {
        sh(
                "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -subj /CN=CliCA -days 2 -out ca.pem "
                        + "-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign");
        for (String name : new String[] {"alice", "bob", "bob2"}) {
            String mail = name.replace("2", "");
            sh(
                    "openssl req -newkey rsa:2048 -nodes -keyout "
                            + name
                            + ".key -subj /CN="
                            + name
                            + " -out "
                            + name
                            + ".csr");
            sh(
                    "printf 'subjectAltName=email:"
                            + mail
                            + "@example.test\\nkeyUsage=digitalSignature,keyEncipherment\\n"
                            + "extendedKeyUsage=emailProtection\\n' > "
                            + name
                            + ".ext");
            sh(
                    "openssl x509 -req -in "
                            + name
                            + ".csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out "
                            + name
                            + ".crt -extfile "
                            + name
                            + ".ext");
        }
        Files.writeString(dir.resolve("message.eml"), MESSAGE);
    }

    static final class Run {
        int exit;
        byte[] stdout;
        String out;
        String err;
    }

    static Run run(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Run r = new Run();
        try {
            System.setOut(new PrintStream(bytes, true));
            CommandLine cl = new CommandLine(new SmimeCommand());
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            cl.setExecutionExceptionHandler(
                    (ex, cmd, parse) -> {
                        cmd.getErr().println(ex.getMessage());
                        return ex instanceof UserException ? ((UserException) ex).exitCode() : 1;
                    });
            r.exit = cl.execute(args);
        } finally {
            System.setOut(saved);
        }
        r.stdout = bytes.toByteArray();
        r.out = out.toString();
        r.err = err.toString();
        return r;
    }

    private static String p(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void signThenVerifyPassesAndOpensslAgrees() throws Exception {
        Run signed =
                run("sign", p("message.eml"), "--key", p("alice.key"), "--cert", p("alice.crt"));
        assertThat(signed.exit).as(signed.err).isZero();
        Files.write(dir.resolve("signed.eml"), signed.stdout);
        sh("openssl cms -verify -in signed.eml -CAfile ca.pem -out /dev/null");

        Run verified = run("verify", p("signed.eml"), "--cert", p("ca.pem"));
        assertThat(verified.exit).isZero();
        assertThat(verified.out).startsWith("smime=pass body.smime-identifier=alice@example.test");

        Files.writeString(
                dir.resolve("tampered.eml"),
                new String(signed.stdout, StandardCharsets.US_ASCII).replace("hello", "HELLO"));
        Run tampered = run("verify", p("tampered.eml"), "--cert", p("ca.pem"));
        assertThat(tampered.exit).isEqualTo(1);
        assertThat(tampered.out).startsWith("smime=fail");
    }

    @Test
    void signReencodesEightBitBodiesUnlessToldToKeepThem() throws Exception {
        Files.write(
                dir.resolve("8bit.eml"),
                ("From: alice@example.test\r\nTo: bob@example.test\r\nSubject: 8bit\r\n"
                                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                                + "Gr\u00fc\u00dfe\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        Run converted =
                run("sign", p("8bit.eml"), "--key", p("alice.key"), "--cert", p("alice.crt"));
        assertThat(converted.exit).as(converted.err).isZero();
        assertThat(new String(converted.stdout, StandardCharsets.ISO_8859_1))
                .contains("Content-Transfer-Encoding: quoted-printable")
                .contains("Gr=C3=BC=C3=9Fe");
        Files.write(dir.resolve("8bit-signed.eml"), converted.stdout);
        sh("openssl cms -verify -in 8bit-signed.eml -CAfile ca.pem -out /dev/null");
        Run kept =
                run(
                        "sign",
                        p("8bit.eml"),
                        "--key",
                        p("alice.key"),
                        "--cert",
                        p("alice.crt"),
                        "--keep-8bit");
        assertThat(kept.exit).as(kept.err).isZero();
        assertThat(new String(kept.stdout, StandardCharsets.ISO_8859_1))
                .contains("Content-Transfer-Encoding: 8bit")
                .doesNotContain("quoted-printable");
    }

    @Test
    void encryptThenDecryptRestoresTheMessageAndOpensslCanDecrypt() throws Exception {
        Run encrypted =
                run(
                        "encrypt",
                        p("message.eml"),
                        "--cert",
                        p("bob.crt"),
                        "--cipher",
                        "aes256-gcm",
                        "--key-transport",
                        "rsa-oaep");
        assertThat(encrypted.exit).as(encrypted.err).isZero();
        Files.write(dir.resolve("encrypted.eml"), encrypted.stdout);
        sh(
                "openssl cms -decrypt -in encrypted.eml -recip bob.crt -inkey bob.key -out openssl-plain.txt");

        Run decrypted =
                run(
                        "decrypt",
                        p("encrypted.eml"),
                        "--key",
                        p("alice.key"),
                        "--cert",
                        p("alice.crt"),
                        "--key",
                        p("bob.key"),
                        "--cert",
                        p("bob.crt"));
        assertThat(decrypted.exit).as(decrypted.err).isZero();
        assertThat(new String(decrypted.stdout, StandardCharsets.US_ASCII)).isEqualTo(MESSAGE);
        assertThat(decrypted.err).contains("key=bob.key content=aes256-gcm transport=rsa-oaep");
    }

    /** Runs {@code mailsec dkm --store STORE ...} with stdin, as an operator would. */
    static String dkm(Path store, String stdin, String... args) {
        InputStream oldIn = System.in;
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code;
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            List<String> all = new ArrayList<>(List.of("dkm", "--store", store.toString()));
            all.addAll(List.of(args));
            code = MailsecCommand.execute(all.toArray(new String[0]));
        } finally {
            System.setIn(oldIn);
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        assertThat(code).as(String.join(" ", args) + ": " + o + e).isZero();
        return o.toString(StandardCharsets.UTF_8);
    }

    @Test
    void signAndDecryptWithKeysFromDkmIncludingAnArchivedVersion() throws Exception {
        Path store = dir.resolve("dkm");
        String init = dkm(store, "", "init");
        Matcher m = Pattern.compile("admin credential: (\\S+)").matcher(init);
        assertThat(m.find()).isTrue();
        String admin = m.group(1);
        dkm(store, "", "identity", "create", "james", "--identity", admin);
        dkm(store, "", "group", "create", "mail", "--identity", admin);
        dkm(store, "", "group", "add", "mail", "james", "--identity", admin);
        String alicePem =
                Files.readString(dir.resolve("alice.key"))
                        + Files.readString(dir.resolve("alice.crt"));
        dkm(
                store,
                alicePem,
                "secret",
                "put",
                "smime/alice@example.test",
                "--group",
                "mail",
                "--kind",
                "KEY_PAIR",
                "--identity",
                admin);
        String bobPem =
                Files.readString(dir.resolve("bob.key")) + Files.readString(dir.resolve("bob.crt"));
        dkm(
                store,
                bobPem,
                "secret",
                "put",
                "smime/bob@example.test",
                "--group",
                "mail",
                "--kind",
                "KEY_PAIR",
                "--identity",
                admin);
        String james = store.resolve("credentials").resolve("james.cred").toString();
        String bob2Pem =
                Files.readString(dir.resolve("bob2.key"))
                        + Files.readString(dir.resolve("bob2.crt"));
        dkm(
                store,
                bob2Pem,
                "secret",
                "rotate",
                "smime/bob@example.test",
                "--stdin",
                "--identity",
                james);
        String properties = store.resolve("dkm.properties").toString();

        Run signed =
                run(
                        "sign",
                        p("message.eml"),
                        "--secret",
                        "smime/alice@example.test",
                        "--dkm",
                        properties,
                        "--identity",
                        james);
        assertThat(signed.exit).as(signed.err).isZero();
        Files.write(dir.resolve("dkm-signed.eml"), signed.stdout);
        assertThat(run("verify", p("dkm-signed.eml"), "--cert", p("ca.pem")).out)
                .startsWith("smime=pass");

        Run encrypted = run("encrypt", p("message.eml"), "--cert", p("bob.crt"));
        Files.write(dir.resolve("dkm-enc.eml"), encrypted.stdout);
        Run decrypted =
                run(
                        "decrypt",
                        p("dkm-enc.eml"),
                        "--secret",
                        "smime/bob@example.test",
                        "--dkm",
                        properties,
                        "--identity",
                        james);
        assertThat(decrypted.exit).as(decrypted.err).isZero();
        assertThat(new String(decrypted.stdout, StandardCharsets.US_ASCII)).isEqualTo(MESSAGE);
        assertThat(decrypted.err).contains("key=smime/bob@example.test v1");

        Run noIdentity =
                run(
                        "sign",
                        p("message.eml"),
                        "--secret",
                        "smime/alice@example.test",
                        "--dkm",
                        properties);
        assertThat(noIdentity.exit).isNotZero();
        assertThat(noIdentity.err).contains("--identity");

        // verify binds to the LDAP server of --crl-ldap-url with a password from DKM
        dkm(
                store,
                "ldap-Pa55word\n",
                "secret",
                "put",
                "ldap/crl",
                "--group",
                "mail",
                "--identity",
                admin);
        String[] verify = {
            "verify",
            p("dkm-signed.eml"),
            "--cert",
            p("ca.pem"),
            "--check-revocation",
            "--crl-ldap-url",
            "ldap://127.0.0.1:1"
        };
        Run bound =
                run(
                        concat(
                                verify,
                                "--crl-ldap-bind-dn",
                                "cn=mailsec,dc=example,dc=test",
                                "--crl-ldap-password-secret",
                                "ldap/crl",
                                "--dkm",
                                properties,
                                "--identity",
                                james));
        Run unbound = run(verify);
        assertThat(bound.exit).as(bound.err).isEqualTo(unbound.exit);
        assertThat(bound.out).isEqualTo(unbound.out);
        Run missing =
                run(
                        concat(
                                verify,
                                "--crl-ldap-bind-dn",
                                "cn=mailsec,dc=example,dc=test",
                                "--crl-ldap-password-secret",
                                "ldap/nobody",
                                "--dkm",
                                properties,
                                "--identity",
                                james));
        assertThat(missing.exit).as(missing.err).isEqualTo(2);
        assertThat(missing.err).contains("--crl-ldap-password-secret: 'ldap/nobody'");
        Run noSecret = run(concat(verify, "--crl-ldap-bind-dn", "cn=mailsec,dc=example,dc=test"));
        assertThat(noSecret.exit).isEqualTo(2);
        assertThat(noSecret.err).contains("--crl-ldap-bind-dn: needs --crl-ldap-password-secret");
        Run noUrl =
                run(
                        "verify",
                        p("dkm-signed.eml"),
                        "--cert",
                        p("ca.pem"),
                        "--check-revocation",
                        "--crl-ldap-bind-dn",
                        "cn=mailsec,dc=example,dc=test",
                        "--crl-ldap-password-secret",
                        "ldap/crl",
                        "--dkm",
                        properties,
                        "--identity",
                        james);
        assertThat(noUrl.exit).isEqualTo(2);
        assertThat(noUrl.err).contains("--crl-ldap-bind-dn: needs --crl-ldap-url");
        assertThat(bound.err + missing.err + noSecret.err + noUrl.err)
                .doesNotContain("ldap-Pa55word");
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void badInputEndsWithOneLineAndNonZeroExit() throws Exception {
        Run wrongKey =
                run("decrypt", p("message.eml"), "--key", p("bob.key"), "--cert", p("bob.crt"));
        assertThat(wrongKey.exit).isNotZero();
        assertThat(wrongKey.err.trim()).contains("NOT_SMIME").doesNotContain("\n");
        Run mismatch =
                run("sign", p("message.eml"), "--key", p("bob.key"), "--cert", p("alice.crt"));
        assertThat(mismatch.exit).isNotZero();
        assertThat(mismatch.err).contains("does not belong to the key");
        Run badCipher = run("encrypt", p("message.eml"), "--cert", p("bob.crt"), "--cipher", "rc2");
        assertThat(badCipher.exit).isNotZero();
        assertThat(badCipher.err).contains("rc2");
        assertThat(wrongKey.err + mismatch.err).doesNotContain("PRIVATE KEY");
    }
}
