package dev.mailsec.smime;

/** What {@link SmimeDecryptor} opened, and with which key version. */
public final class DecryptionResult {

    private final String keyId;
    private final String contentAlgorithm;
    private final String keyTransport;
    private final boolean authenticated;

    public DecryptionResult(
            String keyId, String contentAlgorithm, String keyTransport, boolean authenticated) {
        this.keyId = keyId;
        this.contentAlgorithm = contentAlgorithm;
        this.keyTransport = keyTransport;
        this.authenticated = authenticated;
    }

    /** The id of the {@link SmimeKeyPair} that opened the envelope. */
    public String keyId() {
        return keyId;
    }

    /** e.g. {@code aes256-gcm}, {@code aes256-cbc}, {@code aes128-cbc}. */
    public String contentAlgorithm() {
        return contentAlgorithm;
    }

    /** e.g. {@code rsa-oaep}, {@code rsa-pkcs1}, {@code ecdh}. */
    public String keyTransport() {
        return keyTransport;
    }

    /** True for AuthEnvelopedData (RFC 5083), whose integrity tag was checked. */
    public boolean authenticated() {
        return authenticated;
    }

    /**
     * One line for a mail attribute or a log: {@code key=alice-2025 content=aes256-gcm
     * transport=rsa-oaep}.
     */
    public String summary() {
        return "key=" + keyId + " content=" + contentAlgorithm + " transport=" + keyTransport;
    }

    @Override
    public String toString() {
        return "DecryptionResult{" + summary() + "}";
    }
}
