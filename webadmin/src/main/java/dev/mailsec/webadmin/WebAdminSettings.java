package dev.mailsec.webadmin;

import dev.mailsec.config.ConfigException;
import dev.mailsec.config.PackPaths;
import dev.mailsec.config.Parameters;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * What the pack's WebAdmin routes read, from {@code conf/mailsec-webadmin.properties} (optional;
 * every parameter has a default): the DKM client configuration the routes act with, rights.xml and
 * connectors.xml. Paths follow James's working directory ({@link PackPaths}). Read once when James
 * builds its WebAdmin routes; a bad value stops the start, naming the parameter.
 */
public final class WebAdminSettings {
    /** The file, relative to James's working directory. */
    public static final String FILE = "conf/mailsec-webadmin.properties";

    static final String DKM_CONFIG = "dkmConfig";
    static final String RIGHTS_CONFIG = "rightsConfig";
    static final String CONNECTORS = "connectors";
    private static final Set<String> KNOWN = Set.of(DKM_CONFIG, RIGHTS_CONFIG, CONNECTORS);

    private final Path dkmConfig;
    private final Path rightsConfig;
    private final Path connectors;

    WebAdminSettings(Path dkmConfig, Path rightsConfig, Path connectors) {
        this.dkmConfig = dkmConfig;
        this.rightsConfig = rightsConfig;
        this.connectors = connectors;
    }

    /** Reads {@link #FILE} if it exists, else the defaults. */
    public static WebAdminSettings load() {
        Path file = PackPaths.resolve(FILE);
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException e) {
                throw new ConfigException(
                        FILE, "file", file.toString(), "cannot read: " + e.getMessage(), e);
            }
        }
        return parse(p);
    }

    static WebAdminSettings parse(Properties p) {
        for (String name : p.stringPropertyNames()) {
            if (!KNOWN.contains(name)) {
                throw new ConfigException(
                        FILE,
                        name,
                        p.getProperty(name),
                        "unknown parameter (known: dkmConfig, rightsConfig, connectors)",
                        null);
            }
        }
        Parameters params = Parameters.of(FILE, p::getProperty);
        return new WebAdminSettings(
                params.path(DKM_CONFIG, "conf/dkm.properties"),
                params.path(RIGHTS_CONFIG, "conf/rights.xml"),
                params.path(CONNECTORS, "conf/connectors.xml"));
    }

    Path dkmConfig() {
        return dkmConfig;
    }

    /** rights.xml, when the pack's rights protection is set up (the file exists). */
    Optional<Path> rightsConfig() {
        return Files.isRegularFile(rightsConfig) ? Optional.of(rightsConfig) : Optional.empty();
    }

    /** connectors.xml, when the pack's TLS connectors are set up (the file exists). */
    Optional<Path> connectors() {
        return Files.isRegularFile(connectors) ? Optional.of(connectors) : Optional.empty();
    }
}
