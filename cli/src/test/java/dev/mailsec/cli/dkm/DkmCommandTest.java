package dev.mailsec.cli.dkm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.cli.MailsecCommand;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code ./mailsec dkm ...} in-process, as an operator would, with captured
 * stdin/stdout/stderr.
 */
class DkmCommandTest {
    @TempDir Path tmp;
    Path store;
    String admin;
    String out;
    String err;

    int runWithInput(String stdin, String... args) {
        InputStream oldIn = System.in;
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            List<String> all = new ArrayList<>(List.of("dkm", "--store", store.toString()));
            all.addAll(List.of(args));
            return MailsecCommand.execute(all.toArray(new String[0]));
        } finally {
            System.setIn(oldIn);
            System.setOut(oldOut);
            System.setErr(oldErr);
            out = o.toString(StandardCharsets.UTF_8);
            err = e.toString(StandardCharsets.UTF_8);
        }
    }

    int run(String... args) {
        return runWithInput("", args);
    }

    String cred(String name) {
        return store.resolve("credentials").resolve(name + ".cred").toString();
    }

    void assertRefusedWithOneLine(int code, String... fragments) {
        assertThat(code).as(out + err).isNotZero();
        assertThat(err.trim()).doesNotContain("\n").contains(fragments);
    }

    @BeforeEach
    void init() {
        store = tmp.resolve("dkm");
        assertThat(run("init")).as(err).isZero();
        Matcher m = Pattern.compile("admin credential: (\\S+)").matcher(out);
        assertThat(m.find()).isTrue();
        admin = m.group(1);
        assertThat(admin).isEqualTo(cred("admin"));
        assertThat(run("identity", "create", "james", "--identity", admin)).as(err).isZero();
        assertThat(out).contains("credential: " + cred("james"));
        assertThat(run("identity", "create", "alice", "--person", "--identity", admin)).isZero();
        assertThat(run("identity", "create", "bob", "--person", "--admin", "--identity", admin))
                .isZero();
        assertThat(run("group", "create", "mail", "--identity", admin)).isZero();
        assertThat(run("group", "add", "mail", "james", "--identity", admin)).as(err).isZero();
    }

    @Test
    void initShouldCreateOwnerOnlyRootKeyAndRefuseASecondInit() throws Exception {
        assertThat(
                        PosixFilePermissions.toString(
                                Files.getPosixFilePermissions(
                                        tmp.resolve("dkm-root-keys").resolve("root-1.key"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(admin))))
                .isEqualTo("rw-------");
        assertRefusedWithOneLine(run("init"), "already holds a DKM");
    }

    @Test
    void initShouldKeepTheRootKeyOutsideTheDkmDirectoryAndWarnAboutOneInside() throws Exception {
        // issue 13: a copy of the DKM directory must not carry the key that unwraps it
        assertThat(Files.exists(store.resolve("root-keys"))).isFalse();
        assertThat(Files.readString(store.resolve("dkm.properties")))
                .contains(
                        "rootKey=file:"
                                + tmp.resolve("dkm-root-keys").toAbsolutePath().normalize());
        // a store made before the default moved: keys inside, named relatively; it still works,
        // with a warning
        Files.move(tmp.resolve("dkm-root-keys"), store.resolve("root-keys"));
        Path props = store.resolve("dkm.properties");
        Files.writeString(
                props,
                Files.readString(props).replaceAll("rootKey=file:.*", "rootKey=file:root-keys"));
        assertThat(run("secret", "list", "--identity", admin)).as(err).isZero();
        assertThat(err)
                .contains("warning: the root key directory")
                .contains("inside the DKM directory");
    }

    @Test
    void aCorruptShardShouldExitAsAnIntegrityFailureNotAsTemporary() throws Exception {
        // issue 13: this exited 75 ("temporarily unavailable, retry"), which no retry can mend
        try (Stream<Path> files = Files.list(store.resolve("data"))) {
            for (Path p :
                    (Iterable<Path>)
                            files.filter(f -> f.getFileName().toString().startsWith("shard-"))
                                    ::iterator) {
                byte[] b = Files.readAllBytes(p);
                b[0] = 'X';
                Files.write(p, b);
            }
        }
        assertRefusedWithOneLine(
                run("secret", "list", "--identity", admin),
                "integrity failure",
                "bad shard header");
        assertThat(run("secret", "list", "--identity", admin)).isEqualTo(1);
    }

    @Test
    void aStoreWrittenByANewerMailsecShouldExitRefusedNotTemporaryAndStayUntouched()
            throws Exception {
        Path marker = store.resolve("data/dkm-store");
        Files.write(
                marker, "mailsec DKM file store, format 2\n".getBytes(StandardCharsets.US_ASCII));
        assertRefusedWithOneLine(
                run("secret", "list", "--identity", admin),
                "is format 2, written by a newer mailsec",
                "upgrade mailsec (the store is left untouched)");
        assertThat(err).doesNotContain("temporarily unavailable");
        assertThat(run("secret", "list", "--identity", admin)).isEqualTo(1);
        assertThat(Files.readString(marker)).isEqualTo("mailsec DKM file store, format 2\n");
    }

    @Test
    void secretLifecycleShouldWorkEndToEnd() {
        assertThat(
                        runWithInput(
                                "pw-1\n",
                                "secret",
                                "put",
                                "account/alice/imap",
                                "--group",
                                "mail",
                                "--identity",
                                admin))
                .as(err)
                .isZero();
        assertThat(run("secret", "get", "account/alice/imap", "--identity", cred("james")))
                .as(err)
                .isZero();
        assertThat(out).isEqualTo("pw-1");

        assertThat(
                        runWithInput(
                                "pw-2\n",
                                "secret",
                                "rotate",
                                "account/alice/imap",
                                "--identity",
                                cred("james")))
                .isZero();
        assertThat(out).contains("version 2 added");
        run("secret", "get", "account/alice/imap", "--identity", cred("james"));
        assertThat(out).isEqualTo("pw-1");
        assertThat(run("secret", "promote", "account/alice/imap", "2", "--identity", cred("james")))
                .isZero();
        run("secret", "get", "account/alice/imap", "--identity", cred("james"));
        assertThat(out).isEqualTo("pw-2");
        run("secret", "get", "account/alice/imap", "--version", "1", "--identity", cred("james"));
        assertThat(out).isEqualTo("pw-1");

        assertThat(run("secret", "list", "--identity", admin)).isZero();
        assertThat(out)
                .contains("account/alice/imap\tOPAQUE\tmail\tv1=ARCHIVED\tv2=PRIMARY")
                .doesNotContain("pw-");
    }

    @Test
    void refusalsAndBadInputShouldExitNonZeroWithOneLine() {
        runWithInput("pw\n", "secret", "put", "s", "--group", "mail", "--identity", admin);
        assertRefusedWithOneLine(
                run("secret", "get", "s", "--identity", admin), "refused", "no approved");
        assertRefusedWithOneLine(run("secret", "get", "s"), "--identity: required");
        assertRefusedWithOneLine(
                run("secret", "get", "nope", "--identity", cred("james")), "no such secret");
        assertThat(run("secret", "get", "nope", "--identity", cred("james"))).isEqualTo(2);
        assertRefusedWithOneLine(
                run("secret", "get", "s", "--version", "9", "--identity", cred("james")),
                "no readable version 9");
        assertRefusedWithOneLine(
                run("group", "add", "mail", "alice", "--identity", admin), "person");
        assertRefusedWithOneLine(
                run("group", "create", "x", "--identity", cred("james")), "not an admin");
        assertRefusedWithOneLine(run("rotate", "--identity", admin), "--due");
        assertRefusedWithOneLine(
                runWithInput(
                        "x\n",
                        "secret",
                        "put",
                        "k",
                        "--group",
                        "mail",
                        "--kind",
                        "SYMMETRIC",
                        "--identity",
                        admin),
                "SYMMETRIC");
        assertRefusedWithOneLine(
                run(
                        "secret",
                        "put",
                        "k",
                        "--group",
                        "mail",
                        "--kind",
                        "WEIRD",
                        "--identity",
                        admin),
                "WEIRD");
        store = tmp.resolve("elsewhere");
        assertRefusedWithOneLine(run("secret", "list", "--identity", admin), "no DKM at");
    }

    @Test
    void elevatedAccessShouldNeedTwoOtherAdmins() {
        runWithInput("pw\n", "secret", "put", "s", "--group", "mail", "--identity", admin);
        assertThat(
                        run(
                                "access",
                                "request",
                                "s",
                                "--reason",
                                "INC-9 imap sync",
                                "--duration",
                                "30m",
                                "--identity",
                                cred("alice")))
                .as(err)
                .isZero();
        Matcher m = Pattern.compile("(req-[0-9a-f]+) requested").matcher(out);
        assertThat(m.find()).isTrue();
        String id = m.group(1);
        assertRefusedWithOneLine(run("secret", "get", "s", "--identity", cred("alice")), "refused");
        assertThat(run("access", "approve", id, "--identity", admin)).isZero();
        assertThat(out).contains("PENDING");
        assertThat(run("access", "approve", id, "--identity", cred("bob"))).as(err).isZero();
        assertThat(out).contains("APPROVED");
        assertThat(run("secret", "get", "s", "--identity", cred("alice"))).as(err).isZero();
        assertThat(out).isEqualTo("pw");
        assertThat(run("access", "list", "--identity", admin)).isZero();
        assertThat(out).contains(id).contains("alice").contains("INC-9 imap sync");
    }

    @Test
    void auditVerifyShouldNameTheFirstChangedRecord() throws Exception {
        runWithInput("pw\n", "secret", "put", "s", "--group", "mail", "--identity", admin);
        run("secret", "get", "s", "--identity", cred("james"));
        assertThat(run("audit", "verify", "--identity", admin)).as(err).isZero();
        assertThat(out).contains("intact");
        assertThat(run("audit", "tail", "-n", "3", "--identity", admin)).isZero();
        assertThat(out).contains("james read s v1 ok").doesNotContain("pw\n");

        Path log = store.resolve("data").resolve("audit.log");
        List<String> lines = Files.readAllLines(log);
        lines.set(2, lines.get(2).replace("\tok\t", "\tdenied\t"));
        Files.write(log, lines);
        assertRefusedWithOneLine(run("audit", "verify", "--identity", admin), "broken at record 3");
    }

    @Test
    void policyShowAndSetShouldChangeOneSettingAuditedAndRefuseBadInput() {
        assertThat(run("policy", "show", "--identity", admin)).as(err).isZero();
        assertThat(out)
                .contains("group-keyset  30d")
                .contains("key-pair      90d")
                .contains("opaque        never")
                .contains("promote-delay 2d")
                .contains("max-grant     8h")
                .contains("approvals     2");

        assertThat(run("policy", "set", "key-pair", "60d", "--identity", admin)).as(err).isZero();
        assertThat(out).contains("policy key-pair set to 60d (was 90d)");
        assertThat(run("policy", "set", "opaque", "P365D", "--identity", admin)).as(err).isZero();
        assertThat(run("policy", "set", "group-keyset", "never", "--identity", admin))
                .as(err)
                .isZero();
        assertThat(run("policy", "set", "promote-delay", "36h", "--identity", admin))
                .as(err)
                .isZero();
        assertThat(run("policy", "set", "approvals", "3", "--identity", admin)).as(err).isZero();
        assertThat(run("policy", "show", "--identity", admin)).isZero();
        assertThat(out)
                .contains("group-keyset  never")
                .contains("key-pair      60d")
                .contains("opaque        365d")
                .contains("symmetric     90d")
                .contains("promote-delay 36h")
                .contains("approvals     3");
        assertThat(run("audit", "tail", "-n", "8", "--identity", admin)).isZero();
        assertThat(out).contains("admin policy.set ok");

        assertRefusedWithOneLine(
                run("policy", "set", "key", "30d", "--identity", admin), "KIND: one of");
        assertThat(run("policy", "set", "key", "30d", "--identity", admin)).isEqualTo(2);
        assertRefusedWithOneLine(
                run("policy", "set", "key-pair", "36h", "--identity", admin),
                "whole number of days");
        assertThat(run("policy", "set", "key-pair", "0d", "--identity", admin)).isEqualTo(2);
        assertRefusedWithOneLine(
                run("policy", "set", "key-pair", "soon", "--identity", admin), "PERIOD");
        assertRefusedWithOneLine(
                run("policy", "set", "max-grant", "never", "--identity", admin), "PERIOD");
        assertRefusedWithOneLine(
                run("policy", "set", "approvals", "0", "--identity", admin), "approvals");
        assertRefusedWithOneLine(
                run("policy", "set", "promote-delay", "90m", "--identity", admin), "whole hours");
        // not an admin: refused (exit 1) and nothing changed
        assertThat(run("policy", "set", "key-pair", "7d", "--identity", cred("james")))
                .isEqualTo(1);
        assertThat(err.trim()).doesNotContain("\n").contains("refused");
        assertThat(run("policy", "show", "--identity", admin)).isZero();
        assertThat(out).contains("key-pair      60d");
    }

    @Test
    void rootShredShouldNeedConfirmationAndThenLeaveNothingReadable() throws Exception {
        runWithInput("pw\n", "secret", "put", "s", "--group", "mail", "--identity", admin);
        assertThat(run("secret", "get", "s", "--identity", cred("james"))).as(err).isZero();
        try (Stream<Path> files = Files.list(tmp.resolve("dkm-root-keys"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .anyMatch(n -> n.endsWith(".key"));
        }

        assertRefusedWithOneLine(
                run("root", "shred", "--reason", "customer left", "--identity", admin),
                "--yes-destroy-everything");
        assertThat(run("root", "shred", "--reason", "customer left", "--identity", admin))
                .isEqualTo(1);
        assertThat(run("secret", "get", "s", "--identity", cred("james"))).as(err).isZero();
        assertThat(out).isEqualTo("pw");
        // not an admin
        assertThat(
                        run(
                                "root",
                                "shred",
                                "--yes-destroy-everything",
                                "--reason",
                                "x",
                                "--identity",
                                cred("james")))
                .isEqualTo(1);
        assertThat(run("secret", "get", "s", "--identity", cred("james"))).as(err).isZero();

        assertThat(
                        run(
                                "root",
                                "shred",
                                "--yes-destroy-everything",
                                "--reason",
                                "customer left",
                                "--identity",
                                admin))
                .as(err)
                .isZero();
        assertThat(out).contains("store shredded");
        assertThat(run("secret", "get", "s", "--identity", cred("james"))).isNotZero();
        assertThat(err.trim()).doesNotContain("\n").doesNotContain("pw");
        try (Stream<Path> files = Files.list(tmp.resolve("dkm-root-keys"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .noneMatch(n -> n.endsWith(".key"));
        }
    }

    @Test
    void auditVerifyShouldPrintTheHeadDetectTruncationAndCheckANotedHead() throws Exception {
        runWithInput("pw\n", "secret", "put", "s", "--group", "mail", "--identity", admin);
        Path log = store.resolve("data").resolve("audit.log");
        byte[] olderHead = Files.readAllBytes(store.resolve("data").resolve("audit.head"));
        assertThat(run("audit", "verify", "--identity", admin)).as(err).isZero();
        assertThat(run("audit", "verify", "--identity", admin)).as(err).isZero();
        Matcher m = Pattern.compile("head (\\d+:[0-9a-f]{64})").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        String noted = m.group(1);
        assertThat(run("audit", "verify", "--expect-head", noted, "--identity", admin))
                .as(err)
                .isZero();

        List<String> lines = Files.readAllLines(log);
        byte[] head = Files.readAllBytes(store.resolve("data").resolve("audit.head"));
        int seq = Integer.parseInt(noted.substring(0, noted.indexOf(':')));
        Files.write(log, lines.subList(0, seq - 1));
        assertRefusedWithOneLine(
                run("audit", "verify", "--identity", admin),
                "broken at record " + seq,
                "records " + seq + ".." + lines.size() + " removed");

        // log and checkpoint rolled back together to an older consistent state: only the noted head
        // sees it
        Files.write(log, lines.subList(0, seq - 1));
        Files.write(store.resolve("data").resolve("audit.head"), olderHead);
        assertThat(run("audit", "verify", "--identity", admin)).as(err).isZero();
        Files.write(log, lines.subList(0, seq - 1));
        Files.write(store.resolve("data").resolve("audit.head"), olderHead);
        assertRefusedWithOneLine(
                run("audit", "verify", "--expect-head", noted, "--identity", admin),
                "expected head record " + seq + " is missing");
        assertThat(head).isNotEmpty();

        assertRefusedWithOneLine(
                run("audit", "verify", "--expect-head", "nonsense", "--identity", admin),
                "SEQ:HASH");
        assertThat(run("audit", "verify", "--expect-head", "nonsense", "--identity", admin))
                .isEqualTo(2);
    }

    @Test
    void keyPairsAndRotationCommandsShouldWork() {
        assertThat(
                        run(
                                "secret",
                                "put",
                                "dkim/mailsec.test",
                                "--group",
                                "mail",
                                "--kind",
                                "KEY_PAIR",
                                "--generate",
                                "Ed25519",
                                "--identity",
                                admin))
                .as(err)
                .isZero();
        assertThat(run("secret", "get", "dkim/mailsec.test", "--identity", cred("james"))).isZero();
        String pem = out;
        assertThat(pem)
                .contains("-----BEGIN PRIVATE KEY-----")
                .contains("-----BEGIN PUBLIC KEY-----");
        // the PEM goes back in as a new version
        assertThat(
                        runWithInput(
                                pem,
                                "secret",
                                "rotate",
                                "dkim/mailsec.test",
                                "--stdin",
                                "--identity",
                                cred("james")))
                .as(err)
                .isZero();
        assertThat(run("secret", "rotate", "dkim/mailsec.test", "--identity", cred("james")))
                .isZero();
        assertThat(out).contains("version 3 added");
        assertThat(run("root", "rotate", "--identity", admin)).as(err).isZero();
        assertThat(out).contains("file:root-1");
        assertThat(run("root", "destroy", "file:root-1", "--identity", admin)).as(err).isZero();
        assertThat(run("rotate", "--due", "--identity", admin)).as(err).isZero();
        assertThat(out).contains("nothing due");
        assertThat(run("secret", "get", "dkim/mailsec.test", "--identity", cred("james"))).isZero();
        assertThat(out).isEqualTo(pem);
    }

    @Test
    void migrateShouldMoveTheStoreToPostgresql() throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
        String schema = "dkm_cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try {
            runWithInput("pw\n", "secret", "put", "s", "--group", "mail", "--identity", admin);
            assertThat(run("migrate", "--to", url, "--schema", schema, "--identity", admin))
                    .as(err)
                    .isZero();
            Path props = store.resolve("dkm.properties");
            String text =
                    new String(Files.readAllBytes(props), StandardCharsets.UTF_8)
                            .replace(
                                    "store=file:"
                                            + store.toAbsolutePath().normalize().resolve("data"),
                                    "store=" + url + "\nstore.schema=" + schema);
            Files.write(props, text.getBytes(StandardCharsets.UTF_8));
            Files.move(store.resolve("data"), tmp.resolve("old-data"));
            assertThat(run("secret", "get", "s", "--identity", cred("james"))).as(err).isZero();
            assertThat(out).isEqualTo("pw");
            assertThat(run("audit", "verify", "--identity", admin)).as(err).isZero();
        } finally {
            try (Connection c = DriverManager.getConnection(url);
                    Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }
}
