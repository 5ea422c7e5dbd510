package dev.mailsec.tls.connector;

import dev.mailsec.tls.TlsFacts;
import dev.mailsec.tls.TlsProtocolVersion;
import dev.mailsec.tls.connector.dane.DaneResolverSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The connectors of one configuration file, and the decisions made from them. Immutable and safe to
 * share between threads. When several connectors cover a mail, the first in file order wins, so an
 * operator puts narrow connectors before broad ones.
 */
public final class Connectors {

    private final List<InboundConnector> inbound;
    private final List<OutboundConnector> outbound;
    private final Optional<DaneResolverSettings> dane;

    public Connectors(List<InboundConnector> inbound, List<OutboundConnector> outbound) {
        this(inbound, outbound, Optional.empty());
    }

    /**
     * @param dane where DANE's DNSSEC answers come from (the file's {@code <dane>}), if given
     */
    public Connectors(
            List<InboundConnector> inbound,
            List<OutboundConnector> outbound,
            Optional<DaneResolverSettings> dane) {
        this.inbound = Collections.unmodifiableList(new ArrayList<>(inbound));
        this.outbound = Collections.unmodifiableList(new ArrayList<>(outbound));
        this.dane = dane;
    }

    /** The file's {@code <dane>} element: needed by {@code dane} connectors. */
    public Optional<DaneResolverSettings> dane() {
        return dane;
    }

    public List<InboundConnector> inbound() {
        return inbound;
    }

    public List<OutboundConnector> outbound() {
        return outbound;
    }

    public Optional<InboundConnector> inbound(String name) {
        for (InboundConnector connector : inbound) {
            if (connector.name().equals(name)) {
                return Optional.of(connector);
            }
        }
        return Optional.empty();
    }

    public Optional<OutboundConnector> outbound(String name) {
        for (OutboundConnector connector : outbound) {
            if (connector.name().equals(name)) {
                return Optional.of(connector);
            }
        }
        return Optional.empty();
    }

    /**
     * The outbound connector mail to {@code recipientDomain} goes through, or empty for ordinary
     * delivery.
     */
    public Optional<OutboundConnector> outboundFor(String recipientDomain) {
        Optional<String> domain = DomainPattern.normalize(recipientDomain);
        if (domain.isEmpty()) {
            return Optional.empty();
        }
        for (OutboundConnector connector : outbound) {
            if (connector.coversNormalized(domain.get())) {
                return Optional.of(connector);
            }
        }
        return Optional.empty();
    }

    /** Which inbound connector covers {@code session}, and whether the session complies with it. */
    public InboundVerdict evaluate(InboundSession session) {
        for (InboundConnector connector : inbound) {
            Optional<String> covered = connector.coverage(session);
            if (covered.isPresent()) {
                return judge(connector, covered.get(), session.tls());
            }
        }
        return InboundVerdict.notCovered();
    }

    private static InboundVerdict judge(
            InboundConnector connector, String who, Optional<TlsFacts> tls) {
        String suffix = " (connector " + connector.name() + ")";
        String minimum =
                connector.minimumProtocol().map(v -> v.jsseName() + " or newer").orElse("TLS");
        if (tls.isEmpty()) {
            if (connector.tlsRequired()) {
                return InboundVerdict.violation(
                        connector.name(),
                        InboundViolation.TLS_REQUIRED,
                        who + " requires " + minimum + suffix);
            }
            return InboundVerdict.compliant(
                    connector.name(), who + " complies, received in clear" + suffix);
        }
        TlsFacts facts = tls.get();
        if (connector.minimumProtocol().isPresent()) {
            TlsProtocolVersion required = connector.minimumProtocol().get();
            boolean strongEnough =
                    facts.protocolVersion().map(v -> v.isAtLeast(required)).orElse(false);
            if (!strongEnough) {
                return InboundVerdict.violation(
                        connector.name(),
                        InboundViolation.PROTOCOL_TOO_OLD,
                        who
                                + " requires "
                                + minimum
                                + ", got "
                                + printable(facts.protocol())
                                + suffix);
            }
        }
        if (!connector.cipherSuites().isEmpty()
                && !connector.cipherSuites().contains(facts.cipherSuite())) {
            return InboundVerdict.violation(
                    connector.name(),
                    InboundViolation.CIPHER_NOT_ALLOWED,
                    who
                            + " requires one of the cipher suites "
                            + connector.cipherSuites()
                            + ", got "
                            + printable(facts.cipherSuite())
                            + suffix);
        }
        if (connector.clientCertificateRequired() && facts.peerSubject().isEmpty()) {
            return InboundVerdict.violation(
                    connector.name(),
                    InboundViolation.CLIENT_CERTIFICATE_REQUIRED,
                    who + " requires a client certificate" + suffix);
        }
        if (!connector.clientCertificateNames().isEmpty()) {
            boolean named = false;
            for (CertificateName name : connector.clientCertificateNames()) {
                named |= name.matches(facts.peerSubject(), facts.peerSubjectAltNames());
            }
            if (!named) {
                StringJoiner names = new StringJoiner(" or ");
                connector.clientCertificateNames().forEach(name -> names.add(name.toString()));
                // The peer's own subject is not echoed: it is peer-controlled text.
                return InboundVerdict.violation(
                        connector.name(),
                        InboundViolation.CLIENT_CERTIFICATE_NAME,
                        who + " requires a client certificate for " + names + suffix);
            }
        }
        return InboundVerdict.compliant(
                connector.name(), who + " complies: " + printable(facts.protocol()) + suffix);
    }

    /** JSSE names are tokens; anything else is masked so a reply line stays one printable line. */
    private static String printable(String jsseName) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < jsseName.length() && i < 64; i++) {
            char c = jsseName.charAt(i);
            out.append(c > 32 && c < 127 ? c : '?');
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "Connectors{inbound=" + inbound + ", outbound=" + outbound + "}";
    }
}
