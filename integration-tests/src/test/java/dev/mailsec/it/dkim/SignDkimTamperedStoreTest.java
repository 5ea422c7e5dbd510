package dev.mailsec.it.dkim;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.dkm.IdentityType;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.SecretKind;
import dev.mailsec.dkm.root.FileRootKeys;
import dev.mailsec.dkm.store.FileStorage;
import dev.mailsec.it.harness.JamesExtension;
import dev.mailsec.it.harness.JamesHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 (findings 5 and 8): a DKM store whose shard files were put back from an older copy used
 * to let a real James start and sign with the archived DKIM key as if it were the primary. Now the
 * start fails, naming the rolled-back record.
 */
class SignDkimTamperedStoreTest {

    @TempDir Path workingDirectory;

    @TempDir Path store;

    @Test
    void olderShardFilesPutBackShouldFailTheStartNamingTheRecord() throws Exception {
        Path data = store.resolve("data");
        Path saved = store.resolve("saved");
        try (FileStorage storage = FileStorage.create(data);
                KeyManager admin =
                        KeyManager.init(
                                storage,
                                new FileRootKeys(store.resolve("admin-host/root-keys")),
                                "admin",
                                store.resolve("credentials/admin.cred"),
                                Clock.systemUTC())) {
            admin.createIdentity(
                    "james-transport",
                    IdentityType.SERVICE,
                    false,
                    store.resolve("credentials/james-transport.cred"));
            admin.createGroup("mail");
            admin.addMember("mail", "james-transport");
            admin.generate("dkim/mailsec.test", "mail", SecretKind.KEY_PAIR, "RSA-2048");
            Files.createDirectories(saved);
            for (Path p : shards(data)) {
                Files.copy(p, saved.resolve(p.getFileName()));
            }
            admin.rotate("dkim/mailsec.test");
            admin.promote("dkim/mailsec.test", 2);
        }
        for (Path p : shards(saved)) {
            Files.copy(p, data.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        Path config =
                Files.write(
                        store.resolve("dkm.properties"),
                        List.of(
                                "store=file:" + store.resolve("data"),
                                "identity=" + store.resolve("credentials/james-transport.cred")));
        JamesExtension.Builder builder =
                JamesExtension.builder()
                        .rootMailets(
                                "<mailet match=\"All\" class=\"dev.mailsec.mailets.dkim.SignDkim\">"
                                        + "<dkmConfig>"
                                        + config
                                        + "</dkmConfig></mailet>");

        assertThatThrownBy(
                        () -> {
                            try (JamesHarness started = builder.start(workingDirectory)) {
                                throw new AssertionError(
                                        "James started on a rolled-back DKM store: "
                                                + started.imapPort());
                            }
                        })
                .hasStackTraceContaining("failed its integrity check at start")
                .hasStackTraceContaining("secret/dkim/mailsec.test was rolled back");
    }

    private static List<Path> shards(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> out = new ArrayList<>();
            s.filter(p -> p.getFileName().toString().matches("shard-..\\.dat")).forEach(out::add);
            return out;
        }
    }
}
