package dev.mailsec.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PackPathsTest {
    private static final Path HOME = Paths.get("/opt/james");
    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(PackPaths.WORKING_DIRECTORY);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(PackPaths.WORKING_DIRECTORY);
        } else {
            System.setProperty(PackPaths.WORKING_DIRECTORY, saved);
        }
    }

    @Test
    void relativePathsResolveAgainstTheBase() {
        assertThat(PackPaths.resolve(HOME, "conf/rights.xml"))
                .isEqualTo(Paths.get("/opt/james/conf/rights.xml"));
        assertThat(PackPaths.resolve(HOME, " ./conf/../var/mailsec/dkm "))
                .isEqualTo(Paths.get("/opt/james/var/mailsec/dkm"));
    }

    @Test
    void fileUrlsReadAsJamesReadsThem() {
        assertThat(PackPaths.resolve(HOME, "file://conf/smime/certs"))
                .isEqualTo(Paths.get("/opt/james/conf/smime/certs"));
        assertThat(PackPaths.resolve(HOME, "file:///etc/mailsec/ca.pem"))
                .isEqualTo(Paths.get("/etc/mailsec/ca.pem"));
        assertThat(PackPaths.resolve(HOME, "file:var/mailsec/rights"))
                .isEqualTo(Paths.get("/opt/james/var/mailsec/rights"));
        assertThat(PackPaths.resolve(HOME, "file:/srv/rights")).isEqualTo(Paths.get("/srv/rights"));
    }

    @Test
    void absolutePathsStayAsTheyAre() {
        assertThat(PackPaths.resolve(HOME, "/etc/mailsec/dkm.properties"))
                .isEqualTo(Paths.get("/etc/mailsec/dkm.properties"));
    }

    @Test
    void resolveShouldUseWorkingDirectoryWhenSet() {
        System.setProperty(PackPaths.WORKING_DIRECTORY, "/srv/james");
        assertThat(PackPaths.home()).isEqualTo(Paths.get("/srv/james"));
        assertThat(PackPaths.resolve("conf/dkm.properties"))
                .isEqualTo(Paths.get("/srv/james/conf/dkm.properties"));
        assertThat(PackPaths.resolve("file://conf/connectors.xml"))
                .isEqualTo(Paths.get("/srv/james/conf/connectors.xml"));
    }

    @Test
    void resolveShouldUseTheCurrentDirectoryWhenWorkingDirectoryIsUnset() {
        System.clearProperty(PackPaths.WORKING_DIRECTORY);
        Path cwd = Paths.get("").toAbsolutePath();
        assertThat(PackPaths.home()).isEqualTo(cwd);
        assertThat(PackPaths.resolve("conf/rights.xml")).isEqualTo(cwd.resolve("conf/rights.xml"));
    }

    @Test
    void relativeWorkingDirectoryIsTakenFromTheCurrentDirectory() {
        System.setProperty(PackPaths.WORKING_DIRECTORY, ".");
        assertThat(PackPaths.resolve("conf/x"))
                .isEqualTo(Paths.get("").toAbsolutePath().resolve("conf/x"));
    }

    @Test
    void blankOrGarbageIsRejectedNamingTheValue() {
        assertThatThrownBy(() -> PackPaths.resolve(HOME, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("required, got");
        assertThatThrownBy(() -> PackPaths.resolve(HOME, "  "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("required, got");
        for (String bad :
                new String[] {
                    "file:", "file://", "http://example.com/x", "ldap://host/dc=x", "a\u0000b"
                }) {
            assertThatThrownBy(() -> PackPaths.resolve(HOME, bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
    }
}
