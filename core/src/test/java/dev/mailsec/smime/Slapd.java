package dev.mailsec.smime;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenLDAP slapd (Debian packages {@code slapd ldap-utils}) on a loopback port, with the
 * core, cosine and inetOrgPerson schemas, suffix {@code dc=example,dc=test} (admin {@code
 * cn=admin}, password {@code secret}), loaded with the given LDIF.
 */
public final class Slapd implements AutoCloseable {

    public final int port;
    private final Process process;
    private final Path dir;
    private final String listen;

    private Slapd(int port, Process process, Path dir, String listen) {
        this.port = port;
        this.process = process;
        this.dir = dir;
        this.listen = listen;
    }

    /**
     * A port free right now, for a test that must write the server's URL (e.g. into certificates)
     * before it starts.
     */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public static Slapd start(Path dir, int port, String ldif) throws Exception {
        return start(dir, port, ldif, "");
    }

    /**
     * @param access slapd.conf {@code access} directives for the database (the admin is above them)
     */
    public static Slapd start(Path dir, int port, String ldif, String access) throws Exception {
        return start(dir, port, ldif, access, 0, null, null);
    }

    /**
     * Also listening for {@code ldaps://} on {@code tlsPort} with the PEM certificate and key given
     * (slapd in Debian uses GnuTLS).
     */
    public static Slapd start(
            Path dir, int port, String ldif, String access, int tlsPort, Path certificate, Path key)
            throws Exception {
        Files.createDirectories(dir.resolve("db"));
        String tls =
                tlsPort == 0
                        ? ""
                        : "TLSCertificateFile "
                                + certificate
                                + "\nTLSCertificateKeyFile "
                                + key
                                + "\n";
        Files.writeString(
                dir.resolve("slapd.conf"),
                ""
                        + "include /etc/ldap/schema/core.schema\n"
                        + "include /etc/ldap/schema/cosine.schema\n"
                        + "include /etc/ldap/schema/inetorgperson.schema\n"
                        + "pidfile "
                        + dir.resolve("slapd.pid")
                        + "\n"
                        + "argsfile "
                        + dir.resolve("slapd.args")
                        + "\n"
                        + "modulepath /usr/lib/ldap\n"
                        + "moduleload back_mdb\n"
                        + tls
                        + "database mdb\n"
                        + "maxsize 10485760\n"
                        + "suffix \"dc=example,dc=test\"\n"
                        + "rootdn \"cn=admin,dc=example,dc=test\"\n"
                        + "rootpw secret\n"
                        + "directory "
                        + dir.resolve("db")
                        + "\n"
                        + "index objectClass eq\n"
                        + "index mail eq\n"
                        + access);
        Files.writeString(dir.resolve("data.ldif"), ldif);
        String listen =
                "ldap://127.0.0.1:"
                        + port
                        + "/"
                        + (tlsPort == 0 ? "" : " ldaps://127.0.0.1:" + tlsPort + "/");
        Slapd slapd = new Slapd(port, launch(dir, listen), dir, listen);
        try {
            slapd.awaitPort(dir);
            Openssl.ok(
                    dir,
                    "ldapadd",
                    "-x",
                    "-H",
                    slapd.url(),
                    "-D",
                    "cn=admin,dc=example,dc=test",
                    "-w",
                    "secret",
                    "-f",
                    "data.ldif");
        } catch (Exception | Error e) {
            slapd.close();
            throw e;
        }
        return slapd;
    }

    private static Process launch(Path dir, String listen) throws IOException {
        return new ProcessBuilder(
                        "/usr/sbin/slapd",
                        "-d",
                        "0",
                        "-h",
                        listen,
                        "-f",
                        dir.resolve("slapd.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("slapd.log").toFile()))
                .start();
    }

    /** Kills slapd at once (SIGKILL), as a crash would, and waits for it to go. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    /**
     * Starts slapd again on the same ports, configuration and database (after {@link #close} or
     * {@link #kill}), with the entries it held; this instance is then stale.
     */
    public Slapd restart() throws Exception {
        Slapd again = new Slapd(port, launch(dir, listen), dir, listen);
        try {
            again.awaitPort(dir);
        } catch (Exception | Error e) {
            again.close();
            throw e;
        }
        return again;
    }

    /** Runs ldapmodify as the admin with the given LDIF change records. */
    public void modify(Path dir, String ldif) throws Exception {
        Path file = Files.createTempFile(dir, "change", ".ldif");
        Files.writeString(file, ldif);
        Openssl.ok(
                dir,
                "ldapmodify",
                "-x",
                "-H",
                url(),
                "-D",
                "cn=admin,dc=example,dc=test",
                "-w",
                "secret",
                "-f",
                file.toString());
    }

    /**
     * Writes, with openssl, a private CA ({@code tls-ca.pem}, {@code tls-ca.key}) and a server
     * certificate for the address 127.0.0.1 only ({@code server.pem}, {@code server.key}), as an
     * enterprise CA issues a domain controller's.
     */
    public static void writeTlsFiles(Path dir) throws Exception {
        Openssl.ok(
                dir,
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "tls-ca.key",
                "-out",
                "tls-ca.pem",
                "-subj",
                "/CN=LDAP TLS CA",
                "-days",
                "2",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign");
        Openssl.ok(
                dir,
                "openssl",
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
                "-subj",
                "/CN=127.0.0.1");
        Files.writeString(
                dir.resolve("server.ext"),
                "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"
                        + "keyUsage=critical,digitalSignature,keyEncipherment\n");
        Openssl.ok(
                dir,
                "openssl",
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "tls-ca.pem",
                "-CAkey",
                "tls-ca.key",
                "-CAcreateserial",
                "-out",
                "server.pem",
                "-days",
                "2",
                "-extfile",
                "server.ext");
    }

    public String url() {
        return "ldap://127.0.0.1:" + port;
    }

    private void awaitPort(Path dir) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new IllegalStateException(
                            "slapd did not start: " + Files.readString(dir.resolve("slapd.log")),
                            e);
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
