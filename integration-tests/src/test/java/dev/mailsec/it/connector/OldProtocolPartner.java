package dev.mailsec.it.connector;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A partner's SMTP server that offers STARTTLS with TLS 1.1 or 1.0 only. JDK 17 disables both in
 * {@code jdk.tls.disabledAlgorithms}, read once per JVM, and James runs in the test's JVM, so this
 * partner runs in a JVM of its own whose security properties allow them ({@code
 * -Djava.security.properties}); James keeps the JDK's defaults. The child reports its connection
 * and message counts on standard output.
 */
final class OldProtocolPartner implements AutoCloseable {

    /** The JDK 17 default list without TLSv1 and TLSv1.1. */
    private static final String ALLOW_OLD_TLS =
            "jdk.tls.disabledAlgorithms=SSLv3, DTLSv1.0, RC4, DES, MD5withRSA, "
                    + "DH keySize < 1024, EC keySize < 224, 3DES_EDE_CBC, anon, NULL\n";

    private final Process process;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger received = new AtomicInteger();

    /**
     * Starts the partner on {@code address:25} with a certificate for {@code dnsName} from {@code
     * pki}, offering {@code protocols}.
     */
    OldProtocolPartner(PartnerPki pki, String dnsName, InetAddress address, String... protocols)
            throws Exception {
        Path dir = Files.createTempDirectory("mailsec-old-tls-");
        Path keyStore = dir.resolve("server.p12");
        char[] password = pki.writeServerKeyStore(keyStore, dnsName);
        Path security = dir.resolve("java.security");
        Files.writeString(security, ALLOW_OLD_TLS);
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Paths.get(System.getProperty("java.home"), "bin", "java")
                                        .toString(),
                                "-Djava.security.properties=" + security,
                                "-Xmx64m",
                                "-cp",
                                System.getProperty("java.class.path"),
                                OldProtocolPartner.class.getName(),
                                keyStore.toString(),
                                address.getHostAddress()));
        command.addAll(List.of(protocols));
        process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.PIPE)
                        .start();
        process.getOutputStream()
                .write((new String(password) + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        if (!"ready".equals(first)) {
            process.destroyForcibly();
            throw new IllegalStateException("old-protocol partner did not start: " + first);
        }
        Thread reader =
                new Thread(
                        () -> {
                            try {
                                String line;
                                while ((line = out.readLine()) != null) {
                                    String[] counts = line.split(" ");
                                    if (counts.length == 2
                                            && counts[0].matches("\\d+")
                                            && counts[1].matches("\\d+")) {
                                        connections.set(Integer.parseInt(counts[0]));
                                        received.set(Integer.parseInt(counts[1]));
                                    }
                                }
                            } catch (IOException ended) {
                                // the partner stopped
                            }
                        },
                        "old-protocol-partner-output");
        reader.setDaemon(true);
        reader.start();
    }

    int connections() {
        return connections.get();
    }

    /** Messages the partner accepted, however they arrived. */
    int received() {
        return received.get();
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Child JVM: {@code KEYSTORE ADDRESS PROTOCOL...}, the key store password on the first line of
     * standard input.
     */
    public static void main(String[] args) throws Exception {
        BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        char[] password = in.readLine().toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream file = new FileInputStream(args[0])) {
            store.load(file, password);
        }
        KeyManagerFactory keyManagers =
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, password);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, new SecureRandom());
        String[] protocols = new String[args.length - 2];
        System.arraycopy(args, 2, protocols, 0, protocols.length);
        try (PartnerSmtpServer server =
                PartnerSmtpServer.withStartTlsOn(
                        tls, InetAddress.getByName(args[1]), 25, protocols)) {
            System.out.println("ready");
            System.out.flush();
            Thread watcher =
                    new Thread(
                            () -> {
                                String last = "";
                                while (true) {
                                    String now =
                                            server.connections() + " " + server.receivedCount();
                                    if (!now.equals(last)) {
                                        System.out.println(now);
                                        System.out.flush();
                                        last = now;
                                    }
                                    try {
                                        Thread.sleep(100);
                                    } catch (InterruptedException stop) {
                                        return;
                                    }
                                }
                            });
            watcher.setDaemon(true);
            watcher.start();
            while (in.readLine() != null) {
                // until the test closes our standard input
            }
        }
        System.exit(0);
    }
}
