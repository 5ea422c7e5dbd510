package dev.mailsec.it.harness;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own, on a free loopback port, that the test can stop ("the
 * database server is down") and start again; data in a fresh directory, trust authentication for
 * user {@code postgres}. Needs the server binaries ({@code initdb}, {@code pg_ctl}: Debian's
 * postgresql package); {@link #available()} says whether they are there. As root (a container), the
 * server runs as the {@code postgres} user, since PostgreSQL refuses to run as root.
 */
public final class LocalPostgres implements AutoCloseable {

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;
    private boolean running;

    private LocalPostgres(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** Whether the server binaries are installed. */
    public static boolean available() {
        return binaries().isPresent();
    }

    /** Creates the cluster (initdb) and starts it. */
    public static LocalPostgres start() throws Exception {
        Path bin = binaries().orElseThrow(() -> new IllegalStateException("no initdb/pg_ctl"));
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("mailsec-pg-");
        if (root) {
            UserPrincipal postgres =
                    dir.getFileSystem()
                            .getUserPrincipalLookupService()
                            .lookupPrincipalByName("postgres");
            Files.setOwner(dir, postgres);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        LocalPostgres pg = new LocalPostgres(bin, dir, port, root);
        pg.run(
                bin.resolve("initdb").toString(),
                "-D",
                dir.resolve("data").toString(),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync");
        pg.startServer();
        return pg;
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/postgres?user=postgres&connectTimeout=2}. */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres&connectTimeout=2";
    }

    public int port() {
        return port;
    }

    /** Starts the stopped server again, on the same port, with the same data. */
    public void startServer() throws Exception {
        run(
                bin.resolve("pg_ctl").toString(),
                "-D",
                dir.resolve("data").toString(),
                "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1",
                "-l",
                dir.resolve("server.log").toString(),
                "-w",
                "start");
        running = true;
    }

    /** Stops the server as a crash would: no checkpoint, connections cut. */
    public void stopServer() throws Exception {
        run(
                bin.resolve("pg_ctl").toString(),
                "-D",
                dir.resolve("data").toString(),
                "-m",
                "immediate",
                "-w",
                "stop");
        running = false;
    }

    @Override
    public void close() throws Exception {
        if (running) {
            stopServer();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private void run(String... command) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (asPostgresUser) {
            cmd.add("runuser");
            cmd.add("-u");
            cmd.add("postgres");
            cmd.add("--");
        }
        cmd.addAll(List.of(command));
        Path out = Files.createTempFile("mailsec-pg-cmd-", ".log");
        try {
            Process p =
                    new ProcessBuilder(cmd)
                            .redirectErrorStream(true)
                            .redirectOutput(out.toFile())
                            .directory(new File("/"))
                            .start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + cmd);
            }
            if (p.exitValue() != 0) {
                throw new IOException(
                        cmd + " exited " + p.exitValue() + ": " + Files.readString(out));
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The folder of initdb and pg_ctl: on the PATH, else Debian's /usr/lib/postgresql/N/bin. */
    private static Optional<Path> binaries() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Paths.get(d);
            if (Files.isExecutable(p.resolve("initdb"))
                    && Files.isExecutable(p.resolve("pg_ctl"))) {
                try {
                    // /usr/local/bin/initdb may be a link into the real folder, where postgres is
                    return Optional.of(p.resolve("initdb").toRealPath().getParent());
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
        }
        try (Stream<Path> versions = Files.list(Paths.get("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
