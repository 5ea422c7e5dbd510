package dev.mailsec.dkm.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.dkm.Credential;
import dev.mailsec.dkm.IdentityType;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.SecretHandle;
import dev.mailsec.dkm.SecretKind;
import dev.mailsec.dkm.SecretVersion;
import dev.mailsec.dkm.root.FileRootKeys;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of a process in the middle of writing leaves a readable store with a valid audit log. */
class FileStoreCrashTest {
    @TempDir Path tmp;

    @Test
    void killDashNineDuringWritesShouldLeaveTheLastValidState() throws Exception {
        Path data = tmp.resolve("data");
        FileRootKeys root = new FileRootKeys(tmp.resolve("root-keys"));
        try (FileStorage storage = FileStorage.create(data)) {
            KeyManager admin =
                    KeyManager.init(
                            storage, root, "admin", tmp.resolve("admin.cred"), Clock.systemUTC());
            admin.createIdentity("james", IdentityType.SERVICE, false, tmp.resolve("james.cred"));
            admin.createGroup("mail");
            admin.addMember("mail", "james");
            admin.putSecret(
                    "loop",
                    "mail",
                    SecretKind.OPAQUE,
                    "value-start".getBytes(StandardCharsets.UTF_8));
        }
        int lastSeen = 1;
        for (int round = 0; round < 4; round++) {
            Process child =
                    new ProcessBuilder(
                                    Paths.get(System.getProperty("java.home"), "bin", "java")
                                            .toString(),
                                    "-cp",
                                    System.getProperty("java.class.path"),
                                    CrashWriter.class.getName(),
                                    data.toString(),
                                    root.directory().toString(),
                                    tmp.resolve("admin.cred").toString())
                            .redirectError(ProcessBuilder.Redirect.INHERIT)
                            .start();
            BufferedReader out =
                    new BufferedReader(
                            new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            int target = 3 + ThreadLocalRandom.current().nextInt(8);
            for (int i = 0; i < target; i++) {
                String line = out.readLine();
                assertThat(line).as("child wrote version lines").isNotNull();
            }
            Thread.sleep(ThreadLocalRandom.current().nextInt(30));
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isEqualTo(137);

            try (FileStorage storage = FileStorage.open(data)) {
                KeyManager james =
                        KeyManager.open(
                                storage,
                                null,
                                Credential.load(tmp.resolve("james.cred")),
                                Clock.systemUTC());
                SecretHandle h = james.get("loop");
                assertThat(h.primary().number()).isGreaterThanOrEqualTo(lastSeen);
                for (SecretVersion v : h.versions()) {
                    assertThat(new String(v.value(), StandardCharsets.UTF_8)).startsWith("value-");
                }
                lastSeen = h.primary().number();
                KeyManager admin =
                        KeyManager.open(
                                storage,
                                root,
                                Credential.load(tmp.resolve("admin.cred")),
                                Clock.systemUTC());
                assertThat(admin.verifyAudit().intact())
                        .as(admin.verifyAudit().toString())
                        .isTrue();
            }
        }
        assertThat(lastSeen).isGreaterThan(4);
    }
}
