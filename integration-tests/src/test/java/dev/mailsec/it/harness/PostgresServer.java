package dev.mailsec.it.harness;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL instance of the test's own: {@code initdb} into a scratch folder owned by {@code
 * postgres}, started with {@code pg_ctl} on a free loopback port (trust authentication, user {@code
 * postgres}), so a test can stop it as a crash would ({@code -m immediate}) and start it again.
 * Needs the server binaries under {@code /usr/lib/postgresql/N/bin} and, when the test runs as
 * root, {@code runuser} (PostgreSQL refuses to run as root).
 */
public final class PostgresServer implements AutoCloseable {

    private final Path bin;
    private final Path dir;
    private final Path data;
    public final int port;

    private PostgresServer(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
    }

    /** The newest {@code /usr/lib/postgresql/N/bin} with {@code pg_ctl}, if any. */
    public static Optional<Path> binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(b -> versionOf(b.getParent())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int versionOf(Path p) {
        try {
            return Integer.parseInt(p.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Makes a new cluster in a fresh scratch folder and starts it. */
    public static PostgresServer start(Path bin) throws Exception {
        Path dir =
                Files.createTempDirectory(
                        "mailsec-pg-",
                        PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rwxr-xr-x")));
        PostgresServer pg = new PostgresServer(bin, dir, InstalledJames.freePort());
        if (root()) {
            InstalledJames.run(dir, "chown", "postgres:postgres", dir.toString());
        }
        pg.asOwner(
                "initdb",
                "-D",
                pg.data.toString(),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--no-sync");
        pg.start();
        // pg_ctl detaches the server: a test JVM that ends without close() must not leave it
        // running
        Runtime.getRuntime().addShutdownHook(new Thread(pg::stopQuietly));
        return pg;
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/postgres?user=postgres}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    /** {@code pg_ctl start -w}: returns once it accepts connections. */
    public void start() throws Exception {
        asOwner(
                "pg_ctl",
                "-D",
                data.toString(),
                "-l",
                dir.resolve("postgres.log").toString(),
                "-w",
                "-t",
                "120",
                "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off",
                "start");
    }

    /** {@code pg_ctl stop -m immediate}: every connection dropped at once, as a crash would. */
    public void crash() throws Exception {
        asOwner("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop");
    }

    /** Stops the server (if running) and removes its folder. */
    @Override
    public void close() throws Exception {
        stopQuietly();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** {@code pg_ctl stop -m fast} if it runs; nothing if it does not. */
    private void stopQuietly() {
        if (!Files.exists(data.resolve("postmaster.pid"))) {
            return;
        }
        try {
            Process p =
                    new ProcessBuilder(
                                    command("pg_ctl", "-D", data.toString(), "-m", "fast", "stop"))
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
            p.waitFor(60, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            // best effort
        }
    }

    /** The server's log so far (for assertion messages). */
    public String log() {
        try {
            return Files.readString(dir.resolve("postgres.log"), UTF_8);
        } catch (IOException e) {
            return "(no postgres.log)";
        }
    }

    private void asOwner(String tool, String... args) throws Exception {
        InstalledJames.run(dir, command(tool, args).toArray(new String[0]));
    }

    private List<String> command(String tool, String... args) {
        List<String> argv = new ArrayList<>();
        if (root()) {
            argv.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        argv.add(bin.resolve(tool).toString());
        argv.addAll(Arrays.asList(args));
        return argv;
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }
}
