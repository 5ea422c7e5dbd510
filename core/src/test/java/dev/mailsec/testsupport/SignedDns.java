package dev.mailsec.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A DNSSEC-signed zone on loopback for DANE tests, with the real Debian tools: the zone signed
 * offline by {@code ldns-signzone} (package ldnsutils) with a fresh ECDSA P-256 key, served by Knot
 * ({@code knotd}, package knot) together with unsigned child zones (insecure delegations), and
 * {@code unbound} (package unbound) validating it from the key's DS record as its trust anchor,
 * each on a free loopback port. {@link #bogus} changes a record's data after signing, so its
 * signature no longer validates.
 */
public final class SignedDns implements AutoCloseable {

    private final Path dir;
    private final String zone;
    private final StringBuilder signed = new StringBuilder();
    private final Map<String, String> children = new LinkedHashMap<>();
    private final Map<String, String> afterSigning = new LinkedHashMap<>();
    private final List<Process> processes = new ArrayList<>();
    private final List<StringBuffer> logs = new ArrayList<>();
    private Path trustAnchor;
    private int knotPort;
    private int unboundPort;

    /**
     * @param zone the signed zone's name, e.g. {@code dane.test}
     */
    public SignedDns(Path dir, String zone) {
        this.dir = dir;
        this.zone = zone;
    }

    /** Adds records in zone file form (owner names relative to the zone) to the signed zone. */
    public SignedDns records(String... lines) {
        for (String line : lines) {
            signed.append(line).append('\n');
        }
        return this;
    }

    /**
     * Adds an unsigned child zone {@code label.zone} with these records, delegated without a DS
     * record: its answers are provably insecure.
     */
    public SignedDns insecureChild(String label, String... lines) {
        children.put(label + "." + zone, String.join("\n", lines) + "\n");
        return this;
    }

    /** After signing, replaces {@code text} by {@code replacement}: its RRSIG no longer matches. */
    public SignedDns bogus(String text, String replacement) {
        afterSigning.put(text, replacement);
        return this;
    }

    /** Signs the zone and starts Knot and unbound; returns when both serve. */
    public SignedDns start() throws IOException, InterruptedException {
        StringBuilder text = new StringBuilder();
        text.append("$ORIGIN ").append(zone).append(".\n$TTL 300\n");
        text.append("@ SOA ns admin 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n");
        for (String child : children.keySet()) {
            String label = child.substring(0, child.length() - zone.length() - 1);
            text.append(label).append(" NS ns.").append(label).append('\n');
            text.append("ns.").append(label).append(" A 127.0.0.1\n");
        }
        text.append(signed);
        Path zoneFile = dir.resolve(zone + ".zone");
        Files.writeString(zoneFile, text.toString());
        String key = run("ldns-keygen", "-a", "ECDSAP256SHA256", "-k", zone).trim();
        run("ldns-signzone", zoneFile.toString(), dir.resolve(key).toString());
        Path signedFile = dir.resolve(zone + ".zone.signed");
        String signedText = Files.readString(signedFile);
        for (Map.Entry<String, String> edit : afterSigning.entrySet()) {
            assertThat(signedText).contains(edit.getKey());
            signedText = signedText.replace(edit.getKey(), edit.getValue());
        }
        Files.writeString(signedFile, signedText);
        trustAnchor = dir.resolve(key + ".ds");

        knotPort = Dnsmasq.freeTcpAndUdpPort();
        StringBuilder knot = new StringBuilder();
        knot.append("server:\n  rundir: ").append(dir).append('\n');
        knot.append("  listen: 127.0.0.1@").append(knotPort).append('\n');
        knot.append("log:\n  - target: stderr\n    any: info\n");
        knot.append("database:\n  storage: ").append(dir).append('\n');
        knot.append("template:\n  - id: default\n    storage: ").append(dir).append('\n');
        knot.append("zone:\n  - domain: ").append(zone).append("\n    file: ").append(signedFile);
        knot.append('\n');
        for (Map.Entry<String, String> child : children.entrySet()) {
            Path file = dir.resolve(child.getKey() + ".zone");
            Files.writeString(
                    file,
                    "$ORIGIN "
                            + child.getKey()
                            + ".\n$TTL 300\n"
                            + "@ SOA ns admin 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n"
                            + child.getValue());
            knot.append("  - domain: ").append(child.getKey()).append("\n    file: ");
            knot.append(file).append('\n');
        }
        Path knotConf = dir.resolve("knot.conf");
        Files.writeString(knotConf, knot.toString());
        launch("server started", "knotd", "-c", knotConf.toString());

        unboundPort = Dnsmasq.freeTcpAndUdpPort();
        StringBuilder unbound = new StringBuilder();
        unbound.append("server:\n  interface: 127.0.0.1\n  port: ").append(unboundPort);
        unbound.append("\n  do-daemonize: no\n  use-syslog: no\n  logfile: \"\"\n  chroot: \"\"\n");
        unbound.append("  username: \"\"\n  directory: \"").append(dir).append("\"\n");
        unbound.append("  pidfile: \"").append(dir.resolve("unbound.pid")).append("\"\n");
        unbound.append("  do-not-query-localhost: no\n  access-control: 127.0.0.0/8 allow\n");
        unbound.append("  trust-anchor-file: \"").append(trustAnchor).append("\"\n");
        unbound.append("  module-config: \"validator iterator\"\n  ede: yes\n");
        unbound.append("  val-log-level: 2\n  local-zone: \"test.\" nodefault\n");
        unbound.append("remote-control:\n  control-enable: no\n");
        for (String stub : allZones()) {
            unbound.append("stub-zone:\n  name: \"").append(stub).append("\"\n");
            unbound.append("  stub-addr: 127.0.0.1@").append(knotPort).append('\n');
        }
        Path unboundConf = dir.resolve("unbound.conf");
        Files.writeString(unboundConf, unbound.toString());
        launch("start of service", "unbound", "-d", "-c", unboundConf.toString());
        return this;
    }

    private List<String> allZones() {
        List<String> zones = new ArrayList<>();
        zones.add(zone);
        zones.addAll(children.keySet());
        return zones;
    }

    /** The DS record of the zone's key, in zone file form: the trust anchor. */
    public Path trustAnchor() {
        return trustAnchor;
    }

    /** Port of the validating resolver (unbound) on 127.0.0.1. */
    public int resolverPort() {
        return unboundPort;
    }

    /** Port of the authoritative server (Knot) on 127.0.0.1. */
    public int authoritativePort() {
        return knotPort;
    }

    /** What Knot and unbound printed so far. */
    public String log() {
        return String.join("\n", logs);
    }

    private String run(String... command) throws IOException, InterruptedException {
        Process process =
                new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s: %s", command[0], output).isZero();
        return output;
    }

    private void launch(String ready, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        processes.add(process);
        StringBuffer log = new StringBuffer();
        logs.add(log);
        Thread reader = new Thread(() -> read(process, log), command[0] + "-log");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!log.toString().contains(ready)) {
            if (!process.isAlive()) {
                reader.join(1000);
            }
            assertThat(process.isAlive()).as("%s: %s", command[0], log).isTrue();
            assertThat(System.nanoTime())
                    .as("%s did not start: %s", command[0], log)
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void read(Process process, StringBuffer log) {
        try (InputStream in = process.getInputStream()) {
            byte[] buffer = new byte[4096];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                log.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
            }
        } catch (IOException ended) {
            // the process ended
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
