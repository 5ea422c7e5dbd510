package dev.mailsec.tls.connector.dane;

/**
 * The security status of a DNS answer (RFC 4035 section 4.3), as DANE needs it: {@code SECURE}
 * (validated from a trust anchor, positive or a proven denial), {@code INSECURE} (proven unsigned),
 * {@code BOGUS} (signatures do not validate) and {@code ERROR} (no usable answer: timeout, SERVFAIL
 * from a resolver that does not say why). RFC 7672 section 2.1.1 treats the last two alike: nothing
 * may be concluded, the host is not used.
 */
public enum DnssecStatus {
    SECURE("secure"),
    INSECURE("insecure"),
    BOGUS("bogus"),
    ERROR("error");

    private final String text;

    DnssecStatus(String text) {
        this.text = text;
    }

    @Override
    public String toString() {
        return text;
    }
}
