package dev.mailsec.bench.smime;

import dev.mailsec.bench.Messages;
import dev.mailsec.bench.PeerDriver;
import dev.mailsec.smime.ContentEncryption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The S/MIME engine against {@code openssl cms} 3 on the same messages and keys (RSA-2048): sign
 * (detached, SHA-256), encrypt and decrypt with AES-256-CBC and AES-256-GCM (RSA-OAEP), verify.
 * openssl cms takes one message per process; its start-up ({@code openssl cms -help}-like no-op) is
 * subtracted.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.mailsec.bench.PeerDriver smime</pre>
 */
public final class SmimeComparison implements PeerDriver.Comparison {

    @Override
    public String name() {
        return "smime";
    }

    @Override
    public String peerName() {
        return "openssl cms";
    }

    @Override
    public List<String> peerBaseline() {
        return List.of("openssl", "version");
    }

    @Override
    public List<PeerDriver.Case> cases(Path work) throws Exception {
        BenchPki pki = new BenchPki();
        Path dir = Files.createDirectories(work.resolve("smime"));
        pki.writePem(dir);
        SmimeOps ops = new SmimeOps(pki);
        String ca = dir.resolve("ca.pem").toString();
        String aliceCrt = dir.resolve("alice.crt").toString();
        String aliceKey = dir.resolve("alice.key").toString();
        String bobCrt = dir.resolve("bob.crt").toString();
        String bobKey = dir.resolve("bob.key").toString();
        List<PeerDriver.Case> cases = new ArrayList<>();
        for (int kb : new int[] {50, 1024}) {
            String size = Messages.label(kb);
            Path plain = Messages.write(dir, kb);
            byte[] message = Files.readAllBytes(plain);
            Path signed =
                    Files.write(
                            dir.resolve("signed-" + kb + ".eml"), ops.sign(message).toByteArray());
            Path cbc =
                    Files.write(
                            dir.resolve("cbc-" + kb + ".eml"),
                            ops.encrypt(message, ContentEncryption.AES256_CBC).toByteArray());
            Path gcm =
                    Files.write(
                            dir.resolve("gcm-" + kb + ".eml"),
                            ops.encrypt(message, ContentEncryption.AES256_GCM).toByteArray());
            cases.add(
                    new PeerDriver.Case(
                            "sign " + size,
                            plain,
                            ops::sign,
                            List.of(
                                    "openssl",
                                    "cms",
                                    "-sign",
                                    "-md",
                                    "sha256",
                                    "-in",
                                    "{}",
                                    "-signer",
                                    aliceCrt,
                                    "-inkey",
                                    aliceKey,
                                    "-out",
                                    "/dev/null")));
            cases.add(
                    new PeerDriver.Case(
                            "encrypt aes-256-cbc " + size,
                            plain,
                            m -> ops.encrypt(m, ContentEncryption.AES256_CBC),
                            List.of(
                                    "openssl",
                                    "cms",
                                    "-encrypt",
                                    "-aes-256-cbc",
                                    "-in",
                                    "{}",
                                    "-out",
                                    "/dev/null",
                                    "-recip",
                                    bobCrt,
                                    "-keyopt",
                                    "rsa_padding_mode:oaep")));
            cases.add(
                    new PeerDriver.Case(
                            "encrypt aes-256-gcm " + size,
                            plain,
                            m -> ops.encrypt(m, ContentEncryption.AES256_GCM),
                            List.of(
                                    "openssl",
                                    "cms",
                                    "-encrypt",
                                    "-aes-256-gcm",
                                    "-in",
                                    "{}",
                                    "-out",
                                    "/dev/null",
                                    "-recip",
                                    bobCrt,
                                    "-keyopt",
                                    "rsa_padding_mode:oaep")));
            cases.add(
                    new PeerDriver.Case(
                            "decrypt aes-256-cbc " + size,
                            cbc,
                            ops::decrypt,
                            List.of(
                                    "openssl",
                                    "cms",
                                    "-decrypt",
                                    "-in",
                                    "{}",
                                    "-recip",
                                    bobCrt,
                                    "-inkey",
                                    bobKey,
                                    "-out",
                                    "/dev/null")));
            cases.add(
                    new PeerDriver.Case(
                            "decrypt aes-256-gcm " + size,
                            gcm,
                            ops::decrypt,
                            List.of(
                                    "openssl",
                                    "cms",
                                    "-decrypt",
                                    "-in",
                                    "{}",
                                    "-recip",
                                    bobCrt,
                                    "-inkey",
                                    bobKey,
                                    "-out",
                                    "/dev/null")));
            cases.add(
                    new PeerDriver.Case(
                            "verify " + size,
                            signed,
                            ops::verify,
                            List.of(
                                    "openssl",
                                    "cms",
                                    "-verify",
                                    "-in",
                                    "{}",
                                    "-CAfile",
                                    ca,
                                    "-purpose",
                                    "any",
                                    "-out",
                                    "/dev/null")));
        }
        return cases;
    }
}
