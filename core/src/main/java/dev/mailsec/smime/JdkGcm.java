package dev.mailsec.smime;

import dev.mailsec.shaded.bc.asn1.ASN1ObjectIdentifier;
import dev.mailsec.shaded.bc.asn1.cms.GCMParameters;
import dev.mailsec.shaded.bc.asn1.nist.NISTObjectIdentifiers;
import dev.mailsec.shaded.bc.asn1.x509.AlgorithmIdentifier;
import dev.mailsec.shaded.bc.cms.CMSException;
import dev.mailsec.shaded.bc.cms.InputStreamWithMAC;
import dev.mailsec.shaded.bc.operator.GenericKey;
import dev.mailsec.shaded.bc.operator.InputAEADDecryptor;
import dev.mailsec.shaded.bc.operator.OutputAEADEncryptor;
import dev.mailsec.shaded.bc.operator.jcajce.JceGenericKey;
import dev.mailsec.smime.internal.Streams;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Glue that lets Bouncy Castle's CMS classes run AES-GCM in the JDK's provider. Bouncy Castle looks
 * GCM up by its OID, which the JDK does not register, and its own AES has no CPU intrinsics (~30x
 * slower here, see perf-anchors.md). No cipher code of ours: the JDK's {@code AES/GCM/NoPadding}
 * does the work; this only moves nonce, tag and AAD between CMS (RFC 5084) and the JCA.
 */
final class JdkGcm {

    static final Set<ASN1ObjectIdentifier> GCM_OIDS =
            Set.of(
                    NISTObjectIdentifiers.id_aes128_GCM,
                    NISTObjectIdentifiers.id_aes192_GCM,
                    NISTObjectIdentifiers.id_aes256_GCM);

    private static final int TAG_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private JdkGcm() {}

    static boolean isGcm(AlgorithmIdentifier algorithm) {
        return GCM_OIDS.contains(algorithm.getAlgorithm());
    }

    /** A fresh AES-256 key and 96-bit nonce per message (RFC 5084 section 3.2). */
    static OutputAEADEncryptor encryptor() throws GeneralSecurityException {
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(256, RANDOM);
        SecretKey key = generator.generateKey();
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
        AlgorithmIdentifier algorithm =
                new AlgorithmIdentifier(
                        NISTObjectIdentifiers.id_aes256_GCM, new GCMParameters(nonce, TAG_BYTES));
        return new OutputAEADEncryptor() {
            private JdkCipherOutputStream stream;

            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return algorithm;
            }

            @Override
            public OutputStream getOutputStream(OutputStream out) {
                // the JDK appends the tag to the ciphertext at doFinal; CMS keeps it in its own
                // field
                stream = new JdkCipherOutputStream(out, cipher, TAG_BYTES);
                return stream;
            }

            @Override
            public GenericKey getKey() {
                return new JceGenericKey(algorithm, key);
            }

            @Override
            public OutputStream getAADStream() {
                return new AadStream(cipher);
            }

            @Override
            public byte[] getMAC() {
                return stream.tag();
            }
        };
    }

    static InputAEADDecryptor decryptor(Key contentKey, AlgorithmIdentifier algorithm)
            throws CMSException {
        try {
            GCMParameters params = GCMParameters.getInstance(algorithm.getParameters());
            if (params.getIcvLen() < 12) {
                throw new CMSException("GCM tag of " + params.getIcvLen() + " bytes is too short");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.DECRYPT_MODE,
                    new SecretKeySpec(contentKey.getEncoded(), "AES"),
                    new GCMParameterSpec(params.getIcvLen() * 8, params.getNonce()));
            return new InputAEADDecryptor() {
                private InputStream source;

                @Override
                public AlgorithmIdentifier getAlgorithmIdentifier() {
                    return algorithm;
                }

                @Override
                public InputStream getInputStream(InputStream in) {
                    source = in;
                    return new DirectGcmInputStream(in, cipher);
                }

                @Override
                public OutputStream getAADStream() {
                    return new AadStream(cipher);
                }

                @Override
                public byte[] getMAC() {
                    return source instanceof InputStreamWithMAC
                            ? ((InputStreamWithMAC) source).getMAC()
                            : null;
                }
            };
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new CMSException("cannot set up AES-GCM: " + e.getMessage(), e);
        }
    }

    /**
     * GCM decryption releases nothing before the tag is checked, so the JDK buffers the whole
     * ciphertext anyway. Given it as one heap array, JDK 17 runs GHASH over it in a single call
     * that stays interpreted (~70 MB/s here); given a direct buffer it works in chunks through the
     * CPU intrinsics (~2.7 GB/s, 35x faster, measured on JDK 17.0.15). So the ciphertext (and tag)
     * is collected in a direct buffer, reused per thread up to {@link #POOLED_BYTES}, and decrypted
     * in one call on the first read.
     */
    static final class DirectGcmInputStream extends InputStream {
        static final int POOLED_BYTES = 4 << 20;
        private static final ThreadLocal<ByteBuffer> POOL = new ThreadLocal<>();

        private final InputStream source;
        private final Cipher cipher;
        private byte[] plain;
        private int position;

        DirectGcmInputStream(InputStream source, Cipher cipher) {
            this.source = source;
            this.cipher = cipher;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (plain == null) {
                plain = decryptAll();
            }
            if (position >= plain.length) {
                return -1;
            }
            int n = Math.min(len, plain.length - position);
            System.arraycopy(plain, position, b, off, n);
            position += n;
            return n;
        }

        private byte[] decryptAll() throws IOException {
            ByteBuffer buffer = POOL.get();
            if (buffer == null) {
                buffer = ByteBuffer.allocateDirect(64 * 1024);
            }
            buffer.clear();
            byte[] chunk = new byte[Streams.CHUNK];
            int n;
            while ((n = source.read(chunk)) > 0) {
                if (buffer.remaining() < n) {
                    long wanted =
                            Math.max((long) buffer.capacity() * 2, (long) buffer.position() + n);
                    if (wanted > Integer.MAX_VALUE - 64) {
                        throw new IOException("encrypted content too large");
                    }
                    ByteBuffer larger = ByteBuffer.allocateDirect((int) wanted);
                    buffer.flip();
                    larger.put(buffer);
                    buffer = larger;
                }
                buffer.put(chunk, 0, n);
            }
            if (buffer.capacity() <= POOLED_BYTES) {
                POOL.set(buffer);
            }
            buffer.flip();
            try {
                byte[] out = new byte[Math.max(0, cipher.getOutputSize(buffer.remaining()))];
                ByteBuffer target = ByteBuffer.wrap(out);
                cipher.doFinal(buffer, target);
                return target.position() == out.length
                        ? out
                        : Arrays.copyOf(out, target.position());
            } catch (GeneralSecurityException e) {
                throw new IOException("AES-GCM decryption failed", e);
            } finally {
                buffer.clear();
            }
        }
    }

    /**
     * Feeds a JDK cipher and hands its output on in blocks of exactly {@link Streams#CHUNK} bytes,
     * the cipher writing straight into the block: Bouncy Castle's BER octet-string stream (buffer
     * size {@code CHUNK}) then encodes each block from our array without copying it into its own
     * buffer (given blocks out of step with its buffer it copied every byte; so did {@code
     * MacCaptureStream}, which split each write in two to hold back a possible tag). With {@code
     * tagBytes > 0} the last {@code tagBytes} of {@code doFinal}'s output (the GCM tag) are kept
     * back for {@link #tag()}. Closing finishes the cipher and flushes, but leaves the target open.
     */
    static final class JdkCipherOutputStream extends OutputStream {
        private static final int CARRY = 16;
        private final OutputStream out;
        private final Cipher cipher;
        private final int tagBytes;

        /**
         * One block plus what one update can overshoot it by (input chosen below, at most 31
         * bytes).
         */
        private final byte[] block = new byte[Streams.CHUNK + 64];

        private int count;

        /**
         * Input held back until it fills an AES block: given updates of any length, the JDK's GCM
         * keeps the remainder in a buffer of its own, then copies it out ({@code toByteArray}) and
         * runs GHASH over single blocks without the intrinsics on every later update.
         */
        private final byte[] carry = new byte[CARRY];

        private int carried;
        private byte[] tag;
        private boolean closed;

        JdkCipherOutputStream(OutputStream out, Cipher cipher, int tagBytes) {
            this.out = out;
            this.cipher = cipher;
            this.tagBytes = tagBytes;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (carried > 0) {
                int take = Math.min(CARRY - carried, len);
                System.arraycopy(b, off, carry, carried, take);
                carried += take;
                off += take;
                len -= take;
                if (carried < CARRY) {
                    return;
                }
                encrypt(carry, 0, CARRY);
                carried = 0;
            }
            int whole = len - len % CARRY;
            encrypt(b, off, whole);
            carried = len - whole;
            System.arraycopy(b, off + whole, carry, 0, carried);
        }

        private void encrypt(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                // enough input that the output reaches the block's end even if the cipher holds
                // back up to
                // 15 bytes, never so much that it runs past block.length (AES: output <= held +
                // input)
                int n = Math.min(len, Streams.CHUNK + 16 - count);
                try {
                    count += cipher.update(b, off, n, block, count);
                } catch (ShortBufferException e) {
                    throw new IOException("cipher output buffer too small", e);
                }
                off += n;
                len -= n;
                if (count >= Streams.CHUNK) {
                    out.write(block, 0, Streams.CHUNK);
                    count -= Streams.CHUNK;
                    System.arraycopy(block, Streams.CHUNK, block, 0, count);
                }
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            byte[] last;
            try {
                last = cipher.doFinal(carry, 0, carried);
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot finish the cipher", e);
            }
            last = last == null ? new byte[0] : last;
            if (last.length < tagBytes) {
                throw new IOException("cipher output shorter than its tag");
            }
            int body = last.length - tagBytes;
            tag = Arrays.copyOfRange(last, body, last.length);
            out.write(block, 0, count);
            out.write(last, 0, body);
            // not closed: Bouncy Castle closes the octet-string stream itself once the cipher
            // stream is done
            out.flush();
        }

        /** The tag held back from the cipher's last output; valid after {@link #close()}. */
        byte[] tag() {
            if (tag == null) {
                throw new IllegalStateException("cipher not finished");
            }
            return tag.clone();
        }
    }

    private static final class AadStream extends OutputStream {
        private final Cipher cipher;

        AadStream(Cipher cipher) {
            this.cipher = cipher;
        }

        @Override
        public void write(int b) throws IOException {
            cipher.updateAAD(new byte[] {(byte) b});
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            cipher.updateAAD(b, off, len);
        }
    }
}
