package dev.mailsec.smime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 25 MB message signs, encrypts (CBC and GCM) and decrypts in a JVM limited to a 256 MB heap. The
 * work runs in a forked JVM ({@link #main}) so the limit is real, not this test JVM's.
 */
class LargeMessageTest {

    static final long SIZE = 25L * 1024 * 1024;

    @TempDir Path dir;

    @Test
    void twentyFiveMegabytesShouldSignEncryptAndDecryptInA256MegabyteHeap() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                java,
                                "-Xmx256m",
                                "-cp",
                                System.getProperty("java.class.path"),
                                LargeMessageTest.class.getName(),
                                dir.toString()));
        Path log = dir.resolve("fork.log");
        Process p =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(log);
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("signed ok", "cbc ok", "gcm ok");
    }

    /**
     * Message source that generates {@code SIZE} bytes on the fly: the input never sits in memory.
     */
    static InputStream generated() {
        byte[] head =
                (TestMessages.OUTER + "Content-Type: text/plain; charset=us-ascii\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
        byte[] line =
                "0123456789 the quick brown fox jumps over the lazy dog ABCDEFGHIJKLMNOPQRSTUVWXYZ\r\n"
                        .getBytes(StandardCharsets.US_ASCII);
        return new InputStream() {
            long pos;

            @Override
            public int read() {
                if (pos >= SIZE) {
                    return -1;
                }
                long p = pos++;
                return p < head.length
                        ? head[(int) p]
                        : line[(int) ((p - head.length) % line.length)];
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= SIZE) {
                    return -1;
                }
                int n = 0;
                while (n < len && pos < SIZE) {
                    b[off + n++] = (byte) read();
                }
                return n;
            }
        };
    }

    static byte[] sha256(InputStream in) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[65536];
        int n;
        while ((n = in.read(buf)) > 0) {
            md.update(buf, 0, n);
        }
        return md.digest();
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        System.out.println("max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB");
        SmimeTestPki pki = new SmimeTestPki("Large CA");
        SmimeKeyPair alice = pki.user("alice@example.test");
        SmimeKeyPair bob = pki.user("bob@example.test");
        byte[] expected = sha256(generated());

        Path signed = dir.resolve("signed.eml");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(signed))) {
            new SmimeSigner(SigningMode.DETACHED, null).sign(generated(), out, alice);
        }
        check(Files.size(signed) > SIZE, "signed size");
        System.out.println("signed ok " + Files.size(signed));

        for (ContentEncryption enc : ContentEncryption.values()) {
            Path encrypted = dir.resolve("enc-" + enc + ".eml");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(encrypted))) {
                new SmimeEncryptor()
                        .encrypt(
                                generated(),
                                out,
                                List.of(
                                        EncryptionRecipient.of(
                                                bob.certificate(), KeyTransport.RSA_OAEP)),
                                enc);
            }
            Path decrypted = dir.resolve("dec-" + enc + ".eml");
            try (InputStream in = new BufferedInputStream(Files.newInputStream(encrypted));
                    OutputStream out = new BufferedOutputStream(Files.newOutputStream(decrypted))) {
                new SmimeDecryptor().decrypt(in, out, List.of(bob));
            }
            try (InputStream in = Files.newInputStream(decrypted)) {
                check(
                        MessageDigest.isEqual(expected, sha256(in)),
                        "decrypted content differs for " + enc);
            }
            Files.delete(encrypted);
            Files.delete(decrypted);
            System.out.println(enc == ContentEncryption.AES256_CBC ? "cbc ok" : "gcm ok");
        }
    }

    private static void check(boolean ok, String what) throws IOException {
        if (!ok) {
            throw new IOException("check failed: " + what);
        }
    }
}
