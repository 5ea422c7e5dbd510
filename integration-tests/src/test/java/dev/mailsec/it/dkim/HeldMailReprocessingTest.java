package dev.mailsec.it.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.it.harness.Delivery;
import dev.mailsec.it.harness.JamesExtension;
import dev.mailsec.it.harness.JamesHarness;
import dev.mailsec.it.harness.WebAdmin;
import dev.mailsec.rights.RightsTestEnvironment;
import dev.mailsec.rights.RightsTestMessages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mail held while DKM is down (issue 13, finding 3), against a real James 3.8.1 with WebAdmin:
 * SignDkim (keys in a DKM file store) sends mail it cannot sign to {@code dkim-key-store-down},
 * whose {@code HoldInRepository} keeps it in a {@code file://} repository, as the sample pipeline
 * does. The DKM store "goes down" by moving its folder away and "comes back" by moving it back. The
 * operator reprocesses through WebAdmin exactly as the docs say, in any order: while DKM is still
 * down (several times, with and without a processor) nothing is lost; across a restart nothing is
 * lost; once DKM is back all are delivered signed and the repository is empty. The same for an
 * {@code [encrypt]} mail that ProtectMessage holds in {@code rights-key-store-down}: kept across a
 * restart, and it leaves only protected.
 */
class HeldMailReprocessingTest {

    private static final String HOLD = "var/mail/dkim-key-store-down";
    private static final String RIGHTS_HOLD = "var/mail/rights-key-store-down";
    private static final Duration SETTLE = Duration.ofSeconds(30);

    @TempDir Path workingDirectory;

    private SignDkimEndToEndTest.Fixture dkm;
    private RightsTestEnvironment rights;
    private JamesHarness james;

    @AfterEach
    void stop() throws IOException {
        if (james != null) {
            james.close();
        }
        if (rights != null) {
            rights.close();
            try (Stream<Path> files = Files.walk(rights.dir())) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        if (dkm != null) {
            try (Stream<Path> files = Files.walk(dkm.root)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void reprocessingWhileTheKeyStoreIsStillDownShouldLoseNoMailAndDeliverAllOnceItIsBack()
            throws Exception {
        dkm = SignDkimEndToEndTest.Fixture.create();
        takeDkmDown();
        james = pipeline().start(workingDirectory);
        for (int i = 1; i <= 3; i++) {
            james.send(
                    Delivery.plain()
                            .from("alice@mailsec.test")
                            .to("carol@mailsec.test")
                            .subject("held " + i));
        }
        awaitHeld(3);

        // the operator tries too early, again and again; once also without naming a processor
        for (int round = 1; round <= 4; round++) {
            assertThat(webAdmin().reprocessAll(HOLD, "root")).isEqualTo("completed");
            awaitHeld(3);
        }
        assertThat(webAdmin().reprocessAll(HOLD, null)).isEqualTo("completed");
        awaitHeld(3);

        bringDkmBack();
        assertThat(webAdmin().reprocessAll(HOLD, "root")).isEqualTo("completed");
        for (int i = 1; i <= 3; i++) {
            MimeMessage read = james.awaitMessage("carol@mailsec.test", "secret", "held " + i);
            assertThat(read.getHeader("DKIM-Signature"))
                    .as("held %d delivered signed", i)
                    .isNotEmpty();
        }
        awaitHeld(0);
    }

    @Test
    void heldMailShouldSurviveARestartOfJames() throws Exception {
        dkm = SignDkimEndToEndTest.Fixture.create();
        takeDkmDown();
        james = pipeline().start(workingDirectory);
        james.send(
                Delivery.plain()
                        .from("alice@mailsec.test")
                        .to("carol@mailsec.test")
                        .subject("kept 1"));
        james.send(
                Delivery.plain()
                        .from("alice@mailsec.test")
                        .to("carol@mailsec.test")
                        .subject("kept 2"));
        awaitHeld(2);

        JamesHarness stopped = james;
        james = null;
        james = stopped.restart();
        assertThat(webAdmin().repositorySize(HOLD)).as("held mail after the restart").isEqualTo(2);

        bringDkmBack();
        assertThat(webAdmin().reprocessAll(HOLD, "root")).isEqualTo("completed");
        assertThat(
                        james.awaitMessage("carol@mailsec.test", "secret", "kept 1")
                                .getHeader("DKIM-Signature"))
                .isNotEmpty();
        assertThat(
                        james.awaitMessage("carol@mailsec.test", "secret", "kept 2")
                                .getHeader("DKIM-Signature"))
                .isNotEmpty();
        awaitHeld(0);
    }

    @Test
    void heldEncryptMailShouldSurviveARestartAndLeaveOnlyProtected() throws Exception {
        rights =
                RightsTestEnvironment.create(
                        Files.createTempDirectory("mailsec-held-rights-"), Clock.systemUTC());
        Files.move(rights.dir().resolve("dkm-data"), rights.dir().resolve("dkm-data.away"));
        james =
                JamesExtension.builder()
                        .user("alice@mailsec.test", "secret")
                        .user("bob@mailsec.test", "secret")
                        .withWebAdmin()
                        .rootMailets(
                                ""
                                        + "<mailet match=\"SubjectStartsWith=[encrypt]\" class=\"dev.mailsec.mailets.rights.ProtectMessage\">\n"
                                        + "  <config>"
                                        + rights.rightsXml()
                                        + "</config>\n"
                                        + "  <template>encrypt-only</template>\n"
                                        + "  <onKeyStoreDown>rights-key-store-down</onKeyStoreDown>\n"
                                        + "</mailet>\n")
                        .extraProcessors(
                                ""
                                        + "<processor state=\"rights-key-store-down\" enableJmx=\"false\">\n"
                                        + "  <mailet match=\"All\" class=\"dev.mailsec.mailets.HoldInRepository\">\n"
                                        + "    <repositoryPath>file://"
                                        + RIGHTS_HOLD
                                        + "/</repositoryPath>\n"
                                        + "  </mailet>\n"
                                        + "</processor>\n")
                        .start(workingDirectory);
        james.sendRaw(
                RightsTestMessages.multipart(
                        "alice@mailsec.test",
                        "bob@mailsec.test",
                        "held-encrypt@mailsec.test",
                        "[encrypt] payroll"),
                "bob@mailsec.test");
        awaitHeld(RIGHTS_HOLD, 1);

        JamesHarness stopped = james;
        james = null;
        james = stopped.restart();
        assertThat(webAdmin().repositorySize(RIGHTS_HOLD))
                .as("held [encrypt] mail after the restart")
                .isEqualTo(1);

        Files.move(rights.dir().resolve("dkm-data.away"), rights.dir().resolve("dkm-data"));
        assertThat(webAdmin().reprocessAll(RIGHTS_HOLD, "root")).isEqualTo("completed");
        MimeMessage read = james.awaitMessage("bob@mailsec.test", "secret", "[encrypt] payroll");
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        read.writeTo(raw);
        assertThat(read.getHeader("X-Mailsec-Protected")[0]).contains("template=encrypt-only");
        assertThat(raw.toString(StandardCharsets.ISO_8859_1))
                .doesNotContain(RightsTestMessages.BODY_SECRET);
        awaitHeld(RIGHTS_HOLD, 0);
    }

    /**
     * SignDkim for mail to carol; what it cannot sign is held as the sample's dkim-key-store-down
     * holds it.
     */
    private JamesExtension.Builder pipeline() {
        return JamesExtension.builder()
                .user("alice@mailsec.test", "secret")
                .user("carol@mailsec.test", "secret")
                .withWebAdmin()
                .rootMailets(
                        ""
                                + "<mailet match=\"RecipientIs=carol@mailsec.test\" class=\"dev.mailsec.mailets.dkim.SignDkim\">\n"
                                + "  <dkmConfig>"
                                + dkm.jamesConfig
                                + "</dkmConfig>\n"
                                + "  <algorithms>both</algorithms>\n"
                                + "  <onKeyStoreFailure>dkim-key-store-down</onKeyStoreFailure>\n"
                                + "</mailet>\n")
                .extraProcessors(
                        ""
                                + "<processor state=\"dkim-key-store-down\" enableJmx=\"false\">\n"
                                + "  <mailet match=\"All\" class=\"dev.mailsec.mailets.HoldInRepository\">\n"
                                + "    <repositoryPath>file://"
                                + HOLD
                                + "/</repositoryPath>\n"
                                + "  </mailet>\n"
                                + "</processor>\n");
    }

    private WebAdmin webAdmin() {
        return james.webAdmin();
    }

    private void awaitHeld(long expected) throws Exception {
        awaitHeld(HOLD, expected);
    }

    /**
     * Waits until the repository holds exactly {@code expected} mails (and still does half a second
     * later).
     */
    private void awaitHeld(String path, long expected) throws Exception {
        Instant deadline = Instant.now().plus(SETTLE);
        long size = -1;
        while (Instant.now().isBefore(deadline)) {
            size = webAdmin().repositorySize(path);
            if (size == expected) {
                Thread.sleep(500);
                size = webAdmin().repositorySize(path);
                if (size == expected) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        assertThat(size).as("mails in %s", path).isEqualTo(expected);
    }

    private void takeDkmDown() throws IOException {
        Files.move(dkm.root.resolve("data"), dkm.root.resolve("data.away"));
    }

    private void bringDkmBack() throws IOException {
        Files.move(dkm.root.resolve("data.away"), dkm.root.resolve("data"));
    }
}
