package dev.mailsec.smime;

import dev.mailsec.shaded.bc.asn1.ASN1ObjectIdentifier;
import dev.mailsec.shaded.bc.asn1.ASN1OctetString;
import dev.mailsec.shaded.bc.asn1.cms.GCMParameters;
import dev.mailsec.shaded.bc.asn1.nist.NISTObjectIdentifiers;
import dev.mailsec.shaded.bc.asn1.x509.AlgorithmIdentifier;
import dev.mailsec.shaded.bc.asn1.x509.SubjectPublicKeyInfo;
import dev.mailsec.shaded.bc.cms.CMSException;
import dev.mailsec.shaded.bc.cms.InputStreamWithMAC;
import dev.mailsec.shaded.bc.cms.RecipientOperator;
import dev.mailsec.shaded.bc.cms.jcajce.JceKeyAgreeRecipient;
import dev.mailsec.shaded.bc.cms.jcajce.JceKeyTransRecipient;
import dev.mailsec.shaded.bc.jcajce.io.CipherInputStream;
import dev.mailsec.shaded.bc.jcajce.io.CipherOutputStream;
import dev.mailsec.shaded.bc.operator.GenericKey;
import dev.mailsec.shaded.bc.operator.InputAEADDecryptor;
import dev.mailsec.shaded.bc.operator.MacCaptureStream;
import dev.mailsec.shaded.bc.operator.OutputAEADEncryptor;
import dev.mailsec.shaded.bc.operator.jcajce.JceGenericKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Glue that lets Bouncy Castle's CMS classes run AES-GCM in the JDK's provider. Bouncy Castle looks
 * GCM up by its OID, which the JDK does not register, and its own AES has no CPU intrinsics (~30x
 * slower here, see perf-anchors.md). No cipher code of ours: the JDK's {@code AES/GCM/NoPadding}
 * does the work; this only moves nonce, tag and AAD between CMS (RFC 5084) and the JCA.
 */
final class JdkGcm {

    static final Set<ASN1ObjectIdentifier> GCM_OIDS = Set.of(
        NISTObjectIdentifiers.id_aes128_GCM, NISTObjectIdentifiers.id_aes192_GCM, NISTObjectIdentifiers.id_aes256_GCM);

    private static final int TAG_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private JdkGcm() {
    }

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
        AlgorithmIdentifier algorithm = new AlgorithmIdentifier(NISTObjectIdentifiers.id_aes256_GCM, new GCMParameters(nonce, TAG_BYTES));
        return new OutputAEADEncryptor() {
            private MacCaptureStream macCapture;

            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return algorithm;
            }

            @Override
            public OutputStream getOutputStream(OutputStream out) {
                // the JDK appends the tag to the ciphertext; CMS keeps it in its own field
                macCapture = new MacCaptureStream(out, TAG_BYTES);
                return new CipherOutputStream(macCapture, cipher);
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
                return macCapture.getMac();
            }
        };
    }

    static InputAEADDecryptor decryptor(Key contentKey, AlgorithmIdentifier algorithm) throws CMSException {
        try {
            GCMParameters params = GCMParameters.getInstance(algorithm.getParameters());
            if (params.getIcvLen() < 12) {
                throw new CMSException("GCM tag of " + params.getIcvLen() + " bytes is too short");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(contentKey.getEncoded(), "AES"),
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
                    return new CipherInputStream(in, cipher);
                }

                @Override
                public OutputStream getAADStream() {
                    return new AadStream(cipher);
                }

                @Override
                public byte[] getMAC() {
                    return source instanceof InputStreamWithMAC ? ((InputStreamWithMAC) source).getMAC() : null;
                }
            };
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new CMSException("cannot set up AES-GCM: " + e.getMessage(), e);
        }
    }

    /** Key transport (RSA) recipient whose content decryption is the JDK's GCM. */
    static final class KeyTransRecipient extends JceKeyTransRecipient {
        KeyTransRecipient(PrivateKey key) {
            super(key);
        }

        @Override
        public RecipientOperator getRecipientOperator(AlgorithmIdentifier keyEncryptionAlgorithm,
                                                      AlgorithmIdentifier contentEncryptionAlgorithm,
                                                      byte[] encryptedContentEncryptionKey) throws CMSException {
            Key key = extractSecretKey(keyEncryptionAlgorithm, contentEncryptionAlgorithm, encryptedContentEncryptionKey);
            return new RecipientOperator(decryptor(key, contentEncryptionAlgorithm));
        }
    }

    /** Key agreement (ECDH) recipient whose content decryption is the JDK's GCM. */
    static final class KeyAgreeRecipient extends JceKeyAgreeRecipient {
        KeyAgreeRecipient(PrivateKey key) {
            super(key);
        }

        @Override
        public RecipientOperator getRecipientOperator(AlgorithmIdentifier keyEncryptionAlgorithm,
                                                      AlgorithmIdentifier contentEncryptionAlgorithm,
                                                      SubjectPublicKeyInfo senderPublicKey,
                                                      ASN1OctetString userKeyingMaterial,
                                                      byte[] encryptedContentKey) throws CMSException {
            Key key = extractSecretKey(keyEncryptionAlgorithm, contentEncryptionAlgorithm, senderPublicKey,
                userKeyingMaterial, encryptedContentKey);
            return new RecipientOperator(decryptor(key, contentEncryptionAlgorithm));
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
