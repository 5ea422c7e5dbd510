package dev.mailsec.smime;

import dev.mailsec.shaded.bc.asn1.ASN1ObjectIdentifier;
import dev.mailsec.shaded.bc.asn1.cms.Attribute;
import dev.mailsec.shaded.bc.asn1.cms.AttributeTable;
import dev.mailsec.shaded.bc.asn1.nist.NISTObjectIdentifiers;
import dev.mailsec.shaded.bc.asn1.pkcs.PKCSObjectIdentifiers;
import dev.mailsec.shaded.bc.asn1.smime.SMIMECapabilities;
import dev.mailsec.shaded.bc.asn1.smime.SMIMECapability;
import java.util.Optional;

/**
 * What a peer said it can decrypt, from the SMIMECapabilities attribute of a message it signed (RFC
 * 8551 section 2.5.2): whether it reads AES-256-GCM (AuthEnvelopedData) and RSA-OAEP.
 */
public final class PeerCapabilities {

    /** Nothing known: AES-256-CBC with the configured RSA key transport. */
    public static final PeerCapabilities UNKNOWN = new PeerCapabilities(false, false);

    private final boolean aesGcm;
    private final boolean rsaOaep;

    public PeerCapabilities(boolean aesGcm, boolean rsaOaep) {
        this.aesGcm = aesGcm;
        this.rsaOaep = rsaOaep;
    }

    public boolean aesGcm() {
        return aesGcm;
    }

    public boolean rsaOaep() {
        return rsaOaep;
    }

    /** Reads the capabilities from a signer's signed attributes; empty when it lists none. */
    static Optional<PeerCapabilities> fromSignedAttributes(AttributeTable attributes) {
        if (attributes == null) {
            return Optional.empty();
        }
        Attribute attribute = attributes.get(PKCSObjectIdentifiers.pkcs_9_at_smimeCapabilities);
        if (attribute == null || attribute.getAttrValues().size() == 0) {
            return Optional.empty();
        }
        SMIMECapabilities capabilities =
                SMIMECapabilities.getInstance(attribute.getAttrValues().getObjectAt(0));
        boolean gcm = false;
        boolean oaep = false;
        for (Object o : capabilities.getCapabilities(null)) {
            ASN1ObjectIdentifier id = ((SMIMECapability) o).getCapabilityID();
            gcm |= NISTObjectIdentifiers.id_aes256_GCM.equals(id);
            oaep |= PKCSObjectIdentifiers.id_RSAES_OAEP.equals(id);
        }
        return Optional.of(new PeerCapabilities(gcm, oaep));
    }

    /** AES-256-GCM when the peer reads it, otherwise AES-256-CBC. */
    public ContentEncryption contentEncryption() {
        return aesGcm ? ContentEncryption.AES256_GCM : ContentEncryption.AES256_CBC;
    }

    /** RSA-OAEP when the peer reads it, otherwise {@code fallback}. */
    public KeyTransport rsaKeyTransport(KeyTransport fallback) {
        return rsaOaep ? KeyTransport.RSA_OAEP : fallback;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerCapabilities
                && ((PeerCapabilities) o).aesGcm == aesGcm
                && ((PeerCapabilities) o).rsaOaep == rsaOaep;
    }

    @Override
    public int hashCode() {
        return (aesGcm ? 2 : 0) + (rsaOaep ? 1 : 0);
    }

    @Override
    public String toString() {
        return "PeerCapabilities{aesGcm=" + aesGcm + ", rsaOaep=" + rsaOaep + "}";
    }
}
