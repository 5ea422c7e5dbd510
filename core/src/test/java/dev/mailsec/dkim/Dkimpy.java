package dev.mailsec.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Signs test messages with dkimpy (Debian's python3-dkim), an independent implementation. Shared
 * with the adapter tests through core's test-jar.
 */
public final class Dkimpy {

    private final Path keyFile;
    private final KeyPair keyPair;

    public Dkimpy(Path dir) throws IOException, NoSuchAlgorithmException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        keyPair = g.generateKeyPair();
        keyFile = dir.resolve("sel.pem");
        String pem =
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(keyPair.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n";
        Files.writeString(keyFile, pem);
    }

    /** A zone file publishing the key as sel._domainkey.example.com. */
    public Path zoneFile(Path dir) throws IOException {
        Path zone = dir.resolve("keys.zone");
        String p = Base64.getEncoder().encodeToString(keyPair.getPublic().getEncoded());
        Files.writeString(
                zone,
                "sel._domainkey.example.com. 300 IN TXT ( \"v=DKIM1; k=rsa; \"\n  \"p="
                        + p
                        + "\" )\n");
        return zone;
    }

    /** The message with a relaxed/relaxed rsa-sha256 DKIM-Signature from dkimpy prepended. */
    public byte[] sign(String message) throws IOException, InterruptedException {
        String script =
                "import sys, dkim\n"
                        + "msg = sys.stdin.buffer.read()\n"
                        + "sig = dkim.sign(msg, b'sel', b'example.com', open(sys.argv[1], 'rb').read(),"
                        + " canonicalize=(b'relaxed', b'relaxed'), include_headers=[b'from', b'to', b'subject'], linesep=b'\\r\\n')\n"
                        + "sys.stdout.buffer.write(sig + msg)\n";
        Process p =
                new ProcessBuilder("/usr/bin/python3", "-c", script, keyFile.toString()).start();
        p.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("dkimpy: %s", err).isZero();
        return out;
    }
}
