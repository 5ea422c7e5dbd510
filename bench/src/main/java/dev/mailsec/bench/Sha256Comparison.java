package dev.mailsec.bench;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The primitive under every DKIM body hash and S/MIME signature: SHA-256 over a message, the JDK's
 * provider (CPU intrinsics) against {@code openssl dgst -sha256}. It sets the bound the DKIM and
 * S/MIME comparisons are measured against, and checks the driver itself on a peer we cannot beat by
 * much.
 */
final class Sha256Comparison implements PeerDriver.Comparison {

    @Override
    public String name() {
        return "sha256";
    }

    @Override
    public String peerName() {
        return "openssl dgst -sha256";
    }

    @Override
    public List<String> peerBaseline() {
        return List.of("openssl", "dgst", "-sha256", "/dev/null");
    }

    @Override
    public List<PeerDriver.Case> cases(Path work) throws Exception {
        List<PeerDriver.Case> cases = new ArrayList<>();
        for (int kb : new int[] {2, 50, 1024}) {
            Path file = Messages.write(work, kb);
            cases.add(
                    new PeerDriver.Case(
                            Messages.label(kb),
                            file,
                            bytes -> MessageDigest.getInstance("SHA-256").digest(bytes),
                            List.of("openssl", "dgst", "-sha256", "{files}")));
        }
        return cases;
    }
}
