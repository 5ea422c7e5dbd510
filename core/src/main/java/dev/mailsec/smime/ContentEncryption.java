package dev.mailsec.smime;

import dev.mailsec.shaded.bc.asn1.ASN1ObjectIdentifier;
import dev.mailsec.shaded.bc.cms.CMSAlgorithm;

/**
 * Content-encryption presets: AES-256 only, GCM (AuthEnvelopedData, RFC 5083) where the peer reads
 * it.
 */
public enum ContentEncryption {
    /** EnvelopedData with AES-256-CBC: what Outlook and every older client decrypts. */
    AES256_CBC(CMSAlgorithm.AES256_CBC, "aes256-cbc"),
    /** AuthEnvelopedData with AES-256-GCM (RFC 5083, RFC 5084, RFC 8551 section 2.7). */
    AES256_GCM(CMSAlgorithm.AES256_GCM, "aes256-gcm");

    private final ASN1ObjectIdentifier oid;
    private final String configName;

    ContentEncryption(ASN1ObjectIdentifier oid, String configName) {
        this.oid = oid;
        this.configName = configName;
    }

    ASN1ObjectIdentifier oid() {
        return oid;
    }

    public boolean isAuthenticated() {
        return this == AES256_GCM;
    }

    public String configName() {
        return configName;
    }

    /** The S/MIME type parameter for the Content-Type header (RFC 8551 section 3.2.2). */
    public String smimeType() {
        return isAuthenticated() ? "authEnveloped-data" : "enveloped-data";
    }

    public static ContentEncryption parse(String name) {
        for (ContentEncryption c : values()) {
            if (c.configName.equalsIgnoreCase(name.trim())) {
                return c;
            }
        }
        throw new IllegalArgumentException(
                "unknown content encryption '" + name + "', expected aes256-cbc or aes256-gcm");
    }
}
