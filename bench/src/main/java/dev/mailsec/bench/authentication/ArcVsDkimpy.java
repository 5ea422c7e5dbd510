package dev.mailsec.bench.authentication;

import dev.mailsec.arc.ArcResult;
import dev.mailsec.arc.ArcSealer;
import dev.mailsec.arc.ArcVerification;
import dev.mailsec.arc.ArcVerifier;
import dev.mailsec.bench.dkim.BenchCorpus;
import dev.mailsec.dkim.DkimPolicy;
import dev.mailsec.dkim.sign.SigningKey;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * ARC verify and seal, ours against dkimpy (Debian's python3-dkim, {@code dkim.arc_verify} and
 * {@code dkim.ARC.sign}), on the same messages in one run: a DKIM-signed message of 2 KB and 50 KB
 * with one ARC set (rsa-sha256 2048) to verify, and the same message without it to seal. Each side
 * is timed in one process over CPU time after a warm-up (ours: this thread; dkimpy: {@code
 * time.process_time()} in one interpreter, so no process start is counted; ours after a warm-up as
 * long as the timing, dkimpy after a quarter of it), keys from memory. Each side must say "pass"
 * (or seal) before it is timed.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.mailsec.bench.authentication.ArcVsDkimpy [seconds]
 * </pre>
 */
public final class ArcVsDkimpy {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final String SRV = "mx." + BenchCorpus.DOMAIN;
    private static final String AR =
            "Authentication-Results: "
                    + SRV
                    + "; dkim=pass header.d="
                    + BenchCorpus.DOMAIN
                    + "\r\n";

    private static final String SCRIPT =
            "import json, sys, time, dkim\n"
                    + "records = json.load(open(sys.argv[1]))\n"
                    + "key = open(sys.argv[2], 'rb').read()\n"
                    + "secs = float(sys.argv[3])\n"
                    + "def dnsfunc(name, timeout=5):\n"
                    + "    n = name.decode().rstrip('.')\n"
                    + "    return records[n].encode() if n in records else None\n"
                    + "def verify(m):\n"
                    + "    cv, results, reason = dkim.arc_verify(m, dnsfunc=dnsfunc)\n"
                    + "    if cv != b'pass':\n"
                    + "        sys.exit('dkimpy does not verify: %s %s' % (cv, reason))\n"
                    + "def seal(m):\n"
                    + "    a = dkim.ARC(m, signature_algorithm=b'rsa-sha256', linesep=b'\\r\\n')\n"
                    + "    if not a.sign(b'rsa', b'"
                    + BenchCorpus.DOMAIN
                    + "', key, b'"
                    + SRV
                    + "',\n"
                    + "                  include_headers=[b'from', b'to', b'subject', b'date', b'message-id']):\n"
                    + "        sys.exit('dkimpy did not seal')\n"
                    + "def rate(f, m):\n"
                    + "    f(m)\n"
                    + "    end = time.process_time() + secs / 4\n"
                    + "    while time.process_time() < end: f(m)\n"
                    + "    n, start = 0, time.process_time()\n"
                    + "    while time.process_time() - start < secs:\n"
                    + "        f(m); n += 1\n"
                    + "    return n / (time.process_time() - start)\n"
                    + "for arg in sys.argv[4:]:\n"
                    + "    kind, path = arg.split('=', 1)\n"
                    + "    m = open(path, 'rb').read()\n"
                    + "    print('%s %.1f' % (kind, rate(verify if kind.startswith('verify') else seal, m)))\n";

    private ArcVsDkimpy() {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        String loadBefore = loadAverage();
        Path dir = Files.createTempDirectory(Paths.get("/tmp"), "mailsec-arc-bench");
        ArcVerifier verifier = new ArcVerifier(BenchCorpus.keys(), DkimPolicy.defaults());
        SigningKey key =
                SigningKey.of(BenchCorpus.DOMAIN, "rsa", BenchCorpus.rsaKeyPair().getPrivate());
        StringBuilder peerArgs = new StringBuilder();
        StringBuilder ours = new StringBuilder();
        for (int kb : new int[] {2, 50}) {
            byte[] toSeal = concat(AR.getBytes(StandardCharsets.US_ASCII), signed(kb));
            byte[] sealed = seal(key, toSeal);
            Path v = dir.resolve("verify-" + kb + "k.eml");
            Path s = dir.resolve("seal-" + kb + "k.eml");
            Files.write(v, sealed);
            Files.write(s, toSeal);
            peerArgs.append(" verify").append(kb).append("=").append(v);
            peerArgs.append(" seal").append(kb).append("=").append(s);
            ArcVerification check = verifier.verify(sealed);
            if (check.result() != ArcResult.PASS) {
                throw new IllegalStateException("ours does not verify: " + check);
            }
            ours.append(
                    String.format(
                            "verify%d %.1f%n",
                            kb, rate(() -> verifier.verify(sealed).result(), seconds)));
            ours.append(String.format("seal%d %.1f%n", kb, rate(() -> seal(key, toSeal), seconds)));
        }
        String peer = dkimpy(dir, seconds, peerArgs.toString().trim().split(" "));
        System.out.println("load average before: " + loadBefore + ", after: " + loadAverage());
        System.out.println("operation  ours (per CPU-s)  dkimpy (per CPU-s)  ratio");
        Map<String, String> p = parse(peer);
        for (Map.Entry<String, String> e : parse(ours.toString()).entrySet()) {
            double o = Double.parseDouble(e.getValue());
            double d = Double.parseDouble(p.get(e.getKey()));
            System.out.printf("%-10s %14.1f %18.1f %7.1fx%n", e.getKey(), o, d, o / d);
        }
    }

    private static byte[] signed(int kb) {
        return BenchCorpus.signed(kb, "rsa-sha256");
    }

    private static byte[] seal(SigningKey key, byte[] message) {
        ArcSealer.Session session = new ArcSealer(Clock.systemUTC()).start();
        session.write(message, 0, message.length);
        ArcSealer.Seal seal =
                session.seal(
                        key,
                        SRV,
                        SRV + "; dkim=pass header.d=" + BenchCorpus.DOMAIN,
                        ArcResult.NONE);
        if (seal.refused() != null) {
            throw new IllegalStateException("ours did not seal: " + seal.refused());
        }
        return concat(String.join("", seal.fields()).getBytes(StandardCharsets.US_ASCII), message);
    }

    /** Operations per CPU-second of this thread, after a warm-up as long (the JIT's turn). */
    private static double rate(Supplier<?> op, double seconds) {
        long warm = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < warm) {
            op.get();
        }
        long start = THREADS.getCurrentThreadCpuTime();
        long end = start + (long) (seconds * 1e9);
        long n = 0;
        long now;
        do {
            op.get();
            n++;
            now = THREADS.getCurrentThreadCpuTime();
        } while (now < end);
        return n / ((now - start) / 1e9);
    }

    private static String dkimpy(Path dir, double seconds, String[] cases)
            throws IOException, InterruptedException {
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, String> e : BenchCorpus.records().entrySet()) {
            json.append(json.length() > 1 ? "," : "")
                    .append('"')
                    .append(e.getKey())
                    .append("\":\"")
                    .append(e.getValue())
                    .append('"');
        }
        Path records = dir.resolve("records.json");
        Files.writeString(records, json.append('}'));
        Path keyFile = dir.resolve("rsa.key");
        Files.writeString(
                keyFile,
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, new byte[] {'\n'})
                                .encodeToString(BenchCorpus.rsaKeyPair().getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
        Path script = dir.resolve("arc_rate.py");
        Files.writeString(script, SCRIPT);
        String[] cmd = new String[cases.length + 5];
        cmd[0] = "/usr/bin/python3";
        cmd[1] = script.toString();
        cmd[2] = records.toString();
        cmd[3] = keyFile.toString();
        cmd[4] = Double.toString(seconds);
        System.arraycopy(cases, 0, cmd, 5, cases.length);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("dkimpy failed: " + out);
        }
        return out;
    }

    private static Map<String, String> parse(String lines) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : lines.split("\n")) {
            String[] kv = line.trim().split(" ");
            if (kv.length == 2) {
                out.put(kv[0], kv[1]);
            }
        }
        return out;
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Paths.get("/proc/loadavg")).trim();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
