package dev.mailsec.tls.connector.dane;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * DANE's decision for one recipient domain (RFC 7672 section 2.2, RFC 8461 section 2). Immutable.
 *
 * <ul>
 *   <li>{@link Kind#NOT_APPLICABLE}: the MX records are insecure (unsigned): the connector's
 *       fallback applies (MTA-STS, or its {@code fallback} level);
 *   <li>{@link Kind#DANE}: the MX records are secure and at least one MX host has TLSA records:
 *       mail goes only to those hosts, over TLS they authenticate, never in clear and never by
 *       another policy (DANE takes precedence over MTA-STS);
 *   <li>{@link Kind#HOLD}: the MX lookup was bogus or failed, or every secure MX host's TLSA lookup
 *       was: no host may be used now; the mail waits for its next attempt.
 * </ul>
 *
 * A domain with secure MX records whose hosts securely have no TLSA records is {@code
 * NOT_APPLICABLE} too (RFC 7672 section 2.2: such hosts get opportunistic TLS).
 */
public final class DanePolicy {

    /** The three outcomes (see the class comment). */
    public enum Kind {
        NOT_APPLICABLE,
        DANE,
        HOLD
    }

    private final String domain;
    private final Kind kind;
    private final List<DaneHost> hosts;
    private final String reason;

    DanePolicy(String domain, Kind kind, List<DaneHost> hosts, String reason) {
        this.domain = domain;
        this.kind = kind;
        this.hosts = Collections.unmodifiableList(new ArrayList<>(hosts));
        this.reason = reason;
    }

    public String domain() {
        return domain;
    }

    public Kind kind() {
        return kind;
    }

    /** Every MX host with what DANE says about it, most preferred first. */
    public List<DaneHost> hosts() {
        return hosts;
    }

    /**
     * The hosts mail may go to under {@link Kind#DANE}: those with secure TLSA records (RFC 7672
     * would also allow opportunistic TLS to secure MX hosts without TLSA; we send only to hosts
     * that authenticate, never weaker).
     */
    public List<String> deliverableHosts() {
        List<String> names = new ArrayList<>();
        if (kind == Kind.DANE) {
            for (DaneHost host : hosts) {
                if (host.tlsMandatory()) {
                    names.add(host.host());
                }
            }
        }
        return names;
    }

    /** The host's DANE entry, if it is one of the domain's MX hosts. */
    public Optional<DaneHost> host(String name) {
        for (DaneHost host : hosts) {
            if (host.host().equalsIgnoreCase(name)) {
                return Optional.of(host);
            }
        }
        return Optional.empty();
    }

    /** Why the domain is held or DANE does not apply. */
    public String reason() {
        return reason;
    }

    /** The decision in words, for {@code tls check}, logs and DSNs. */
    public String describe() {
        switch (kind) {
            case DANE:
                StringBuilder text =
                        new StringBuilder("DANE applies to ")
                                .append(domain)
                                .append(": only TLS authenticated by TLSA, never clear text");
                for (DaneHost host : hosts) {
                    text.append("\n  ").append(host);
                }
                return text.toString();
            case HOLD:
                return "DANE holds mail to " + domain + ": " + reason;
            default:
                return "DANE does not apply to " + domain + ": " + reason;
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
