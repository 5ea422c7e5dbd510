package dev.mailsec.tls;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;

/**
 * What is known about the TLS session a mail arrived on: the negotiated protocol and cipher suite
 * and, where the client presented a certificate, its subject and subject alternative names.
 *
 * <p>A mail that arrived in clear has no {@code TlsFacts} at all ({@code Optional.empty()} wherever
 * facts are passed around), never a {@code TlsFacts} with blank fields.
 */
public final class TlsFacts {

    private final String protocol;
    private final String cipherSuite;
    private final Optional<String> peerSubject;
    private final List<String> peerSubjectAltNames;

    private TlsFacts(
            String protocol,
            String cipherSuite,
            Optional<String> peerSubject,
            List<String> peerSubjectAltNames) {
        this.protocol = protocol;
        this.cipherSuite = cipherSuite;
        this.peerSubject = peerSubject;
        this.peerSubjectAltNames = peerSubjectAltNames;
    }

    /**
     * Facts as recorded elsewhere (e.g. read back from mail attributes).
     *
     * @param peerSubject RFC 2253 subject of the client certificate, or empty when none was
     *     presented
     * @param peerSubjectAltNames {@code TYPE:value} names of the client certificate (see {@link
     *     SubjectAltNames})
     */
    public static TlsFacts of(
            String protocol,
            String cipherSuite,
            Optional<String> peerSubject,
            List<String> peerSubjectAltNames) {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(cipherSuite, "cipherSuite");
        Objects.requireNonNull(peerSubject, "peerSubject");
        return new TlsFacts(
                protocol,
                cipherSuite,
                peerSubject,
                Collections.unmodifiableList(new ArrayList<>(peerSubjectAltNames)));
    }

    /**
     * Reads the facts of an established session.
     *
     * @param recordPeerCertificate whether to read the client certificate's subject and alternative
     *     names
     */
    public static TlsFacts fromSession(SSLSession session, boolean recordPeerCertificate) {
        Optional<X509Certificate> peer =
                recordPeerCertificate ? peerCertificate(session) : Optional.empty();
        return new TlsFacts(
                session.getProtocol(),
                session.getCipherSuite(),
                peer.map(
                        certificate ->
                                certificate
                                        .getSubjectX500Principal()
                                        .getName(X500Principal.RFC2253)),
                peer.map(SubjectAltNames::of).orElse(Collections.emptyList()));
    }

    private static Optional<X509Certificate> peerCertificate(SSLSession session) {
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException noCertificatePresented) {
            return Optional.empty();
        }
        if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate)) {
            return Optional.empty();
        }
        return Optional.of((X509Certificate) chain[0]);
    }

    /** The protocol as JSSE named it, e.g. {@code TLSv1.3}. */
    public String protocol() {
        return protocol;
    }

    /** The protocol as a comparable version, or empty when it is not one mailsec knows. */
    public Optional<TlsProtocolVersion> protocolVersion() {
        return TlsProtocolVersion.fromJsseName(protocol);
    }

    /** The cipher suite as JSSE named it, e.g. {@code TLS_AES_256_GCM_SHA384}. */
    public String cipherSuite() {
        return cipherSuite;
    }

    /** RFC 2253 subject of the client certificate, or empty when the client presented none. */
    public Optional<String> peerSubject() {
        return peerSubject;
    }

    /** {@code TYPE:value} alternative names of the client certificate; empty when none. */
    public List<String> peerSubjectAltNames() {
        return peerSubjectAltNames;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof TlsFacts)) {
            return false;
        }
        TlsFacts that = (TlsFacts) other;
        return protocol.equals(that.protocol)
                && cipherSuite.equals(that.cipherSuite)
                && peerSubject.equals(that.peerSubject)
                && peerSubjectAltNames.equals(that.peerSubjectAltNames);
    }

    @Override
    public int hashCode() {
        return Objects.hash(protocol, cipherSuite, peerSubject, peerSubjectAltNames);
    }

    @Override
    public String toString() {
        return "TlsFacts{protocol="
                + protocol
                + ", cipherSuite="
                + cipherSuite
                + ", peerSubject="
                + peerSubject.orElse("-")
                + ", peerSubjectAltNames="
                + peerSubjectAltNames
                + "}";
    }
}
