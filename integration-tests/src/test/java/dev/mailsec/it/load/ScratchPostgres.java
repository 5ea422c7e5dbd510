package dev.mailsec.it.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.it.harness.InstalledJames;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own: Debian's binaries ({@code /usr/lib/postgresql/N/bin}), a
 * new cluster ({@code initdb}, trust on loopback) in a scratch folder owned by {@code postgres},
 * listening on a free loopback port. {@link #kill()} ends the postmaster and its backends with
 * SIGKILL, as a crash of the database host would; {@link #start()} starts it again on the same port
 * and data (crash recovery).
 */
public final class ScratchPostgres implements AutoCloseable {

    private final Path dir;
    private final Path bin;
    private final int port;
    private Process server;

    private ScratchPostgres(Path dir, Path bin, int port) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
        Runtime.getRuntime().addShutdownHook(new Thread(this::killQuietly));
    }

    private void killQuietly() {
        try {
            Path pid = dir.resolve("data/postmaster.pid");
            if (Files.exists(pid)) {
                ProcessHandle.of(Long.parseLong(Files.readAllLines(pid).get(0).trim()))
                        .ifPresent(ProcessHandle::destroyForcibly);
            }
        } catch (IOException | RuntimeException e) {
            // the JVM is ending; nothing more to do
        }
    }

    /** The binaries of the newest PostgreSQL installed, if any. */
    public static Optional<Path> binaries() throws IOException {
        Path root = Paths.get("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("postgres")))
                    .max(
                            Comparator.comparing(
                                    b -> Integer.parseInt(b.getParent().getFileName().toString())));
        }
    }

    /** Makes a new cluster and starts it. */
    public static ScratchPostgres create(Path bin) throws Exception {
        Path dir = Files.createTempDirectory(Paths.get("/tmp"), "mailsec-pg-");
        InstalledJames.run(dir, "chown", "postgres:postgres", dir.toString());
        InstalledJames.run(
                dir,
                "runuser",
                "-u",
                "postgres",
                "--",
                bin.resolve("initdb").toString(),
                "-D",
                dir.resolve("data").toString(),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync");
        ScratchPostgres pg = new ScratchPostgres(dir, bin, InstalledJames.freePort());
        pg.start();
        return pg;
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/postgres?user=postgres}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    /** Starts the server; returns once it accepts connections (60 s at most). */
    public void start() throws Exception {
        server =
                new ProcessBuilder(
                                "runuser",
                                "-u",
                                "postgres",
                                "--",
                                bin.resolve("postgres").toString(),
                                "-D",
                                dir.resolve("data").toString(),
                                "-p",
                                Integer.toString(port),
                                "-k",
                                dir.toString(),
                                "-c",
                                "listen_addresses=127.0.0.1",
                                "-c",
                                "fsync=off")
                        .redirectErrorStream(true)
                        .redirectOutput(
                                ProcessBuilder.Redirect.appendTo(dir.resolve("pg.log").toFile()))
                        .start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            assertThat(server.isAlive())
                    .as("postgres exited: %s", Files.readString(dir.resolve("pg.log")))
                    .isTrue();
            Process ready =
                    new ProcessBuilder(
                                    bin.resolve("pg_isready").toString(),
                                    "-h",
                                    "127.0.0.1",
                                    "-p",
                                    Integer.toString(port))
                            .redirectErrorStream(true)
                            .start();
            ready.getInputStream().readAllBytes();
            if (ready.waitFor(30, TimeUnit.SECONDS) && ready.exitValue() == 0) {
                return;
            }
            assertThat(Instant.now()).as("postgres not ready in 60 s").isBefore(deadline);
            Thread.sleep(200);
        }
    }

    /** SIGKILL to the postmaster and every backend; returns once the port is closed. */
    public void kill() throws Exception {
        long postmaster =
                Long.parseLong(
                        Files.readAllLines(dir.resolve("data/postmaster.pid")).get(0).trim());
        ProcessHandle handle = ProcessHandle.of(postmaster).orElseThrow();
        List<ProcessHandle> all =
                Stream.concat(Stream.of(handle), handle.descendants()).collect(Collectors.toList());
        for (ProcessHandle p : all) {
            p.destroyForcibly();
        }
        LoadedJames.await(
                "postgres gone",
                Duration.ofSeconds(30),
                () -> all.stream().noneMatch(ProcessHandle::isAlive) && !listening());
        server.waitFor(30, TimeUnit.SECONDS);
    }

    private boolean listening() {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws Exception {
        if (server != null && server.isAlive()) {
            kill();
        }
        InstalledJames.run(Paths.get("/tmp"), "rm", "-rf", dir.toString());
    }
}
