package dev.mailsec.tls;

/**
 * Names of the mail attributes that carry the TLS facts of the SMTP session a mail arrived on.
 *
 * <p>The protocol and cipher use Apache James 3.9's own names, so matchers and mailets reading them
 * work unchanged on a James 3.9 server, where James itself sets them. The peer-certificate names
 * are mailsec's. Adapters turn these strings into James {@code AttributeName}s; this class stays
 * free of James types.
 */
public final class TlsAttributeNames {

    /** Negotiated protocol as JSSE names it, e.g. {@code TLSv1.3}. String value. */
    public static final String PROTOCOL = "org.apache.james.ssl.protocol";

    /**
     * Negotiated cipher suite as JSSE names it, e.g. {@code TLS_AES_256_GCM_SHA384}. String value.
     */
    public static final String CIPHER = "org.apache.james.ssl.cipher";

    /** RFC 2253 subject of the certificate the client presented. String value. */
    public static final String PEER_SUBJECT = "dev.mailsec.tls.peer.subject";

    /**
     * Subject alternative names of the certificate the client presented, each as {@code TYPE:value}
     * (see {@link SubjectAltNames}). Collection-of-strings value.
     */
    public static final String PEER_SUBJECT_ALT_NAMES = "dev.mailsec.tls.peer.subjectAltNames";

    private TlsAttributeNames() {}
}
