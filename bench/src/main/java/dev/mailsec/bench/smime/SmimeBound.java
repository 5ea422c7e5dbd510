package dev.mailsec.bench.smime;

import dev.mailsec.bench.Messages;
import dev.mailsec.smime.ContentEncryption;
import dev.mailsec.smime.SmimeBuffer;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

/**
 * The primitive bound of each S/MIME operation in the JDK, in the same JVM and minute as the
 * engine: one RSA-2048 operation (sign, OAEP encrypt/decrypt, verify) plus SHA-256 or AES-256 over
 * the message bytes, each primitive in its fastest JDK form (16 KiB updates; GCM decryption from a
 * direct buffer). No MIME, no CMS, no base64. Prints both as messages per CPU-second (less
 * sensitive to other load on a shared machine than wall time), measured in alternating rounds.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.mailsec.bench.smime.SmimeBound [seconds]</pre>
 */
public final class SmimeBound {

    private static final int CHUNK = 16 * 1024;

    private SmimeBound() {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
        BenchPki pki = new BenchPki();
        SmimeOps ops = new SmimeOps(pki);
        SecretKey aes = new SecretKeySpec(new byte[32], "AES");
        byte[] iv = new byte[16];
        SecureRandom random = new SecureRandom();
        OAEPParameterSpec oaep =
                new OAEPParameterSpec(
                        "SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
        Cipher rsaEnc = Cipher.getInstance("RSA/ECB/OAEPPadding");
        rsaEnc.init(Cipher.ENCRYPT_MODE, pki.bob.certificate().getPublicKey(), oaep);
        byte[] wrapped = rsaEnc.doFinal(new byte[32]);
        byte[] signedAttributes = new byte[200];
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(pki.alice.privateKeyForCryptoOperation());
        signer.update(signedAttributes);
        byte[] signature = signer.sign();
        System.out.printf(
                Locale.ROOT,
                "%n## S/MIME primitive bound (JDK %s, RSA-2048; msgs per CPU-second of one thread, bound and engine in alternating rounds)%n",
                System.getProperty("java.version"));
        System.out.println("| operation | size | bound ops/s | mailsec ops/s | mailsec / bound |");
        System.out.println("|---|---|---|---|---|");
        for (int kb : new int[] {50, 1024}) {
            byte[] message = Messages.message(kb);
            byte[] signedMessage = ops.sign(message).toByteArray();
            byte[] cbcMessage = ops.encrypt(message, ContentEncryption.AES256_CBC).toByteArray();
            byte[] gcmMessage = ops.encrypt(message, ContentEncryption.AES256_GCM).toByteArray();
            byte[] out = new byte[message.length + 64];
            Cipher cbcEnc = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cbcEnc.init(Cipher.ENCRYPT_MODE, aes, new IvParameterSpec(iv));
            byte[] cbcCiphertext = cbcEnc.doFinal(message);
            Cipher gcmEnc = Cipher.getInstance("AES/GCM/NoPadding");
            gcmEnc.init(Cipher.ENCRYPT_MODE, aes, new GCMParameterSpec(128, new byte[12]));
            byte[] gcmCiphertext = gcmEnc.doFinal(message);
            ByteBuffer gcmDirect = ByteBuffer.allocateDirect(gcmCiphertext.length);
            String size = Messages.label(kb);
            row(
                    "sign",
                    size,
                    seconds,
                    () -> {
                        digest(message);
                        Signature s = Signature.getInstance("SHA256withRSA");
                        s.initSign(pki.alice.privateKeyForCryptoOperation());
                        s.update(signedAttributes);
                        s.sign();
                    },
                    () -> ops.sign(message));
            // like with like: both write into a reused sink (the bound into one array, ours into
            // one reset
            // SmimeBuffer), then both allocate a fresh output per message (the bound an array for
            // the
            // ciphertext, ours a SmimeBuffer read in place, as the mailets keep the result)
            SmimeBuffer sink = SmimeBuffer.sizedFor(message.length, 140);
            for (ContentEncryption enc : ContentEncryption.values()) {
                String name =
                        enc == ContentEncryption.AES256_GCM
                                ? "encrypt aes-256-gcm"
                                : "encrypt aes-256-cbc";
                CpuClock.Op boundReused =
                        () -> encryptBound(enc, aes, iv, random, message, out, pki, oaep);
                row(
                        name + ", reused sink",
                        size,
                        seconds,
                        boundReused,
                        () -> {
                            sink.reset();
                            ops.encryptTo(message, enc, sink);
                        });
                row(
                        name + ", fresh output",
                        size,
                        seconds,
                        () ->
                                encryptBound(
                                        enc,
                                        aes,
                                        iv,
                                        random,
                                        message,
                                        new byte[message.length + 64],
                                        pki,
                                        oaep),
                        () -> ops.encrypt(message, enc));
            }
            row(
                    "decrypt aes-256-cbc",
                    size,
                    seconds,
                    () -> {
                        rsa(Cipher.DECRYPT_MODE, pki, oaep, wrapped, random);
                        Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
                        c.init(Cipher.DECRYPT_MODE, aes, new IvParameterSpec(iv));
                        chunks(c, cbcCiphertext, out);
                    },
                    () -> ops.decrypt(cbcMessage));
            row(
                    "decrypt aes-256-gcm",
                    size,
                    seconds,
                    () -> {
                        rsa(Cipher.DECRYPT_MODE, pki, oaep, wrapped, random);
                        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                        c.init(Cipher.DECRYPT_MODE, aes, new GCMParameterSpec(128, new byte[12]));
                        gcmDirect.clear();
                        gcmDirect.put(gcmCiphertext).flip();
                        c.doFinal(gcmDirect, ByteBuffer.wrap(out));
                    },
                    () -> ops.decrypt(gcmMessage));
            row(
                    "verify",
                    size,
                    seconds,
                    () -> {
                        digest(message);
                        Signature s = Signature.getInstance("SHA256withRSA");
                        s.initVerify(pki.alice.certificate().getPublicKey());
                        s.update(signedAttributes);
                        s.verify(signature);
                    },
                    () -> ops.verify(signedMessage));
        }
    }

    private static void encryptBound(
            ContentEncryption enc,
            SecretKey aes,
            byte[] iv,
            SecureRandom random,
            byte[] message,
            byte[] out,
            BenchPki pki,
            OAEPParameterSpec oaep)
            throws Exception {
        Cipher c;
        if (enc == ContentEncryption.AES256_GCM) {
            byte[] nonce = new byte[12];
            random.nextBytes(nonce);
            c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, aes, new GCMParameterSpec(128, nonce));
        } else {
            c = Cipher.getInstance("AES/CBC/PKCS5Padding");
            c.init(Cipher.ENCRYPT_MODE, aes, new IvParameterSpec(iv));
        }
        chunks(c, message, out);
        rsa(Cipher.ENCRYPT_MODE, pki, oaep, new byte[32], random);
    }

    private static void digest(byte[] message) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        for (int off = 0; off < message.length; off += CHUNK) {
            d.update(message, off, Math.min(CHUNK, message.length - off));
        }
        d.digest();
    }

    private static void chunks(Cipher c, byte[] in, byte[] out) throws Exception {
        int o = 0;
        for (int off = 0; off < in.length; off += CHUNK) {
            o += c.update(in, off, Math.min(CHUNK, in.length - off), out, o);
        }
        c.doFinal(out, o);
    }

    private static void rsa(
            int mode, BenchPki pki, OAEPParameterSpec oaep, byte[] input, SecureRandom random)
            throws Exception {
        Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
        if (mode == Cipher.ENCRYPT_MODE) {
            c.init(mode, pki.bob.certificate().getPublicKey(), oaep, random);
        } else {
            c.init(mode, pki.bob.privateKeyForCryptoOperation(), oaep);
        }
        c.doFinal(input);
    }

    /**
     * Bound and engine in alternating rounds, so both see the same load; ops per CPU-second of this
     * thread.
     */
    private static void row(
            String operation, String size, double seconds, CpuClock.Op bound, CpuClock.Op ours)
            throws Exception {
        CpuClock.warm(bound, 1);
        CpuClock.warm(ours, 1);
        long[] b = new long[2];
        long[] m = new long[2];
        for (int round = 0; round < ROUNDS; round++) {
            CpuClock.measure(bound, seconds / ROUNDS, b);
            CpuClock.measure(ours, seconds / ROUNDS, m);
        }
        double boundRate = b[0] / (b[1] / 1e9);
        double oursRate = m[0] / (m[1] / 1e9);
        System.out.printf(
                Locale.ROOT,
                "| %s | %s | %.0f | %.0f | %.2f |%n",
                operation,
                size,
                boundRate,
                oursRate,
                oursRate / boundRate);
    }

    private static final int ROUNDS = 6;
}
