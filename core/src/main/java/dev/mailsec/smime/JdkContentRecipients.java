package dev.mailsec.smime;

import dev.mailsec.shaded.bc.asn1.ASN1OctetString;
import dev.mailsec.shaded.bc.asn1.x509.AlgorithmIdentifier;
import dev.mailsec.shaded.bc.asn1.x509.SubjectPublicKeyInfo;
import dev.mailsec.shaded.bc.cms.CMSException;
import dev.mailsec.shaded.bc.cms.RecipientOperator;
import dev.mailsec.shaded.bc.cms.jcajce.JceKeyAgreeRecipient;
import dev.mailsec.shaded.bc.cms.jcajce.JceKeyTransRecipient;
import dev.mailsec.shaded.bc.operator.InputDecryptor;
import java.security.Key;
import java.security.PrivateKey;

/**
 * Recipients whose content key is recovered by Bouncy Castle (RSA key transport, or ECDH key
 * agreement with the X9.63 KDF) and whose content is decrypted by the JDK cipher a {@link
 * ContentDecryptor} sets up: {@link JdkCbc#decryptor} (large chunks) or {@link JdkGcm#decryptor}
 * (direct buffer, GHASH intrinsics).
 */
final class JdkContentRecipients {

    private JdkContentRecipients() {}

    /** Sets up the content decryption for a recovered content key. */
    interface ContentDecryptor {
        InputDecryptor decryptor(Key contentKey, AlgorithmIdentifier algorithm) throws CMSException;
    }

    /** Key transport (RSA) recipient. */
    static final class KeyTrans extends JceKeyTransRecipient {
        private final ContentDecryptor content;

        KeyTrans(PrivateKey key, ContentDecryptor content) {
            super(key);
            this.content = content;
        }

        @Override
        public RecipientOperator getRecipientOperator(
                AlgorithmIdentifier keyEncryptionAlgorithm,
                AlgorithmIdentifier contentEncryptionAlgorithm,
                byte[] encryptedContentEncryptionKey)
                throws CMSException {
            Key key =
                    extractSecretKey(
                            keyEncryptionAlgorithm,
                            contentEncryptionAlgorithm,
                            encryptedContentEncryptionKey);
            return new RecipientOperator(content.decryptor(key, contentEncryptionAlgorithm));
        }
    }

    /** Key agreement (ECDH) recipient. */
    static final class KeyAgree extends JceKeyAgreeRecipient {
        private final ContentDecryptor content;

        KeyAgree(PrivateKey key, ContentDecryptor content) {
            super(key);
            this.content = content;
        }

        @Override
        public RecipientOperator getRecipientOperator(
                AlgorithmIdentifier keyEncryptionAlgorithm,
                AlgorithmIdentifier contentEncryptionAlgorithm,
                SubjectPublicKeyInfo senderPublicKey,
                ASN1OctetString userKeyingMaterial,
                byte[] encryptedContentKey)
                throws CMSException {
            Key key =
                    extractSecretKey(
                            keyEncryptionAlgorithm,
                            contentEncryptionAlgorithm,
                            senderPublicKey,
                            userKeyingMaterial,
                            encryptedContentKey);
            return new RecipientOperator(content.decryptor(key, contentEncryptionAlgorithm));
        }
    }
}
