package dev.mailsec.smime;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenLDAP slapd (Debian packages {@code slapd ldap-utils}) on a loopback port, with the core,
 * cosine and inetOrgPerson schemas, suffix {@code dc=example,dc=test} (admin {@code cn=admin}, password
 * {@code secret}), loaded with the given LDIF.
 */
final class Slapd implements AutoCloseable {

    final int port;
    private final Process process;

    private Slapd(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    /** A port free right now, for a test that must write the server's URL (e.g. into certificates) before it starts. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static Slapd start(Path dir, int port, String ldif) throws Exception {
        return start(dir, port, ldif, "");
    }

    /** @param access slapd.conf {@code access} directives for the database (the admin is above them) */
    static Slapd start(Path dir, int port, String ldif, String access) throws Exception {
        Files.createDirectories(dir.resolve("db"));
        Files.writeString(dir.resolve("slapd.conf"), ""
            + "include /etc/ldap/schema/core.schema\n"
            + "include /etc/ldap/schema/cosine.schema\n"
            + "include /etc/ldap/schema/inetorgperson.schema\n"
            + "pidfile " + dir.resolve("slapd.pid") + "\n"
            + "argsfile " + dir.resolve("slapd.args") + "\n"
            + "modulepath /usr/lib/ldap\n"
            + "moduleload back_mdb\n"
            + "database mdb\n"
            + "maxsize 10485760\n"
            + "suffix \"dc=example,dc=test\"\n"
            + "rootdn \"cn=admin,dc=example,dc=test\"\n"
            + "rootpw secret\n"
            + "directory " + dir.resolve("db") + "\n"
            + "index objectClass eq\n"
            + "index mail eq\n"
            + access);
        Files.writeString(dir.resolve("data.ldif"), ldif);
        Process process = new ProcessBuilder("/usr/sbin/slapd", "-d", "0", "-h", "ldap://127.0.0.1:" + port + "/", "-f",
            dir.resolve("slapd.conf").toString()).redirectErrorStream(true).redirectOutput(dir.resolve("slapd.log").toFile()).start();
        Slapd slapd = new Slapd(port, process);
        try {
            slapd.awaitPort(dir);
            Openssl.ok(dir, "ldapadd", "-x", "-H", slapd.url(), "-D", "cn=admin,dc=example,dc=test", "-w", "secret", "-f", "data.ldif");
        } catch (Exception | Error e) {
            slapd.close();
            throw e;
        }
        return slapd;
    }

    /** Runs ldapmodify as the admin with the given LDIF change records. */
    void modify(Path dir, String ldif) throws Exception {
        Path file = Files.createTempFile(dir, "change", ".ldif");
        Files.writeString(file, ldif);
        Openssl.ok(dir, "ldapmodify", "-x", "-H", url(), "-D", "cn=admin,dc=example,dc=test", "-w", "secret", "-f", file.toString());
    }

    String url() {
        return "ldap://127.0.0.1:" + port;
    }

    private void awaitPort(Path dir) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new IllegalStateException("slapd did not start: " + Files.readString(dir.resolve("slapd.log")), e);
                }
                Thread.sleep(50);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }
}
