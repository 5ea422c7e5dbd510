package dev.mailsec.dkm.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.dkm.Credential;
import dev.mailsec.dkm.IdentityType;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.SecretHandle;
import dev.mailsec.dkm.SecretKind;
import dev.mailsec.dkm.SecretVersion;
import dev.mailsec.dkm.root.FileRootKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes writing one file store at once: the FileLock serialises them and nothing is lost.
 */
class FileStoreTwoProcessesTest {
    @TempDir Path tmp;

    @Test
    void twoProcessesAddingVersionsConcurrentlyShouldLoseNone() throws Exception {
        Path data = tmp.resolve("data");
        try (FileStorage storage = FileStorage.create(data)) {
            KeyManager admin =
                    KeyManager.init(
                            storage,
                            new FileRootKeys(tmp.resolve("root-keys")),
                            "admin",
                            tmp.resolve("admin.cred"),
                            Clock.systemUTC());
            admin.createIdentity("n1", IdentityType.SERVICE, false, tmp.resolve("n1.cred"));
            admin.createIdentity("n2", IdentityType.SERVICE, false, tmp.resolve("n2.cred"));
            admin.createGroup("mail");
            admin.addMember("mail", "n1");
            admin.addMember("mail", "n2");
            admin.putSecret(
                    "shared", "mail", SecretKind.OPAQUE, "start".getBytes(StandardCharsets.UTF_8));
        }
        List<Process> children = new ArrayList<>();
        for (String n : new String[] {"n1", "n2"}) {
            children.add(
                    new ProcessBuilder(
                                    Paths.get(System.getProperty("java.home"), "bin", "java")
                                            .toString(),
                                    "-cp",
                                    System.getProperty("java.class.path"),
                                    VersionAdder.class.getName(),
                                    data.toString(),
                                    tmp.resolve(n + ".cred").toString(),
                                    n,
                                    "40")
                            .inheritIO()
                            .start());
        }
        for (Process p : children) {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        }
        try (FileStorage storage = FileStorage.open(data)) {
            SecretHandle h =
                    KeyManager.open(
                                    storage,
                                    null,
                                    Credential.load(tmp.resolve("n1.cred")),
                                    Clock.systemUTC())
                            .get("shared");
            assertThat(h.versions()).hasSize(81);
            Set<String> values = new TreeSet<>();
            Set<Integer> numbers = new TreeSet<>();
            for (SecretVersion v : h.versions()) {
                values.add(new String(v.value(), StandardCharsets.UTF_8));
                numbers.add(v.number());
            }
            assertThat(numbers).hasSize(81).contains(1, 81);
            for (int i = 0; i < 40; i++) {
                assertThat(values).contains("n1-" + i, "n2-" + i);
            }
        }
    }
}
