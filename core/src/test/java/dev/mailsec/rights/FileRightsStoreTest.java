package dev.mailsec.rights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.dkm.spi.Storage;
import dev.mailsec.dkm.store.FileStorage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

class FileRightsStoreTest extends RightsStoreContract<FileStorage> {
    @Override
    FileStorage newStorage() throws Exception {
        return FileStorage.create(dir.resolve("rights-store"));
    }

    @Override
    FileStorage reopen() throws Exception {
        return FileStorage.open(dir.resolve("rights-store"));
    }

    @Override
    RightsStore storeOn(FileStorage storage) {
        return new RightsStore(storage);
    }

    @Test
    void aFileStoreShouldKeepPackagesAsFilesBesideTheRecords() throws Exception {
        Protection p = protect("files@mailsec.test", "encrypt-only");
        String jti = p.licence().licenceId();

        Path file =
                dir.resolve("rights-store/packages")
                        .resolve(jti.substring(0, 2))
                        .resolve(jti + ".mailsec");
        assertThat(file).hasBinaryContent(p.pkg().encode());
        assertThat(storage.get("p/" + jti)).isEmpty();
        try (RightsStore viaUrl = RightsStore.open("file:" + dir.resolve("rights-store"), null)) {
            assertThat(viaUrl.packageOf(jti)).contains(p.pkg());
        }
    }

    @Test
    void aFileStoreSeenAsAPlainStorageShouldKeepPackagesInItsRecords() throws Exception {
        Storage plain = FileStorage.create(dir.resolve("plain"));
        try (RightsStore s = new RightsStore(plain)) {
            byte[] raw = RightsTestMessages.multipart(ALICE, CAROL, "plain@mailsec.test", "s");
            Protection p =
                    new RightsProtector(env.settings(), env.keyring(), s, Clock.systemUTC())
                            .protect(
                                    new MimeMessage(
                                            Session.getInstance(new Properties()),
                                            new ByteArrayInputStream(raw)),
                                    ALICE,
                                    List.of(CAROL),
                                    env.settings().template("encrypt-only"));
            String jti = p.licence().licenceId();
            assertThat(plain.get("p/" + jti)).isPresent();
            assertThat(Files.exists(dir.resolve("plain/packages"))).isFalse();
            assertThat(s.packageOf(jti)).contains(p.pkg());
        }
    }
}
