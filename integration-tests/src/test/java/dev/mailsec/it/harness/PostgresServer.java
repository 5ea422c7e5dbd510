package dev.mailsec.it.harness;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own: a new cluster ({@code initdb}, trust authentication for
 * user {@code postgres}, UTF8) in a scratch folder, listening on a free loopback port. The test can
 * take it down as a crash would, either {@link #crash()} ({@code pg_ctl stop -m immediate}) or
 * {@link #kill()} (SIGKILL to the postmaster and every backend), and {@link #start()} it again on
 * the same port and data (crash recovery). The server runs as a child of the test JVM, so a killed
 * one is reaped; a shutdown hook stops it if the JVM ends without {@link #close()}.
 *
 * <p>Needs the server binaries ({@code initdb}, {@code pg_ctl}, {@code postgres}, {@code
 * pg_isready}): on the PATH, else Debian's {@code /usr/lib/postgresql/N/bin}; {@link #binaries()}
 * says whether they are there, callers decide whether to skip. As root (a container), the server
 * runs as the {@code postgres} user through {@code runuser}, since PostgreSQL refuses to run as
 * root.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(120);

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final Path log;
    public final int port;
    private Process server;

    private PostgresServer(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.log = dir.resolve("postgres.log");
        this.port = port;
    }

    /**
     * The folder of the server binaries: the one of {@code initdb} on the PATH, else the newest
     * {@code /usr/lib/postgresql/N/bin}; empty if neither has them all.
     */
    public static Optional<Path> binaries() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path initdb = Path.of(d).resolve("initdb");
            if (Files.isExecutable(initdb)) {
                try {
                    // /usr/local/bin/initdb may be a link into the real folder, where postgres is
                    Path real = initdb.toRealPath().getParent();
                    if (complete(real)) {
                        return Optional.of(real);
                    }
                } catch (IOException e) {
                    // not this one
                }
            }
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(PostgresServer::complete)
                    .max(Comparator.comparing(b -> versionOf(b.getParent())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean complete(Path bin) {
        return Stream.of("initdb", "pg_ctl", "postgres", "pg_isready")
                .allMatch(tool -> Files.isExecutable(bin.resolve(tool)));
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
        InstalledJames.run(
                dir,
                command(
                        bin,
                        "initdb",
                        "-D",
                        pg.data.toString(),
                        "-A",
                        "trust",
                        "-U",
                        "postgres",
                        "-E",
                        "UTF8",
                        "--no-sync"));
        // a test JVM that ends without close() must not leave the server running
        Runtime.getRuntime().addShutdownHook(new Thread(pg::stopQuietly));
        pg.start();
        return pg;
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/postgres?user=postgres}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    /**
     * Starts the stopped server again, on the same port with the same data; returns once it accepts
     * connections (after crash recovery).
     */
    public void start() throws Exception {
        server =
                new ProcessBuilder(
                                command(
                                        bin,
                                        "postgres",
                                        "-D",
                                        data.toString(),
                                        "-p",
                                        Integer.toString(port),
                                        "-k",
                                        dir.toString(),
                                        "-c",
                                        "listen_addresses=127.0.0.1",
                                        "-c",
                                        "fsync=off"))
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
        Instant deadline = Instant.now().plus(READY);
        // alive first: a postmaster that could not bind must not take another server for itself
        while (!server.isAlive() || !ready() || !server.isAlive()) {
            if (!server.isAlive()) {
                throw new IllegalStateException("postgres exited: " + log());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("postgres not ready in " + READY + ": " + log());
            }
            Thread.sleep(200);
        }
    }

    /** {@code pg_isready}: accepting connections (not starting up, not recovering). */
    private boolean ready() throws Exception {
        Process p =
                new ProcessBuilder(
                                bin.resolve("pg_isready").toString(),
                                "-h",
                                "127.0.0.1",
                                "-p",
                                Integer.toString(port))
                        .redirectErrorStream(true)
                        .start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    /** {@code pg_ctl stop -m immediate}: every connection dropped at once, as a crash would. */
    public void crash() throws Exception {
        InstalledJames.run(
                dir,
                command(bin, "pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop"));
        reap();
    }

    /** SIGKILL to the postmaster and every backend; returns once they are gone, port closed. */
    public void kill() throws Exception {
        ProcessHandle postmaster = ProcessHandle.of(postmasterPid()).orElseThrow();
        List<ProcessHandle> all =
                Stream.concat(Stream.of(postmaster), postmaster.descendants())
                        .collect(Collectors.toList());
        all.forEach(ProcessHandle::destroyForcibly);
        Instant deadline = Instant.now().plusSeconds(30);
        while (all.stream().anyMatch(ProcessHandle::isAlive) || listening()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("postgres still there 30 s after SIGKILL");
            }
            Thread.sleep(200);
        }
        reap();
    }

    private long postmasterPid() throws IOException {
        return Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
    }

    private void reap() throws InterruptedException {
        if (server != null) {
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private boolean listening() {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the server (if running) and removes its folder. */
    @Override
    public void close() throws Exception {
        stopQuietly();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** {@code pg_ctl stop -m fast} if it runs, SIGKILL if that fails; nothing if it does not. */
    private void stopQuietly() {
        if (server == null || !server.isAlive()) {
            return;
        }
        try {
            Process p =
                    new ProcessBuilder(
                                    command(
                                            bin,
                                            "pg_ctl",
                                            "-D",
                                            data.toString(),
                                            "-m",
                                            "fast",
                                            "-w",
                                            "stop"))
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
            p.waitFor(60, TimeUnit.SECONDS);
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (Exception e) {
            // best effort: the JVM may be ending
        }
    }

    /** The server's log so far (for assertion messages). */
    public String log() {
        try {
            return Files.readString(log, UTF_8);
        } catch (IOException e) {
            return "(no postgres.log)";
        }
    }

    private static String[] command(Path bin, String tool, String... args) {
        List<String> argv = new ArrayList<>();
        if (root()) {
            argv.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        argv.add(bin.resolve(tool).toString());
        argv.addAll(Arrays.asList(args));
        return argv.toArray(new String[0]);
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }
}
