package dev.mailsec.smime;

import dev.mailsec.shaded.bc.asn1.ASN1EncodableVector;
import dev.mailsec.shaded.bc.asn1.cms.AttributeTable;
import dev.mailsec.shaded.bc.asn1.cms.CMSObjectIdentifiers;
import dev.mailsec.shaded.bc.asn1.cms.IssuerAndSerialNumber;
import dev.mailsec.shaded.bc.asn1.pkcs.PKCSObjectIdentifiers;
import dev.mailsec.shaded.bc.asn1.smime.SMIMECapabilitiesAttribute;
import dev.mailsec.shaded.bc.asn1.smime.SMIMECapabilityVector;
import dev.mailsec.shaded.bc.asn1.smime.SMIMEEncryptionKeyPreferenceAttribute;
import dev.mailsec.shaded.bc.asn1.x500.X500Name;
import dev.mailsec.shaded.bc.cert.jcajce.JcaCertStore;
import dev.mailsec.shaded.bc.cms.CMSAlgorithm;
import dev.mailsec.shaded.bc.cms.CMSException;
import dev.mailsec.shaded.bc.cms.CMSSignedDataStreamGenerator;
import dev.mailsec.shaded.bc.cms.DefaultSignedAttributeTableGenerator;
import dev.mailsec.shaded.bc.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import dev.mailsec.shaded.bc.operator.ContentSigner;
import dev.mailsec.shaded.bc.operator.OperatorCreationException;
import dev.mailsec.shaded.bc.operator.jcajce.JcaContentSignerBuilder;
import dev.mailsec.shaded.bc.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import dev.mailsec.smime.internal.CrlfOutputStream;
import dev.mailsec.smime.internal.MessageHead;
import dev.mailsec.smime.internal.SevenBit;
import dev.mailsec.smime.internal.Streams;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Signs a message (RFC 8551 section 3.5): the MIME entity made of the message's Content-* fields
 * and body is canonicalised to CRLF, signed with the sender's key, and wrapped in {@code
 * multipart/signed} (default) or {@code application/pkcs7-mime; smime-type=signed-data}; the other
 * header fields stay outside. The signature carries the certificate chain, the SMIMECapabilities we
 * accept (so peers choose GCM and OAEP when writing to us) and the encryption key preference.
 *
 * <p>The message streams through: memory use does not grow with its size. One instance may be
 * shared; each call builds its own generator.
 */
public final class SmimeSigner {

    private final SigningMode mode;
    private final SignatureAlgorithm algorithm;
    private final boolean sevenBit;

    /**
     * @param algorithm the signature algorithm, or {@code null} for {@link
     *     SignatureAlgorithm#defaultFor} the key
     */
    public SmimeSigner(SigningMode mode, SignatureAlgorithm algorithm) {
        this(mode, algorithm, true);
    }

    /**
     * @param sevenBit convert 8-bit parts to quoted-printable (text) or base64 before signing, so
     *     the signature survives relays without 8BITMIME (RFC 8551 section 3.1.2; {@link
     *     SevenBit}). Such messages are held in memory while signing; base64 and quoted-printable
     *     ones stream.
     */
    public SmimeSigner(SigningMode mode, SignatureAlgorithm algorithm, boolean sevenBit) {
        this.mode = mode;
        this.algorithm = algorithm;
        this.sevenBit = sevenBit;
    }

    /**
     * Reads a complete message (header fields, empty line, body) and writes the signed message.
     *
     * @throws SmimeException {@code NOT_SMIME} when the input has no readable header block, {@code
     *     UNUSABLE_KEY} when the key does not fit the algorithm
     */
    public void sign(InputStream message, OutputStream out, SmimeKeyPair key)
            throws IOException, SmimeException {
        SignatureAlgorithm alg =
                algorithm == null
                        ? SignatureAlgorithm.defaultFor(key.privateKeyForCryptoOperation())
                        : algorithm;
        if (!alg.fits(key.privateKeyForCryptoOperation())) {
            throw new SmimeException(
                    SmimeException.Reason.UNUSABLE_KEY,
                    "key "
                            + key.id()
                            + " ("
                            + key.privateKeyForCryptoOperation().getAlgorithm()
                            + ") cannot sign with "
                            + alg.configName());
        }
        // a BufferedInputStream over an in-memory message would only copy every byte once more
        InputStream in =
                message instanceof BufferedInputStream || message instanceof ByteArrayInputStream
                        ? message
                        : new BufferedInputStream(message, 64 * 1024);
        MessageHead head;
        try {
            head = MessageHead.read(in);
        } catch (IOException e) {
            throw new SmimeException(
                    SmimeException.Reason.NOT_SMIME, "not a message: " + e.getMessage(), e);
        }
        CMSSignedDataStreamGenerator generator = generator(key, alg);
        head.writeOuterFields(out);
        if (mode == SigningMode.DETACHED) {
            signDetached(head, in, out, generator, alg, sevenBit);
        } else {
            signOpaque(head, in, out, generator, sevenBit);
        }
        out.flush();
    }

    private static void signDetached(
            MessageHead head,
            InputStream body,
            OutputStream out,
            CMSSignedDataStreamGenerator generator,
            SignatureAlgorithm alg,
            boolean sevenBit)
            throws IOException, SmimeException {
        String boundary = Streams.newBoundary();
        Streams.ascii(
                out,
                "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg="
                        + alg.micalg()
                        + ";\r\n\tboundary=\""
                        + boundary
                        + "\"\r\n\r\n"
                        + "This is an S/MIME signed message\r\n\r\n--"
                        + boundary
                        + "\r\n");
        ByteArrayOutputStream signature = new ByteArrayOutputStream(4096);
        OutputStream digesting = generator.open(CMSObjectIdentifiers.data, signature, false);
        // the canonicaliser writes line by line; the digest and the output want large chunks
        CrlfOutputStream entity =
                new CrlfOutputStream(
                        new BufferedOutputStream(
                                new TeeOutputStream(out, digesting), Streams.CHUNK));
        writeEntity(head, body, entity, sevenBit);
        entity.flush();
        digesting.close();
        Streams.ascii(
                out,
                "\r\n--"
                        + boundary
                        + "\r\n"
                        + "Content-Type: application/pkcs7-signature; name=\"smime.p7s\"\r\n"
                        + "Content-Transfer-Encoding: base64\r\n"
                        + "Content-Disposition: attachment; filename=\"smime.p7s\"\r\n"
                        + "Content-Description: S/MIME Cryptographic Signature\r\n\r\n");
        try (OutputStream b64 = Streams.base64Lines(out)) {
            signature.writeTo(b64);
        }
        Streams.ascii(out, "\r\n--" + boundary + "--\r\n");
    }

    private static void signOpaque(
            MessageHead head,
            InputStream body,
            OutputStream out,
            CMSSignedDataStreamGenerator generator,
            boolean sevenBit)
            throws IOException {
        Streams.ascii(
                out,
                "Content-Type: application/pkcs7-mime; smime-type=signed-data; name=\"smime.p7m\"\r\n"
                        + "Content-Transfer-Encoding: base64\r\n"
                        + "Content-Disposition: attachment; filename=\"smime.p7m\"\r\n\r\n");
        OutputStream b64 = Streams.base64Lines(out);
        OutputStream content = generator.open(CMSObjectIdentifiers.data, b64, true);
        CrlfOutputStream entity =
                new CrlfOutputStream(new BufferedOutputStream(content, Streams.CHUNK));
        writeEntity(head, body, entity, sevenBit);
        entity.flush();
        content.close();
        b64.close();
        Streams.ascii(out, "\r\n");
    }

    private static void writeEntity(
            MessageHead head, InputStream body, OutputStream entity, boolean sevenBit)
            throws IOException {
        if (sevenBit && SevenBit.mayBeEightBit(head.transferEncoding())) {
            // held once, sized from what the source says it has, and written from its own array
            // when nothing changes
            Buffer whole = new Buffer(Math.max(8192, body.available() + 4096));
            head.writeContentFields(whole);
            whole.write('\r');
            whole.write('\n');
            body.transferTo(whole);
            byte[] converted = SevenBit.convertOrNull(whole.array(), whole.size());
            if (converted == null) {
                Streams.writeChunked(entity, whole.array(), whole.size());
            } else {
                Streams.writeChunked(entity, converted, converted.length);
            }
            return;
        }
        head.writeContentFields(entity);
        entity.write('\r');
        entity.write('\n');
        Streams.copy(body, entity);
    }

    private static CMSSignedDataStreamGenerator generator(SmimeKeyPair key, SignatureAlgorithm alg)
            throws SmimeException {
        try {
            JcaContentSignerBuilder signerBuilder = new JcaContentSignerBuilder(alg.jcaName());
            if (alg.isPss()) {
                // the JDK names PSS "RSASSA-PSS" with parameters; BC's name-based lookup needs BC
                signerBuilder.setProvider(BcProvider.INSTANCE);
            }
            ContentSigner contentSigner = signerBuilder.build(key.privateKeyForCryptoOperation());
            X509Certificate cert = key.certificate();
            AttributeTable attributes = new AttributeTable(signedAttributes(cert));
            CMSSignedDataStreamGenerator generator = new CMSSignedDataStreamGenerator();
            generator.setBufferSize(Streams.CHUNK);
            generator.addSignerInfoGenerator(
                    new JcaSignerInfoGeneratorBuilder(
                                    new JcaDigestCalculatorProviderBuilder().build())
                            .setSignedAttributeGenerator(
                                    new DefaultSignedAttributeTableGenerator(attributes))
                            .build(contentSigner, cert));
            List<X509Certificate> certs = new ArrayList<>();
            certs.add(cert);
            certs.addAll(key.chain());
            generator.addCertificates(new JcaCertStore(certs));
            return generator;
        } catch (OperatorCreationException | CertificateEncodingException | CMSException e) {
            throw new SmimeException(
                    SmimeException.Reason.UNUSABLE_KEY,
                    "cannot sign with key " + key.id() + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * RFC 8551 section 2.5.2: what we can decrypt, strongest first; and which certificate to
     * encrypt to.
     */
    private static ASN1EncodableVector signedAttributes(X509Certificate cert) {
        SMIMECapabilityVector capabilities = new SMIMECapabilityVector();
        capabilities.addCapability(CMSAlgorithm.AES256_GCM);
        capabilities.addCapability(CMSAlgorithm.AES256_CBC);
        capabilities.addCapability(CMSAlgorithm.AES128_GCM);
        capabilities.addCapability(CMSAlgorithm.AES128_CBC);
        capabilities.addCapability(PKCSObjectIdentifiers.id_RSAES_OAEP);
        capabilities.addCapability(PKCSObjectIdentifiers.rsaEncryption);
        ASN1EncodableVector attributes = new ASN1EncodableVector();
        attributes.add(new SMIMECapabilitiesAttribute(capabilities));
        attributes.add(
                new SMIMEEncryptionKeyPreferenceAttribute(
                        new IssuerAndSerialNumber(
                                X500Name.getInstance(cert.getIssuerX500Principal().getEncoded()),
                                cert.getSerialNumber())));
        return attributes;
    }

    /** A byte buffer whose array can be read without a copy. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer(int size) {
            super(size);
        }

        byte[] array() {
            return buf;
        }
    }

    /** Writes to two streams; used to emit the entity and feed the digest in one pass. */
    private static final class TeeOutputStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeOutputStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
        }
    }

    @Override
    public String toString() {
        return "SmimeSigner{"
                + mode
                + ", "
                + (algorithm == null ? "default" : algorithm.configName())
                + "}";
    }
}
