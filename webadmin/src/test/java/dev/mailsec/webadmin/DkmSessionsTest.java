package dev.mailsec.webadmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailsec.dkm.DkmConfig;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.SecretKind;
import dev.mailsec.dkm.root.FileRootKeys;
import dev.mailsec.dkm.spi.Storage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spark.HaltException;

/** A real file store of DKM, reached as the routes reach it; no WebAdmin. */
class DkmSessionsTest {
    @TempDir Path dir;
    Path props;

    @BeforeEach
    void store() throws Exception {
        props = dir.resolve("dkm.properties");
        Files.writeString(
                props,
                "store=file:"
                        + dir.resolve("data")
                        + "\nidentity="
                        + dir.resolve("admin.cred")
                        + "\nrootKey=file:"
                        + dir.resolve("root-keys")
                        + "\n");
        DkmConfig cfg = DkmConfig.load(props);
        try (Storage storage = cfg.openStorage(true);
                KeyManager km =
                        KeyManager.init(
                                storage,
                                new FileRootKeys(dir.resolve("root-keys")),
                                "admin",
                                dir.resolve("admin.cred"),
                                Clock.systemUTC())) {
            km.createGroup("mail");
            km.putSecret(
                    "account/x",
                    "mail",
                    SecretKind.OPAQUE,
                    "hunter2-value".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void statusShouldShowTheSecretWithoutItsValueAndCheckTheAuditChainForAnAdmin() {
        DkmSessions sessions = DkmSessions.load(props);
        String json =
                Answers.json(
                        sessions.run(
                                "webadmin:ops",
                                km ->
                                        new DkmStatus(
                                                        sessions.config(),
                                                        Clock.systemUTC().instant())
                                                .read(km)));
        assertThat(json)
                .contains("\"name\":\"account/x\"", "\"versions\":{\"1\":\"PRIMARY\"}")
                .contains("\"auditChain\":{\"checked\":true,\"intact\":true")
                .contains("\"pendingAccessRequests\":{\"available\":true,\"requests\":[]}")
                .doesNotContain("hunter2");
    }

    @Test
    void statusShouldCountAGroupKeysetRolloverAsDueOnceItsPeriodPassed() {
        DkmSessions sessions = DkmSessions.load(props);
        // the default policy rolls group keysets over every 30 days
        String now =
                Answers.json(
                        sessions.run(
                                "webadmin:ops",
                                km -> new DkmStatus(sessions.config(), Instant.now()).read(km)));
        assertThat(now).doesNotContain("GROUP_KEYSET");
        String later =
                Answers.json(
                        sessions.run(
                                "webadmin:ops",
                                km ->
                                        new DkmStatus(
                                                        sessions.config(),
                                                        Instant.now().plus(Duration.ofDays(31)))
                                                .read(km)));
        assertThat(later).contains("{\"group\":\"mail\",\"kind\":\"GROUP_KEYSET\",\"dueSince\":\"");
    }

    @Test
    void anUnreachableStoreShouldBeA503() throws Exception {
        DkmSessions sessions = DkmSessions.load(props);
        Files.move(dir.resolve("data"), dir.resolve("moved-away"));
        HaltException e =
                catchThrowableOfType(
                        () -> sessions.run("webadmin:ops", km -> km.list()), HaltException.class);
        assertThat(e.statusCode()).isEqualTo(503);
        assertThat(e.body()).contains("\"statusCode\":503").contains("DKM unavailable");
    }

    @Test
    void anUnknownSecretShouldBeA404AndAnOpaqueRotationA400() {
        DkmSessions sessions = DkmSessions.load(props);
        HaltException unknown =
                catchThrowableOfType(
                        () -> sessions.run("webadmin:ops", km -> km.rotate("dkim/none.test")),
                        HaltException.class);
        assertThat(unknown.statusCode()).isEqualTo(404);
        HaltException opaque =
                catchThrowableOfType(
                        () -> sessions.run("webadmin:ops", km -> km.rotate("account/x")),
                        HaltException.class);
        assertThat(opaque.statusCode()).isEqualTo(400);
        assertThat(opaque.body()).contains("is OPAQUE").doesNotContain("hunter2");
    }
}
