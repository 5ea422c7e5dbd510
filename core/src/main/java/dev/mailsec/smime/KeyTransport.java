package dev.mailsec.smime;

/** How the content key reaches a recipient. EC certificates always use {@link #ECDH}. */
public enum KeyTransport {
    /** RSAES-OAEP with SHA-256 and MGF1-SHA-256 (RFC 8017, RFC 4055). */
    RSA_OAEP,
    /** RSAES-PKCS1-v1_5: only for peers that cannot do OAEP. */
    RSA_PKCS1,
    /** Ephemeral-static ECDH with the X9.63 SHA-256 KDF and AES-256 key wrap (RFC 5753). */
    ECDH;

    public String configName() {
        return this == RSA_OAEP ? "rsa-oaep" : (this == RSA_PKCS1 ? "rsa-pkcs1" : "ecdh");
    }

    public static KeyTransport parse(String name) {
        for (KeyTransport k : values()) {
            if (k.configName().equalsIgnoreCase(name.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException(
                "unknown key transport '" + name + "', expected rsa-oaep or rsa-pkcs1");
    }
}
