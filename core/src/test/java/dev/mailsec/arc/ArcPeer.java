package dev.mailsec.arc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.dkim.KeyLookup;
import dev.mailsec.dkim.KeyRecordSource;
import dev.mailsec.dkim.sign.KeyRecords;
import dev.mailsec.dkim.sign.SigningKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ARC sealers for tests, with their keys published in an in-memory zone that both our verifier
 * ({@link #keys()}) and dkimpy (Debian's python3-dkim, through its dnsfunc) read; seals and
 * verifies with dkimpy, an independent implementation. Shared with the adapter tests through core's
 * test-jar.
 */
public final class ArcPeer {

    /** One sealing domain with its key, as we and dkimpy hold it. */
    public static final class Sealer {
        public final String domain;
        public final String selector;
        public final String algorithm;
        public final SigningKey key;
        final Path dkimpyKey;

        Sealer(String domain, String selector, String algorithm, SigningKey key, Path dkimpyKey) {
            this.domain = domain;
            this.selector = selector;
            this.algorithm = algorithm;
            this.key = key;
            this.dkimpyKey = dkimpyKey;
        }
    }

    private final Path dir;
    private final Map<String, String> records = new ConcurrentHashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();

    public ArcPeer(Path dir) {
        this.dir = dir;
    }

    /** A sealer for {@code domain} with a new key: {@code rsa-sha256} or {@code ed25519-sha256}. */
    public Sealer sealer(String domain, String algorithm)
            throws GeneralSecurityException, IOException {
        boolean ed = algorithm.startsWith("ed25519");
        KeyPairGenerator g = KeyPairGenerator.getInstance(ed ? "Ed25519" : "RSA");
        if (!ed) {
            g.initialize(2048);
        }
        KeyPair pair = g.generateKeyPair();
        String selector = ed ? "ed" : "rsa";
        records.put(selector + "._domainkey." + domain, KeyRecords.txt(pair.getPublic()));
        byte[] der = pair.getPrivate().getEncoded();
        String file =
                ed
                        ? Base64.getEncoder()
                                .encodeToString(
                                        Arrays.copyOfRange(der, der.length - 32, der.length))
                        : "-----BEGIN PRIVATE KEY-----\n"
                                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                                + "\n-----END PRIVATE KEY-----\n";
        Path keyFile = dir.resolve(domain + "-" + selector + ".key");
        Files.writeString(keyFile, file);
        return new Sealer(
                domain,
                selector,
                algorithm,
                SigningKey.of(domain, selector, pair.getPrivate()),
                keyFile);
    }

    /** Publishes another TXT record (e.g. a broken one) at a name. */
    public void publish(String name, String txt) {
        records.put(name, txt);
    }

    /** The zone for our verifier; every lookup is counted. */
    public KeyRecordSource keys() {
        return name -> {
            lookups.incrementAndGet();
            String r = records.get(name);
            return r == null ? KeyLookup.notFound("NXDOMAIN") : KeyLookup.found(List.of(r));
        };
    }

    public int lookups() {
        return lookups.get();
    }

    /** The zone as a BIND zone file (for the CLI and mailets). */
    public Path zoneFile() throws IOException {
        StringBuilder z = new StringBuilder();
        records.forEach((n, t) -> z.append(n).append(". 300 IN TXT \"").append(t).append("\"\n"));
        Path f = dir.resolve("arc.zone");
        Files.writeString(f, z);
        return f;
    }

    /**
     * The message with dkimpy's next ARC set on top. dkimpy seals only with an
     * Authentication-Results of its own authserv-id, so one is added first: {@code arc=pass} (or
     * {@code arcResult}) when the message already has ARC sets, {@code spf=pass} otherwise.
     */
    public byte[] dkimpySeal(byte[] message, Sealer s, String arcResult) throws IOException {
        String srv = "mx." + s.domain;
        String ar =
                "Authentication-Results: "
                        + srv
                        + "; "
                        + (arcResult == null
                                ? "spf=pass smtp.mailfrom=example.com"
                                : "arc=" + arcResult)
                        + "\r\n";
        byte[] in = concat(ar.getBytes(StandardCharsets.US_ASCII), message);
        return run(in, "seal", s.dkimpyKey.toString(), s.selector, s.domain, srv, s.algorithm);
    }

    /** dkimpy's verdict: {cv, reason}, cv one of pass, fail, none. */
    public String[] dkimpyVerify(byte[] message) throws IOException {
        StringBuilder json = new StringBuilder("{");
        records.forEach(
                (n, t) -> {
                    if (json.length() > 1) {
                        json.append(',');
                    }
                    json.append('"')
                            .append(n)
                            .append("\":\"")
                            .append(t.replace("\"", "\\\""))
                            .append('"');
                });
        Path f = dir.resolve("records.json");
        Files.writeString(f, json.append('}'));
        String out = new String(run(message, "verify", f.toString()), StandardCharsets.UTF_8);
        return out.trim().split("\t", 2);
    }

    private byte[] run(byte[] stdin, String... args) throws IOException {
        Path script = dir.resolve("dkimpy_arc.py");
        if (!Files.exists(script)) {
            try (InputStream in = ArcPeer.class.getResourceAsStream("dkimpy_arc.py")) {
                Files.copy(in, script);
            }
        }
        String[] cmd = new String[args.length + 2];
        cmd[0] = "/usr/bin/python3";
        cmd[1] = script.toString();
        System.arraycopy(args, 0, cmd, 2, args.length);
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().write(stdin);
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        assertThat(p.exitValue()).as("dkimpy: %s", err).isZero();
        return out;
    }

    public static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Our seal on top of the message, with an A-R of ours carrying {@code arc=<chain>}. */
    public static byte[] seal(byte[] message, Sealer s, ArcResult chain) {
        ArcSealer.Session session = new ArcSealer(Clock.systemUTC()).start();
        session.write(message, 0, message.length);
        ArcSealer.Seal seal =
                session.seal(
                        s.key,
                        "mx." + s.domain,
                        "mx." + s.domain + "; arc=" + chain.keyword(),
                        chain);
        assertThat(seal.refused()).isNull();
        return concat(String.join("", seal.fields()).getBytes(StandardCharsets.US_ASCII), message);
    }
}
