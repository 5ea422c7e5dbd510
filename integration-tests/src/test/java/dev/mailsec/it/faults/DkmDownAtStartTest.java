package dev.mailsec.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.dkm.IdentityType;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.SecretKind;
import dev.mailsec.dkm.root.FileRootKeys;
import dev.mailsec.dkm.store.JdbcStorage;
import dev.mailsec.it.harness.Delivery;
import dev.mailsec.it.harness.JamesExtension;
import dev.mailsec.it.harness.JamesHarness;
import dev.mailsec.it.harness.PostgresServer;
import dev.mailsec.rights.DkmRightsKeyring;
import dev.mailsec.rights.RightsSettings;
import dev.mailsec.rights.RightsTestMessages;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * James started while its key store is down (issue 16: "DKM already down when James starts"),
 * against a real James 3.8.1 and a PostgreSQL server of the test's own that holds both the DKM
 * store and the rights store, as a cluster keeps them (docs/dkm.md, docs/rights.md). The server is
 * stopped before James starts: James starts, SignDkim holds what it cannot sign in {@code
 * dkim-key-store-down} and ProtectMessage what it cannot protect in {@code rights-key-store-down}
 * (as the sample pipeline does); the server comes back, the operator reprocesses the repositories
 * through WebAdmin, and every mail is delivered, signed or protected: count in = count out. A wrong
 * configuration (a DKM file that does not exist, a bad store schema) still stops the start, naming
 * the parameter and the value.
 */
class DkmDownAtStartTest {

    private static final String DKIM_HOLD = "var/mail/dkim-key-store-down";
    private static final String RIGHTS_HOLD = "var/mail/rights-key-store-down";
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final int EACH = 3;

    @TempDir Path workingDirectory;
    @TempDir Path keys;

    private PostgresServer pg;
    private JamesHarness james;

    @AfterEach
    void stop() throws Exception {
        if (james != null) {
            james.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    /** The DKM store: the test's PostgreSQL, failing fast (2 s) while it is down. */
    private String storeUrl() {
        return pg.jdbcUrl() + "&connectTimeout=2";
    }

    @Test
    void jamesStartedWhileThePostgresqlStoreIsDownShouldHoldThenDeliverEveryMail()
            throws Exception {
        assertThat(PostgresServer.binaries())
                .as("PostgreSQL's initdb and pg_ctl (.ci/run installs postgresql)")
                .isPresent();
        pg = PostgresServer.start(PostgresServer.binaries().get());
        Path rightsXml = createStores();
        pg.crash();

        james = pipeline(keys.resolve("dkm.properties"), rightsXml).start(workingDirectory);
        for (int i = 1; i <= EACH; i++) {
            james.send(
                    Delivery.plain()
                            .from("alice@mailsec.test")
                            .to("carol@mailsec.test")
                            .subject("signed " + i));
            james.sendRaw(
                    RightsTestMessages.multipart(
                            "alice@mailsec.test",
                            "bob@mailsec.test",
                            "down-at-start-" + i + "@mailsec.test",
                            "[encrypt] payroll " + i),
                    "bob@mailsec.test");
        }
        awaitHeld(DKIM_HOLD, EACH);
        awaitHeld(RIGHTS_HOLD, EACH);

        pg.start();
        reprocessUntilDelivered();
        int out = 0;
        for (int i = 1; i <= EACH; i++) {
            MimeMessage signed = james.awaitMessage("carol@mailsec.test", "secret", "signed " + i);
            assertThat(signed.getHeader("DKIM-Signature")).as("signed %d", i).isNotEmpty();
            out++;
            MimeMessage wrapped =
                    james.awaitMessage("bob@mailsec.test", "secret", "[encrypt] payroll " + i);
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            wrapped.writeTo(raw);
            assertThat(wrapped.getHeader("X-Mailsec-Protected")[0])
                    .contains("template=encrypt-only");
            assertThat(raw.toString(StandardCharsets.ISO_8859_1))
                    .doesNotContain(RightsTestMessages.BODY_SECRET);
            out++;
        }
        awaitHeld(DKIM_HOLD, 0);
        awaitHeld(RIGHTS_HOLD, 0);
        assertThat(out).as("count out = count in").isEqualTo(2 * EACH);
        assertThat(james.subjects("carol@mailsec.test", "secret")).hasSize(EACH);
        assertThat(james.subjects("bob@mailsec.test", "secret")).hasSize(EACH);
    }

    @Test
    void aDkmConfigurationFileThatDoesNotExistShouldStillStopTheStart() {
        Path missing = keys.resolve("no-such-dkm.properties");
        JamesExtension.Builder builder =
                JamesExtension.builder()
                        .rootMailets(
                                "<mailet match=\"All\" class=\"dev.mailsec.mailets.dkim.SignDkim\">"
                                        + "<dkmConfig>"
                                        + missing
                                        + "</dkmConfig></mailet>");
        assertThatThrownBy(() -> startAndClose(builder))
                .hasStackTraceContaining("dkmConfig")
                .hasStackTraceContaining(missing.toString());
    }

    @Test
    void aBadRightsStoreSchemaShouldStillStopTheStart() throws Exception {
        Path xml = keys.resolve("rights.xml");
        Files.writeString(
                xml,
                "<rights><issuer>mailsec.test</issuer>"
                        + "<organisationDomains>mailsec.test</organisationDomains>"
                        + "<portal url=\"http://127.0.0.1:8090\"/>"
                        + "<store url=\"jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2\""
                        + " schema=\"bad schema\"/>"
                        + "<dkm config=\""
                        + keys.resolve("dkm.properties")
                        + "\"/></rights>");
        Files.writeString(
                keys.resolve("dkm.properties"),
                "store=jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2\nidentity="
                        + keys.resolve("james-transport.cred")
                        + "\n");
        JamesExtension.Builder builder =
                JamesExtension.builder()
                        .rootMailets(
                                "<mailet match=\"All\" class=\"dev.mailsec.mailets.rights.ProtectMessage\">"
                                        + "<config>"
                                        + xml
                                        + "</config><template>encrypt-only</template></mailet>");
        assertThatThrownBy(() -> startAndClose(builder))
                .hasStackTraceContaining("ProtectMessage")
                .hasStackTraceContaining("schema")
                .hasStackTraceContaining("'bad schema'");
    }

    /**
     * The DKM store (schema {@code dkm}: a DKIM key for group mail, the rights keys for group
     * rights, James's identity {@code james-transport} in both) and the rights store (schema {@code
     * rights}) on the test's PostgreSQL; returns the rights.xml.
     */
    private Path createStores() throws Exception {
        Path cred = keys.resolve("james-transport.cred");
        Files.writeString(
                keys.resolve("dkm.properties"),
                "store="
                        + storeUrl()
                        + "\nstore.schema=dkm\nidentity="
                        + cred
                        + "\ncacheTtl=PT5M\n");
        Path rightsXml = keys.resolve("rights.xml");
        Files.writeString(
                rightsXml,
                "<rights>\n  <issuer>mailsec.test</issuer>\n"
                        + "  <organisationDomains>mailsec.test</organisationDomains>\n"
                        + "  <portal url=\"http://127.0.0.1:8090\"/>\n"
                        + "  <store url=\""
                        + storeUrl().replace("&", "&amp;")
                        + "\" schema=\"rights\"/>\n"
                        + "  <dkm config=\""
                        + keys.resolve("dkm.properties")
                        + "\"/>\n  <subject mode=\"keep\"/>\n</rights>\n");
        try (JdbcStorage storage = JdbcStorage.open(storeUrl(), "dkm");
                KeyManager admin =
                        KeyManager.init(
                                storage,
                                new FileRootKeys(keys.resolve("root-keys")),
                                "admin",
                                keys.resolve("admin.cred"),
                                Clock.systemUTC())) {
            admin.createIdentity("james-transport", IdentityType.SERVICE, false, cred);
            admin.createGroup("mail");
            admin.addMember("mail", "james-transport");
            admin.generate("dkim/mailsec.test", "mail", SecretKind.KEY_PAIR, "RSA-2048");
            admin.createGroup("rights");
            admin.addMember("rights", "james-transport");
            DkmRightsKeyring.createSecrets(admin, RightsSettings.load(rightsXml), "rights");
        }
        return rightsXml;
    }

    /**
     * SignDkim for mail to carol, ProtectMessage for [encrypt] subjects, each holding what it
     * cannot do as the sample pipeline holds it.
     */
    private static JamesExtension.Builder pipeline(Path dkmConfig, Path rightsXml) {
        return JamesExtension.builder()
                .user("alice@mailsec.test", "secret")
                .user("bob@mailsec.test", "secret")
                .user("carol@mailsec.test", "secret")
                .withWebAdmin()
                .rootMailets(
                        ""
                                + "<mailet match=\"SubjectStartsWith=[encrypt]\" class=\"dev.mailsec.mailets.rights.ProtectMessage\">\n"
                                + "  <config>"
                                + rightsXml
                                + "</config>\n"
                                + "  <template>encrypt-only</template>\n"
                                + "  <onKeyStoreDown>rights-key-store-down</onKeyStoreDown>\n"
                                + "</mailet>\n"
                                + "<mailet match=\"RecipientIs=carol@mailsec.test\" class=\"dev.mailsec.mailets.dkim.SignDkim\">\n"
                                + "  <dkmConfig>"
                                + dkmConfig
                                + "</dkmConfig>\n"
                                + "  <onKeyStoreFailure>dkim-key-store-down</onKeyStoreFailure>\n"
                                + "</mailet>\n")
                .extraProcessors(
                        hold("dkim-key-store-down", DKIM_HOLD)
                                + hold("rights-key-store-down", RIGHTS_HOLD));
    }

    private static String hold(String processor, String repository) {
        return "<processor state=\""
                + processor
                + "\" enableJmx=\"false\">\n"
                + "  <mailet match=\"All\" class=\"dev.mailsec.mailets.HoldInRepository\">\n"
                + "    <repositoryPath>file://"
                + repository
                + "/</repositoryPath>\n"
                + "  </mailet>\n"
                + "</processor>\n";
    }

    /**
     * Waits until the repository holds exactly {@code expected} mails (and still does half a second
     * later).
     */
    /**
     * Sends held mail back as docs/faults.md tells operators, again while some is held anew: the
     * rights store, unreachable at start, is tried again at most every 5 s (RightsStore's deferred
     * opening) and answers with its last failure in between, so mail reprocessed within 5 s of a
     * fast restart is held once more, under a fresh name (harmless, as the docs say).
     */
    private void reprocessUntilDelivered() throws Exception {
        Instant deadline = Instant.now().plus(SETTLE);
        while (james.subjects("carol@mailsec.test", "secret").size() < EACH
                || james.subjects("bob@mailsec.test", "secret").size() < EACH) {
            assertThat(Instant.now()).as("held mail delivered by %s", deadline).isBefore(deadline);
            for (String hold : new String[] {DKIM_HOLD, RIGHTS_HOLD}) {
                if (james.webAdmin().repositorySize(hold) > 0) {
                    assertThat(james.webAdmin().reprocessAll(hold, "root")).isEqualTo("completed");
                }
            }
            Thread.sleep(1_000);
        }
    }

    private void awaitHeld(String path, long expected) throws Exception {
        Instant deadline = Instant.now().plus(SETTLE);
        long size = -1;
        while (Instant.now().isBefore(deadline)) {
            size = james.webAdmin().repositorySize(path);
            if (size == expected) {
                Thread.sleep(500);
                size = james.webAdmin().repositorySize(path);
                if (size == expected) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        assertThat(size).as("mails in %s", path).isEqualTo(expected);
    }

    private void startAndClose(JamesExtension.Builder builder) throws Exception {
        try (JamesHarness started = builder.start(workingDirectory)) {
            throw new AssertionError(
                    "James started although its configuration is wrong: " + started.imapPort());
        }
    }
}
