package dev.mailsec.bench.dkim;

import dev.mailsec.bench.Messages;
import dev.mailsec.bench.PeerDriver;
import dev.mailsec.dkim.DkimPolicy;
import dev.mailsec.dkim.DkimResult;
import dev.mailsec.dkim.DkimVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Our DKIM verify against OpenDKIM ({@code opendkim -t} with {@code TestPublicKeys}, one message
 * per process, which is all its test mode takes) and dkimpy (Debian's python3-dkim, keys from a
 * dict) on the same signed files, in one run, through {@link PeerDriver}. Before timing, each peer
 * must say the file verifies.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.mailsec.bench.dkim.DkimPeers [dkim-opendkim] [dkim-dkimpy]
 * </pre>
 */
public final class DkimPeers {

    private static final String[] ALGORITHMS = {"rsa-sha256", "ed25519-sha256"};
    private static final int[] SIZES = {2, 50, 1024};
    private static final DkimVerifier VERIFIER =
            new DkimVerifier(BenchCorpus.keys(), DkimPolicy.defaults());

    private DkimPeers() {}

    public static void main(String[] args) throws Exception {
        Path dir = privateDir();
        PeerDriver.register(new OpenDkim(dir));
        PeerDriver.register(new Dkimpy(dir));
        PeerDriver.main(args.length == 0 ? new String[] {"dkim-opendkim", "dkim-dkimpy"} : args);
    }

    /** OpenDKIM refuses key files in directories others can write (such as /tmp). */
    private static Path privateDir() throws IOException {
        Path dir =
                Files.createTempDirectory(
                        Paths.get(System.getProperty("user.home")),
                        "mailsec-dkim-bench",
                        PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rwx------")));
        StringBuilder keys = new StringBuilder();
        for (Map.Entry<String, String> e : BenchCorpus.records().entrySet()) {
            keys.append(e.getKey()).append(' ').append(e.getValue()).append('\n');
        }
        Files.writeString(dir.resolve("keys.txt"), keys);
        Files.writeString(
                dir.resolve("opendkim.conf"),
                "Mode v\nTestPublicKeys " + dir.resolve("keys.txt") + "\nSyslog no\n");
        Files.writeString(
                dir.resolve("verify.py"),
                "import sys, dkim\n"
                        + "keys = {}\n"
                        + "for line in open(sys.argv[1]):\n"
                        + "    name, record = line.rstrip('\\n').split(' ', 1)\n"
                        + "    keys[name + '.'] = record.encode()\n"
                        + "ok = True\n"
                        + "for f in sys.argv[2:]:\n"
                        + "    ok = dkim.verify(open(f, 'rb').read(), dnsfunc=lambda n, timeout=5: keys.get(n.decode(), b'')) and ok\n"
                        + "sys.exit(0 if ok else 1)\n");
        return dir;
    }

    private static List<PeerDriver.Case> cases(
            Path dir, List<String> peerCommand, String successMarker) throws Exception {
        List<PeerDriver.Case> cases = new ArrayList<>();
        for (String alg : ALGORITHMS) {
            for (int kb : SIZES) {
                Path file = dir.resolve("signed-" + alg + "-" + kb + "k.eml");
                Files.write(file, BenchCorpus.signed(kb, alg));
                checkPeerVerifies(peerCommand, file, successMarker);
                cases.add(
                        new PeerDriver.Case(
                                alg + " " + Messages.label(kb),
                                file,
                                bytes -> {
                                    if (VERIFIER.verify(bytes).results().get(0).result()
                                            != DkimResult.PASS) {
                                        throw new IllegalStateException(
                                                "mailsec does not verify the corpus");
                                    }
                                },
                                peerCommand));
            }
        }
        return cases;
    }

    private static void checkPeerVerifies(List<String> command, Path file, String marker)
            throws Exception {
        List<String> argv = new ArrayList<>();
        for (String a : command) {
            argv.add(a.equals("{files}") || a.equals("{}") ? file.toString() : a);
        }
        if (marker != null) {
            argv.add(1, "-vv");
        }
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        if (!done || p.exitValue() != 0 || (marker != null && !out.contains(marker))) {
            throw new IllegalStateException("peer does not verify " + file + ": " + out);
        }
    }

    private static final class OpenDkim implements PeerDriver.Comparison {
        private final Path dir;

        OpenDkim(Path dir) {
            this.dir = dir;
        }

        @Override
        public String name() {
            return "dkim-opendkim";
        }

        @Override
        public String peerName() {
            return "OpenDKIM (opendkim -t, TestPublicKeys)";
        }

        @Override
        public List<String> peerBaseline() {
            return List.of(
                    "opendkim", "-x", dir.resolve("opendkim.conf").toString(), "-t", "/dev/null");
        }

        @Override
        public List<PeerDriver.Case> cases(Path work) throws Exception {
            return DkimPeers.cases(
                    dir,
                    List.of("opendkim", "-x", dir.resolve("opendkim.conf").toString(), "-t", "{}"),
                    "succeeded");
        }
    }

    private static final class Dkimpy implements PeerDriver.Comparison {
        private final Path dir;

        Dkimpy(Path dir) {
            this.dir = dir;
        }

        @Override
        public String name() {
            return "dkim-dkimpy";
        }

        @Override
        public String peerName() {
            return "dkimpy 1.1 (python3-dkim)";
        }

        @Override
        public List<String> peerBaseline() {
            return List.of(
                    "/usr/bin/python3",
                    dir.resolve("verify.py").toString(),
                    dir.resolve("keys.txt").toString());
        }

        @Override
        public List<PeerDriver.Case> cases(Path work) throws Exception {
            return DkimPeers.cases(
                    dir,
                    List.of(
                            "/usr/bin/python3",
                            dir.resolve("verify.py").toString(),
                            dir.resolve("keys.txt").toString(),
                            "{files}"),
                    null);
        }
    }
}
