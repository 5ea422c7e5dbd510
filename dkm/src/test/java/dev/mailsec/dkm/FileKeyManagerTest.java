package dev.mailsec.dkm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FileKeyManagerTest extends KeyManagerContractTest {
    @Override
    Backend backend(Path tmp) {
        return new Backend.Files(tmp);
    }

    private List<Path> shards() throws Exception {
        try (Stream<Path> s = Files.list(((Backend.Files) backend).directory())) {
            List<Path> out = new ArrayList<>();
            s.filter(p -> p.getFileName().toString().matches("shard-..\\.dat")).forEach(out::add);
            return out;
        }
    }

    @Test
    void restoringOlderShardFilesShouldBeRefusedNotServeTheOldPrimary() throws Exception {
        admin.putSecret("dkim/mailsec.test", "mail", SecretKind.OPAQUE, bytes("key 1"));
        Path saved = tmp.resolve("saved");
        Files.createDirectories(saved);
        for (Path p : shards()) {
            Files.copy(p, saved.resolve(p.getFileName()));
        }
        admin.addVersion("dkim/mailsec.test", bytes("key 2"));
        admin.promote("dkim/mailsec.test", 2);
        for (Path p : shards()) {
            if (Files.exists(saved.resolve(p.getFileName()))) {
                Files.copy(saved.resolve(p.getFileName()), p, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        // James restarted on the restored files: its start fails, naming the record, instead of
        // signing with key 1
        Path props = tmp.resolve("dkm.properties");
        Files.write(props, bytes(backend.storeProperty() + "identity=" + cred("james") + "\n"));
        assertThatThrownBy(() -> Dkm.open(DkmConfig.load(props), clock))
                .isInstanceOf(DkmInvalidRequestException.class)
                .hasMessageContaining("failed its integrity check at start")
                .hasMessageContaining("secret/dkim/mailsec.test was rolled back");
        assertThat(bob.verifyAudit().problem())
                .contains("secret/dkim/mailsec.test was rolled back");
    }

    @Test
    void aCorruptShardHeaderShouldBeAnIntegrityFailureNotATemporaryOne() throws Exception {
        admin.putSecret("p", "mail", SecretKind.OPAQUE, bytes(VALUE));
        for (Path p : shards()) {
            byte[] b = Files.readAllBytes(p);
            b[0] = 'X';
            Files.write(p, b);
        }
        assertThatThrownBy(() -> james.get("p"))
                .isInstanceOf(DkmIntegrityException.class)
                .hasMessageContaining("is corrupt: bad shard header");
        assertThatThrownBy(() -> session("james", false))
                .isInstanceOf(DkmIntegrityException.class)
                .hasMessageContaining("bad shard header");
    }
}
