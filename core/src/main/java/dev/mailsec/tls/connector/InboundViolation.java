package dev.mailsec.tls.connector;

/**
 * The ways a session can break an inbound connector, each with the SMTP reply and enhanced status
 * code (RFC 3463, registry of RFC 5248) used to refuse it.
 */
public enum InboundViolation {
    /**
     * No TLS at all: {@code 530 5.7.10} Encryption needed (RFC 3207 uses 530 for "STARTTLS first").
     */
    TLS_REQUIRED("530", "5.7.10"),
    /** TLS older than the connector's minimum: also encryption needed, of a stronger kind. */
    PROTOCOL_TOO_OLD("530", "5.7.10"),
    /**
     * A cipher suite outside the connector's list: {@code 5.7.6} cryptographic algorithm not
     * supported.
     */
    CIPHER_NOT_ALLOWED("550", "5.7.6"),
    /** No client certificate: {@code 530 5.7.0}, authentication required (RFC 4954's code). */
    CLIENT_CERTIFICATE_REQUIRED("530", "5.7.0"),
    /** A certificate without the required name: {@code 5.7.1} delivery not authorized. */
    CLIENT_CERTIFICATE_NAME("550", "5.7.1");

    private final String replyCode;
    private final String enhancedStatus;

    InboundViolation(String replyCode, String enhancedStatus) {
        this.replyCode = replyCode;
        this.enhancedStatus = enhancedStatus;
    }

    /** The three-digit SMTP reply code. */
    public String replyCode() {
        return replyCode;
    }

    /** The enhanced status code, e.g. {@code 5.7.10}. */
    public String enhancedStatus() {
        return enhancedStatus;
    }
}
