package dev.mailsec.smime;

import dev.mailsec.asn1.BerLimitException;
import dev.mailsec.asn1.BerLimits;
import dev.mailsec.shaded.bc.asn1.ASN1ObjectIdentifier;
import dev.mailsec.shaded.bc.asn1.ASN1SequenceParser;
import dev.mailsec.shaded.bc.asn1.ASN1StreamParser;
import dev.mailsec.shaded.bc.asn1.cms.CMSObjectIdentifiers;
import dev.mailsec.shaded.bc.asn1.cms.ContentInfoParser;
import dev.mailsec.shaded.bc.asn1.nist.NISTObjectIdentifiers;
import dev.mailsec.shaded.bc.asn1.pkcs.PKCSObjectIdentifiers;
import dev.mailsec.shaded.bc.cms.CMSAuthEnvelopedDataParser;
import dev.mailsec.shaded.bc.cms.CMSEnvelopedDataParser;
import dev.mailsec.shaded.bc.cms.CMSException;
import dev.mailsec.shaded.bc.cms.CMSTypedStream;
import dev.mailsec.shaded.bc.cms.KeyAgreeRecipientInformation;
import dev.mailsec.shaded.bc.cms.Recipient;
import dev.mailsec.shaded.bc.cms.RecipientId;
import dev.mailsec.shaded.bc.cms.RecipientInformation;
import dev.mailsec.shaded.bc.cms.RecipientInformationStore;
import dev.mailsec.shaded.bc.cms.jcajce.JceKeyAgreeRecipient;
import dev.mailsec.shaded.bc.cms.jcajce.JceKeyAgreeRecipientId;
import dev.mailsec.shaded.bc.cms.jcajce.JceKeyTransRecipientId;
import dev.mailsec.smime.internal.Base64LinesInputStream;
import dev.mailsec.smime.internal.ContentType;
import dev.mailsec.smime.internal.MessageHead;
import dev.mailsec.smime.internal.Streams;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.PrivateKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.BadPaddingException;

/**
 * Decrypts an S/MIME enveloped (AES-CBC, 3DES) or auth-enveloped (AES-GCM) message with the first
 * supplied key version the envelope names. The decrypted MIME entity is written byte for byte after
 * the outer header fields (all but Content-*): attachments, nested parts and their headers stay as
 * the sender built them. Streams; the JDK's providers do AES and RSA.
 *
 * <p>Output is written while decrypting: a caller must discard it when an exception is thrown (a
 * GCM tag is checked only at the end).
 */
public final class SmimeDecryptor {

    private static final Map<ASN1ObjectIdentifier, String> CONTENT_ALGORITHMS =
            Map.of(
                    NISTObjectIdentifiers.id_aes256_CBC, "aes256-cbc",
                    NISTObjectIdentifiers.id_aes192_CBC, "aes192-cbc",
                    NISTObjectIdentifiers.id_aes128_CBC, "aes128-cbc",
                    NISTObjectIdentifiers.id_aes256_GCM, "aes256-gcm",
                    NISTObjectIdentifiers.id_aes192_GCM, "aes192-gcm",
                    NISTObjectIdentifiers.id_aes128_GCM, "aes128-gcm",
                    PKCSObjectIdentifiers.des_EDE3_CBC, "des-ede3-cbc");

    /**
     * @param keys the recipient's key versions, current first (see {@link SmimeKeySource})
     * @throws SmimeException {@code NOT_SMIME} for a message that is not enveloped, {@code
     *     NO_MATCHING_KEY} when no key is a recipient, {@code CORRUPT} for a broken envelope or
     *     failed integrity check, {@code UNSUPPORTED_ALGORITHM} for RC2, DES and other weak or
     *     unknown ciphers
     */
    public DecryptionResult decrypt(InputStream message, OutputStream out, List<SmimeKeyPair> keys)
            throws IOException, SmimeException {
        try {
            return decryptTagged(message, new TaggedOutput(out), keys);
        } catch (StreamFault e) {
            throw e.getCause();
        }
    }

    private DecryptionResult decryptTagged(
            InputStream message, OutputStream out, List<SmimeKeyPair> keys)
            throws IOException, SmimeException {
        // a BufferedInputStream over an in-memory message would only copy every byte once more
        InputStream in =
                new TaggedInput(
                        message instanceof BufferedInputStream
                                        || message instanceof ByteArrayInputStream
                                ? message
                                : new BufferedInputStream(message, 64 * 1024));
        MessageHead head;
        try {
            head = MessageHead.read(in);
        } catch (StreamFault e) {
            throw e;
        } catch (IOException e) {
            throw new SmimeException(
                    SmimeException.Reason.NOT_SMIME, "not a message: " + e.getMessage(), e);
        }
        ContentType type = head.contentType();
        if (!SmimeMessages.isEncryptedType(type)) {
            throw new SmimeException(
                    SmimeException.Reason.NOT_SMIME,
                    "not an S/MIME encrypted message: " + type.mediaType());
        }
        String cte = head.transferEncoding().orElse("7bit");
        // the message's length bounds every declared length when it is known (the mailet's
        // in-memory copy)
        // (asked of the caller's stream: the tagging wrapper around it is no ByteArrayInputStream)
        long bound =
                message instanceof ByteArrayInputStream ? message.available() : Integer.MAX_VALUE;
        InputStream body = "base64".equals(cte) ? new Base64LinesInputStream(in) : in;
        // checked below the buffer, so that the mark/reset below shows the checker every byte once
        InputStream der = new BufferedInputStream(BerLimits.stream(body, bound), 64 * 1024);
        try {
            der.mark(1 << 16);
            ASN1SequenceParser contentInfo =
                    (ASN1SequenceParser) new ASN1StreamParser(der).readObject();
            if (contentInfo == null) {
                throw new SmimeException(SmimeException.Reason.CORRUPT, "empty envelope");
            }
            ASN1ObjectIdentifier contentType = new ContentInfoParser(contentInfo).getContentType();
            der.reset();
            if (CMSObjectIdentifiers.authEnvelopedData.equals(contentType)) {
                CMSAuthEnvelopedDataParser parser = new CMSAuthEnvelopedDataParser(der);
                String algorithm = contentAlgorithm(parser.getEncAlgOID());
                return open(parser.getRecipientInfos(), keys, head, out, algorithm, true);
            }
            if (CMSObjectIdentifiers.envelopedData.equals(contentType)) {
                CMSEnvelopedDataParser parser = new CMSEnvelopedDataParser(der);
                String algorithm = contentAlgorithm(parser.getEncryptionAlgOID());
                return open(parser.getRecipientInfos(), keys, head, out, algorithm, false);
            }
            throw new SmimeException(
                    SmimeException.Reason.NOT_SMIME,
                    "CMS content is " + contentType + ", not (auth)enveloped data");
        } catch (CMSException
                | ClassCastException
                | IllegalArgumentException
                | IllegalStateException e) {
            refuseOverLimit(e);
            throw new SmimeException(
                    SmimeException.Reason.CORRUPT, "broken envelope: " + e.getMessage(), e);
        } catch (IOException e) {
            refuseOverLimit(e);
            if (e.getCause() instanceof AEADBadTagException
                    || e.getCause() instanceof CMSException
                    || e.getCause() instanceof BadPaddingException) {
                throw new SmimeException(
                        SmimeException.Reason.CORRUPT, "envelope fails its integrity check", e);
            }
            if (e instanceof StreamFault) {
                throw e;
            }
            // not a fault of the caller's streams (those are StreamFaults): the envelope's
            // encoding, e.g. Bouncy Castle's
            // plain IOException for a length over 31 bits, or base64 that does not decode
            throw new SmimeException(
                    SmimeException.Reason.CORRUPT,
                    "truncated or malformed envelope: " + e.getMessage(),
                    e);
        }
    }

    /**
     * An envelope past a {@link BerLimits} bound, wherever Bouncy Castle wrapped the refusal:
     * CORRUPT, "refused".
     */
    private static void refuseOverLimit(Exception e) throws SmimeException {
        Optional<BerLimitException> limit = BerLimitException.in(e);
        if (limit.isPresent()) {
            throw new SmimeException(
                    SmimeException.Reason.CORRUPT,
                    "envelope refused: " + limit.get().getMessage(),
                    e);
        }
    }

    private static String contentAlgorithm(String oid) throws SmimeException {
        String name = CONTENT_ALGORITHMS.get(new ASN1ObjectIdentifier(oid));
        if (name == null) {
            throw new SmimeException(
                    SmimeException.Reason.UNSUPPORTED_ALGORITHM,
                    "content encryption " + oid + " is not accepted");
        }
        return name;
    }

    private static DecryptionResult open(
            RecipientInformationStore infos,
            List<SmimeKeyPair> keys,
            MessageHead head,
            OutputStream out,
            String algorithm,
            boolean authenticated)
            throws IOException, SmimeException, CMSException {
        for (SmimeKeyPair key : keys) {
            Optional<RecipientInformation> info = find(infos, key);
            if (info.isEmpty()) {
                continue;
            }
            RecipientInformation ri = info.get();
            boolean agree = ri instanceof KeyAgreeRecipientInformation;
            Recipient recipient = recipient(key, agree, algorithm.contains("gcm"));
            CMSTypedStream content;
            try {
                content = ri.getContentStream(recipient);
            } catch (CMSException e) {
                // wrong key material, or a padding/OAEP failure: same answer for every cause (no
                // oracle)
                throw new SmimeException(
                        SmimeException.Reason.CORRUPT,
                        "cannot unwrap the content key with key " + key.id(),
                        e);
            }
            head.writeOuterFields(out);
            try (InputStream plain = content.getContentStream()) {
                Streams.copy(plain, out);
            }
            out.flush();
            String transport =
                    agree
                            ? "ecdh"
                            : (PKCSObjectIdentifiers.id_RSAES_OAEP
                                            .getId()
                                            .equals(ri.getKeyEncryptionAlgOID())
                                    ? "rsa-oaep"
                                    : "rsa-pkcs1");
            return new DecryptionResult(key.id(), algorithm, transport, authenticated);
        }
        throw new SmimeException(
                SmimeException.Reason.NO_MATCHING_KEY,
                "none of " + keys.size() + " key version(s) is a recipient of this message");
    }

    /**
     * ECDH with the X9.63 KDF needs Bouncy Castle; the content cipher is the JDK's, fed in large
     * chunks ({@link JdkGcm}, {@link JdkCbc}).
     */
    private static Recipient recipient(SmimeKeyPair key, boolean agree, boolean gcm) {
        PrivateKey privateKey = key.privateKeyForCryptoOperation();
        JdkContentRecipients.ContentDecryptor content = gcm ? JdkGcm::decryptor : JdkCbc::decryptor;
        if (agree) {
            JceKeyAgreeRecipient r = new JdkContentRecipients.KeyAgree(privateKey, content);
            r.setProvider(BcProvider.INSTANCE);
            return r;
        }
        return new JdkContentRecipients.KeyTrans(privateKey, content);
    }

    private static Optional<RecipientInformation> find(
            RecipientInformationStore infos, SmimeKeyPair key) {
        RecipientId id;
        try {
            id =
                    "EC".equals(key.certificate().getPublicKey().getAlgorithm())
                            ? new JceKeyAgreeRecipientId(key.certificate())
                            : new JceKeyTransRecipientId(key.certificate());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(infos.get(id));
    }

    /**
     * An IOException of the caller's message or output stream, as opposed to one about the
     * envelope's bytes.
     */
    private static final class StreamFault extends IOException {
        private static final long serialVersionUID = 1L;

        StreamFault(IOException cause) {
            super(cause.getMessage(), cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    /**
     * Marks the faults of the message stream (mark/reset pass through, so MessageHead still reads
     * in blocks).
     */
    private static final class TaggedInput extends FilterInputStream {
        TaggedInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw new StreamFault(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw new StreamFault(e);
            }
        }

        @Override
        public synchronized void reset() throws IOException {
            try {
                super.reset();
            } catch (IOException e) {
                throw new StreamFault(e);
            }
        }
    }

    /** Marks the faults of the output stream. */
    private static final class TaggedOutput extends OutputStream {
        private final OutputStream out;

        TaggedOutput(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw new StreamFault(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw new StreamFault(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw new StreamFault(e);
            }
        }
    }
}
