package dev.mailsec.tls.connector;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * What {@link OutboundProbe} saw at one host, and whether delivery under the connector's policy
 * would go. Every field that depends on a step the session never reached is empty.
 */
public final class ProbeReport {

    /** One certificate of the presented chain, leaf first. */
    public static final class CertificateSummary {
        private final String subject;
        private final String issuer;
        private final String notAfter;
        private final List<String> subjectAltNames;

        public CertificateSummary(
                String subject, String issuer, String notAfter, List<String> subjectAltNames) {
            this.subject = subject;
            this.issuer = issuer;
            this.notAfter = notAfter;
            this.subjectAltNames = Collections.unmodifiableList(new ArrayList<>(subjectAltNames));
        }

        public String subject() {
            return subject;
        }

        public String issuer() {
            return issuer;
        }

        /** ISO-8601 instant. */
        public String notAfter() {
            return notAfter;
        }

        public List<String> subjectAltNames() {
            return subjectAltNames;
        }
    }

    private final SmartHost host;
    private final Optional<String> connectError;
    private final boolean startTlsOffered;
    private final Optional<String> handshakeError;
    private final Optional<String> protocol;
    private final Optional<String> cipherSuite;
    private final List<CertificateSummary> chain;
    private final Optional<String> trustError;
    private final Optional<String> matchedName;
    private final boolean wouldDeliver;
    private final String decision;
    private final Optional<String> clientCertificate;

    ProbeReport(
            SmartHost host,
            Optional<String> connectError,
            boolean startTlsOffered,
            Optional<String> handshakeError,
            Optional<String> protocol,
            Optional<String> cipherSuite,
            List<CertificateSummary> chain,
            Optional<String> trustError,
            Optional<String> matchedName,
            boolean wouldDeliver,
            String decision) {
        this.host = host;
        this.connectError = connectError;
        this.startTlsOffered = startTlsOffered;
        this.handshakeError = handshakeError;
        this.protocol = protocol;
        this.cipherSuite = cipherSuite;
        this.chain = Collections.unmodifiableList(new ArrayList<>(chain));
        this.trustError = trustError;
        this.matchedName = matchedName;
        this.wouldDeliver = wouldDeliver;
        this.decision = decision;
        this.clientCertificate = Optional.empty();
    }

    private ProbeReport(ProbeReport report, String clientCertificate) {
        this.host = report.host;
        this.connectError = report.connectError;
        this.startTlsOffered = report.startTlsOffered;
        this.handshakeError = report.handshakeError;
        this.protocol = report.protocol;
        this.cipherSuite = report.cipherSuite;
        this.chain = report.chain;
        this.trustError = report.trustError;
        this.matchedName = report.matchedName;
        this.wouldDeliver = report.wouldDeliver;
        this.decision = report.decision;
        this.clientCertificate = Optional.of(clientCertificate);
    }

    /** This report saying what became of the client certificate the probe had to present. */
    ProbeReport withClientCertificate(String text) {
        return new ProbeReport(this, text);
    }

    /**
     * What became of the connector's client certificate (presented, or why not); empty when the
     * probe had none to present.
     */
    public Optional<String> clientCertificate() {
        return clientCertificate;
    }

    public SmartHost host() {
        return host;
    }

    /**
     * Why the SMTP session could not be opened (connection refused, timeout, not an SMTP greeting).
     */
    public Optional<String> connectError() {
        return connectError;
    }

    public boolean startTlsOffered() {
        return startTlsOffered;
    }

    public Optional<String> handshakeError() {
        return handshakeError;
    }

    public Optional<String> protocol() {
        return protocol;
    }

    public Optional<String> cipherSuite() {
        return cipherSuite;
    }

    public List<CertificateSummary> chain() {
        return chain;
    }

    /** Empty when the chain is valid against the trust store; otherwise why it is not. */
    public Optional<String> trustError() {
        return trustError;
    }

    /** The certificate name matching the host, or empty when none does. */
    public Optional<String> matchedName() {
        return matchedName;
    }

    public boolean wouldDeliver() {
        return wouldDeliver;
    }

    /** One line: what delivery would do and why. */
    public String decision() {
        return decision;
    }
}
