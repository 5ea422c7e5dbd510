package dev.mailsec.dkm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.dkm.root.FileRootKeys;
import dev.mailsec.dkm.store.FileStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration and failure modes of the mailets' client API. */
class DkmClientTest {
    @TempDir Path tmp;
    TestClock clock = new TestClock();

    @BeforeEach
    void setUp() throws Exception {
        try (FileStorage s = FileStorage.create(tmp.resolve("data"))) {
            KeyManager admin =
                    KeyManager.init(
                            s,
                            new FileRootKeys(tmp.resolve("root-keys")),
                            "admin",
                            tmp.resolve("admin.cred"),
                            clock);
            admin.createIdentity("james", IdentityType.SERVICE, false, tmp.resolve("james.cred"));
            admin.createGroup("mail");
            admin.addMember("mail", "james");
            admin.putSecret("p", "mail", SecretKind.OPAQUE, "v".getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * A dkm.properties in tmp whose relative paths name files in tmp (written absolute: see the
     * path rule).
     */
    Path props(String text) throws Exception {
        Path p = tmp.resolve("dkm.properties");
        Files.write(
                p,
                text.replace("store=file:data", "store=file:" + tmp.resolve("data"))
                        .replace("identity=james.cred", "identity=" + tmp.resolve("james.cred"))
                        .getBytes(StandardCharsets.UTF_8));
        return p;
    }

    @Test
    void relativePathsShouldResolveAgainstWorkingDirectoryNotTheFilesFolder() throws Exception {
        // docs/paths.md: one rule for every path of the pack's configuration, dkm.properties
        // included
        Path conf = Files.createDirectories(tmp.resolve("home/conf"));
        Path p = conf.resolve("dkm.properties");
        Files.write(
                p,
                "store=file://var/dkm\nidentity=conf/james.cred\nrootKey=file:var/root\n"
                        .getBytes(StandardCharsets.UTF_8));
        String saved = System.getProperty("working.directory");
        System.setProperty("working.directory", tmp.resolve("home").toString());
        try {
            DkmConfig c = DkmConfig.load(p);
            assertThat(c.store()).isEqualTo("file:" + tmp.resolve("home/var/dkm"));
            assertThat(c.identity()).contains(tmp.resolve("home/conf/james.cred"));
            assertThat(c.rootKey()).contains("file:" + tmp.resolve("home/var/root"));
            System.clearProperty("working.directory");
            assertThat(DkmConfig.load(p).store())
                    .isEqualTo("file:" + Path.of("").toAbsolutePath().resolve("var/dkm"));
            assertThat(DkmConfig.load(p, tmp).store()).isEqualTo("file:" + tmp.resolve("var/dkm"));
            Files.write(p, "store=file:\nidentity=x\n".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> DkmConfig.load(p))
                    .hasMessageContaining("store: not a file path, got 'file:'");
        } finally {
            if (saved == null) {
                System.clearProperty("working.directory");
            } else {
                System.setProperty("working.directory", saved);
            }
        }
    }

    @Test
    void unreachablePostgresShouldBeATemporaryFailure() throws Exception {
        try (Dkm dkm =
                Dkm.open(
                        props(
                                "store=jdbc:postgresql://127.0.0.1:1/test?user=postgres&connectTimeout=2\n"
                                        + "identity=james.cred\n"))) {
            assertThatThrownBy(() -> dkm.secret("p")).isInstanceOf(DkmUnavailableException.class);
        }
    }

    @Test
    void vanishedFileStoreShouldBeATemporaryFailureAndRecover() throws Exception {
        try (Dkm dkm =
                Dkm.open(
                        DkmConfig.load(props("store=file:data\nidentity=james.cred\ncacheTtl=0\n")),
                        clock)) {
            assertThat(dkm.secret("p").primary().value())
                    .isEqualTo("v".getBytes(StandardCharsets.UTF_8));
            Path moved = tmp.resolve("moved");
            Files.move(tmp.resolve("data"), moved);
            assertThatThrownBy(() -> dkm.secret("p")).isInstanceOf(DkmUnavailableException.class);
            Files.move(moved, tmp.resolve("data"));
            assertThat(dkm.secret("p").primary().number()).isEqualTo(1);
        }
    }

    @Test
    void theReadObserverShouldBeToldOfEachStoreReadAndItsFailureButNotOfCachedOnes()
            throws Exception {
        List<String> told = new ArrayList<>();
        try (Dkm dkm =
                Dkm.open(DkmConfig.load(props("store=file:data\nidentity=james.cred\n")), clock)) {
            dkm.observeReads(
                    () -> {
                        told.add("start");
                        return failed -> told.add(failed ? "failed" : "ok");
                    });
            dkm.secret("p");
            dkm.secret("p"); // cached: no store read
            assertThatThrownBy(() -> dkm.refresh("no-such-secret"))
                    .isInstanceOf(DkmException.class);
        }
        assertThat(told).containsExactly("start", "ok", "start", "failed");
    }

    @Test
    void aStoreWrittenByANewerMailsecShouldFailTheStartNotWaitForMail() throws Exception {
        Files.write(
                tmp.resolve("data/dkm-store"),
                "mailsec DKM file store, format 2\n".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> Dkm.open(props("store=file:data\nidentity=james.cred\n")))
                .isInstanceOf(DkmInvalidRequestException.class)
                .hasMessageContaining("store: DKM file store ")
                .hasMessageContaining(
                        "is format 2, written by a newer mailsec; this mailsec reads format 1: upgrade mailsec");
    }

    @Test
    void badConfigurationShouldNameTheParameter() throws Exception {
        assertThatThrownBy(
                        () -> Dkm.open(props("store=file:data\nidentity=james.cred\ncachettl=5\n")))
                .isInstanceOf(DkmInvalidRequestException.class)
                .hasMessageContaining("'cachettl'");
        assertThatThrownBy(() -> Dkm.open(props("store=ftp://x\nidentity=james.cred\n")))
                .hasMessageContaining("store:")
                .hasMessageContaining("ftp://x");
        assertThatThrownBy(
                        () ->
                                Dkm.open(
                                        props(
                                                "store=jdbc:postgresql://h/db?password=topsecret\nidentity=j\n")))
                .hasMessageContaining("identity:")
                .hasMessageNotContaining("topsecret");
        assertThatThrownBy(
                        () ->
                                Dkm.open(
                                        props(
                                                "store=file:data\nidentity=james.cred\ncacheTtl=P3D\n")))
                .hasMessageContaining("cacheTtl:");
        assertThatThrownBy(() -> Dkm.open(props("store=file:data\n")))
                .hasMessageContaining("identity: required");
    }

    @Test
    void credentialReadableByOthersShouldBeRefused() throws Exception {
        Files.setPosixFilePermissions(
                tmp.resolve("james.cred"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> Dkm.open(props("store=file:data\nidentity=james.cred\n")))
                .hasMessageContaining("chmod 600");
    }

    @Test
    void rootKeyFileShouldBeCreatedOwnerOnly() throws Exception {
        Path key = tmp.resolve("root-keys").resolve("root-1.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
        assertThat(
                        PosixFilePermissions.toString(
                                Files.getPosixFilePermissions(tmp.resolve("james.cred"))))
                .isEqualTo("rw-------");
    }
}
