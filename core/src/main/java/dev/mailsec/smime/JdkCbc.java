package dev.mailsec.smime;

import dev.mailsec.shaded.bc.asn1.ASN1ObjectIdentifier;
import dev.mailsec.shaded.bc.asn1.ASN1OctetString;
import dev.mailsec.shaded.bc.asn1.nist.NISTObjectIdentifiers;
import dev.mailsec.shaded.bc.asn1.pkcs.PKCSObjectIdentifiers;
import dev.mailsec.shaded.bc.asn1.x509.AlgorithmIdentifier;
import dev.mailsec.shaded.bc.cms.CMSException;
import dev.mailsec.shaded.bc.operator.InputDecryptor;
import dev.mailsec.smime.internal.Streams;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * CBC content decryption (AES, and 3DES for old senders) in the JDK's provider, fed in 16 KiB
 * chunks. Bouncy Castle's recipients wrap the JDK cipher in a {@code CipherInputStream} that reads
 * 512 bytes per call and allocates an array for each result: a few thousand cipher calls per
 * megabyte. No cipher code of ours; this only moves key and IV from CMS to the JCA.
 */
final class JdkCbc {

    private static final Map<ASN1ObjectIdentifier, String> CIPHERS =
            Map.of(
                    NISTObjectIdentifiers.id_aes128_CBC, "AES",
                    NISTObjectIdentifiers.id_aes192_CBC, "AES",
                    NISTObjectIdentifiers.id_aes256_CBC, "AES",
                    PKCSObjectIdentifiers.des_EDE3_CBC, "DESede");

    private JdkCbc() {}

    static boolean isCbc(ASN1ObjectIdentifier oid) {
        return CIPHERS.containsKey(oid);
    }

    static InputDecryptor decryptor(Key contentKey, AlgorithmIdentifier algorithm)
            throws CMSException {
        String family = CIPHERS.get(algorithm.getAlgorithm());
        if (family == null) {
            throw new CMSException("not a CBC cipher: " + algorithm.getAlgorithm());
        }
        try {
            byte[] iv = ASN1OctetString.getInstance(algorithm.getParameters()).getOctets();
            Cipher cipher = Cipher.getInstance(family + "/CBC/PKCS5Padding");
            cipher.init(
                    Cipher.DECRYPT_MODE,
                    new SecretKeySpec(contentKey.getEncoded(), family),
                    new IvParameterSpec(iv));
            return new InputDecryptor() {
                @Override
                public AlgorithmIdentifier getAlgorithmIdentifier() {
                    return algorithm;
                }

                @Override
                public InputStream getInputStream(InputStream in) {
                    return new JdkCipherInputStream(in, cipher);
                }
            };
        } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
            throw new CMSException("cannot set up " + family + "-CBC: " + e.getMessage(), e);
        }
    }

    /**
     * Reads {@link Streams#CHUNK} bytes per cipher call into one reused array; padding errors
     * surface at the end.
     */
    static final class JdkCipherInputStream extends InputStream {
        private final InputStream source;
        private final Cipher cipher;
        private final byte[] input = new byte[Streams.CHUNK];
        private byte[] output = new byte[Streams.CHUNK + 32];
        private int position;
        private int limit;
        private boolean finished;

        JdkCipherInputStream(InputStream source, Cipher cipher) {
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
            if (len == 0) {
                return 0;
            }
            while (position >= limit) {
                if (!fill()) {
                    return -1;
                }
            }
            int n = Math.min(len, limit - position);
            System.arraycopy(output, position, b, off, n);
            position += n;
            return n;
        }

        private boolean fill() throws IOException {
            if (finished) {
                return false;
            }
            position = 0;
            int n = source.read(input, 0, input.length);
            try {
                if (n < 0) {
                    finished = true;
                    byte[] last = cipher.doFinal();
                    output = last.length > output.length ? last : output;
                    System.arraycopy(last, 0, output, 0, last.length);
                    limit = last.length;
                    return true;
                }
                int size = cipher.getOutputSize(n);
                if (output.length < size) {
                    output = new byte[size];
                }
                limit = cipher.update(input, 0, n, output, 0);
                return true;
            } catch (GeneralSecurityException e) {
                throw new IOException("content decryption failed", e);
            }
        }
    }
}
