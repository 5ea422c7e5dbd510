package dev.mailsec.dkm;

import dev.mailsec.dkm.root.FileRootKeys;
import dev.mailsec.dkm.root.Pkcs11RootKeys;
import dev.mailsec.dkm.root.RootKeys;
import dev.mailsec.dkm.spi.Storage;
import dev.mailsec.dkm.store.FileStorage;
import dev.mailsec.dkm.store.JdbcStorage;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Settings of a DKM client, usually read from {@code dkm.properties}:
 *
 * <pre>
 * store=file:/var/lib/mailsec/dkm/data        # or jdbc:postgresql://db:5432/mail?user=james
 * store.schema=mailsec_dkm                    # PostgreSQL only
 * identity=/etc/mailsec/james-transport.cred  # this node's credential file
 * cacheTtl=PT5M                               # how long decrypted secrets are kept in memory
 * rootKey=file:/var/lib/mailsec/dkm/root-keys # only where admin commands run; or pkcs11:/etc/mailsec/pkcs11.cfg
 * rootKeyPinFile=/etc/mailsec/hsm.pin         # PKCS#11 only
 * </pre>
 *
 * Relative paths follow the pack's one path rule (docs/paths.md; {@code
 * dev.mailsec.config.PackPaths} in core implements it for everything else, and this module imports
 * nothing of ours): they resolve against James's working directory, the system property {@code
 * working.directory}, or the current directory when it is unset; {@code file://var/x} is the
 * relative path {@code var/x}, {@code file:///x} is absolute. Unknown keys are refused.
 */
public final class DkmConfig {
    private static final Set<String> KEYS =
            new HashSet<>(
                    Arrays.asList(
                            "store",
                            "store.schema",
                            "identity",
                            "cacheTtl",
                            "rootKey",
                            "rootKeyPinFile"));
    private static final Duration MAX_TTL = Duration.ofDays(1);

    private final String store;
    private final String schema;
    private final Path identity;
    private final Duration cacheTtl;
    private final String rootKey;
    private final Path rootKeyPinFile;

    public DkmConfig(
            String store,
            String schema,
            Path identity,
            Duration cacheTtl,
            String rootKey,
            Path rootKeyPinFile)
            throws DkmInvalidRequestException {
        if (store == null || !(store.startsWith("file:") || store.startsWith("jdbc:postgresql:"))) {
            throw new DkmInvalidRequestException(
                    "store: must be file:/path or jdbc:postgresql://..., got '"
                            + redactUrl(store)
                            + "'");
        }
        if (cacheTtl.isNegative() || cacheTtl.compareTo(MAX_TTL) > 0) {
            throw new DkmInvalidRequestException(
                    "cacheTtl: must be between PT0S and P1D, got '" + cacheTtl + "'");
        }
        if (rootKey != null && !(rootKey.startsWith("file:") || rootKey.startsWith("pkcs11:"))) {
            throw new DkmInvalidRequestException(
                    "rootKey: must be file:/dir or pkcs11:/path/to/pkcs11.cfg, got '"
                            + rootKey
                            + "'");
        }
        if (rootKey != null && rootKey.startsWith("pkcs11:") && rootKeyPinFile == null) {
            throw new DkmInvalidRequestException(
                    "rootKeyPinFile: required with rootKey=" + rootKey);
        }
        this.store = store;
        this.schema = schema == null ? "mailsec_dkm" : schema;
        this.identity = identity;
        this.cacheTtl = cacheTtl;
        this.rootKey = rootKey;
        this.rootKeyPinFile = rootKeyPinFile;
    }

    /**
     * Reads {@code propertiesFile}; relative paths inside it resolve against James's working
     * directory.
     */
    public static DkmConfig load(Path propertiesFile) throws DkmInvalidRequestException {
        return load(propertiesFile, workingDirectory());
    }

    /**
     * Reads {@code propertiesFile} with relative paths inside it resolved against {@code base}: the
     * store folder for the {@code dkm.properties} that {@code dkm init} writes into it ({@code
     * mailsec dkm --store DIR}).
     */
    public static DkmConfig load(Path propertiesFile, Path base) throws DkmInvalidRequestException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(propertiesFile, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new DkmInvalidRequestException(
                    "cannot read DKM configuration " + propertiesFile + ": " + e.getMessage(), e);
        }
        for (String k : p.stringPropertyNames()) {
            if (!KEYS.contains(k)) {
                throw new DkmInvalidRequestException(
                        propertiesFile
                                + ": unknown parameter '"
                                + k
                                + "' (known: "
                                + new TreeSet<>(KEYS)
                                + ")");
            }
        }
        String ttl = p.getProperty("cacheTtl", "PT5M").trim();
        Duration cacheTtl;
        try {
            cacheTtl =
                    ttl.matches("\\d+")
                            ? Duration.ofSeconds(Long.parseLong(ttl))
                            : Duration.parse(ttl);
        } catch (DateTimeParseException e) {
            throw new DkmInvalidRequestException(
                    "cacheTtl: must be seconds or an ISO-8601 duration, got '" + ttl + "'");
        }
        String store = trimmed(p.getProperty("store"));
        if (store != null && store.startsWith("file:")) {
            store = "file:" + resolve(base, "store", store);
        }
        String rootKey = trimmed(p.getProperty("rootKey"));
        if (rootKey != null && rootKey.startsWith("file:")) {
            rootKey = "file:" + resolve(base, "rootKey", rootKey);
        } else if (rootKey != null && rootKey.startsWith("pkcs11:")) {
            rootKey = "pkcs11:" + resolve(base, "rootKey", rootKey.substring(7));
        }
        String id = trimmed(p.getProperty("identity"));
        String pin = trimmed(p.getProperty("rootKeyPinFile"));
        return new DkmConfig(
                store,
                trimmed(p.getProperty("store.schema")),
                id == null ? null : resolve(base, "identity", id),
                cacheTtl,
                rootKey,
                pin == null ? null : resolve(base, "rootKeyPinFile", pin));
    }

    private static String trimmed(String s) {
        return s == null || s.trim().isEmpty() ? null : s.trim();
    }

    /** {@code working.directory}, else the current directory (as PackPaths.home() in core). */
    static Path workingDirectory() {
        String wd = System.getProperty("working.directory");
        return (wd == null || wd.trim().isEmpty() ? Paths.get("") : Paths.get(wd.trim()))
                .toAbsolutePath()
                .normalize();
    }

    /**
     * The path rule of PackPaths.resolve(base, configured) in core, kept small here: dkm imports
     * nothing of ours.
     */
    static Path resolve(Path base, String key, String configured)
            throws DkmInvalidRequestException {
        String path =
                configured.startsWith("file://")
                        ? configured.substring(7)
                        : configured.startsWith("file:") ? configured.substring(5) : configured;
        Path p;
        try {
            p = path.isEmpty() ? null : Paths.get(path);
        } catch (InvalidPathException e) {
            p = null;
        }
        if (p == null) {
            throw new DkmInvalidRequestException(
                    key + ": not a file path, got '" + configured + "'");
        }
        return (p.isAbsolute() ? p : base.toAbsolutePath().resolve(p)).normalize();
    }

    static String redactUrl(String url) {
        return url == null ? null : url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    public String store() {
        return store;
    }

    public Optional<Path> identity() {
        return Optional.ofNullable(identity);
    }

    public Duration cacheTtl() {
        return cacheTtl;
    }

    public Optional<String> rootKey() {
        return Optional.ofNullable(rootKey);
    }

    public DkmConfig withIdentity(Path credential) throws DkmInvalidRequestException {
        return new DkmConfig(store, schema, credential, cacheTtl, rootKey, rootKeyPinFile);
    }

    /** Opens the configured store; {@code create} makes a new file store directory. */
    public Storage openStorage(boolean create) throws DkmUnavailableException {
        if (store.startsWith("file:")) {
            Path dir = Paths.get(store.substring(5));
            return create ? FileStorage.create(dir) : FileStorage.open(dir);
        }
        return JdbcStorage.open(store, schema);
    }

    /** The configured root keys, if this process may use them. */
    public Optional<RootKeys> openRootKeys() throws DkmUnavailableException {
        if (rootKey == null) {
            return Optional.empty();
        }
        if (rootKey.startsWith("file:")) {
            return Optional.of(new FileRootKeys(Paths.get(rootKey.substring(5))));
        }
        char[] pin;
        try {
            pin =
                    new String(Files.readAllBytes(rootKeyPinFile), StandardCharsets.UTF_8)
                            .trim()
                            .toCharArray();
        } catch (IOException e) {
            throw new DkmUnavailableException(
                    "rootKeyPinFile: cannot read " + rootKeyPinFile + ": " + e.getMessage(), e);
        }
        return Optional.of(new Pkcs11RootKeys(Paths.get(rootKey.substring(7)), pin));
    }

    @Override
    public String toString() {
        return "DkmConfig[store="
                + redactUrl(store)
                + ", identity="
                + identity
                + ", cacheTtl="
                + cacheTtl
                + ", rootKey="
                + rootKey
                + "]";
    }
}
