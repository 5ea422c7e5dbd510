package dev.mailsec.spf;

import java.net.InetAddress;
import java.util.Locale;

/** One parsed directive of an SPF record (RFC 7208 section 5): qualifier, kind and arguments. */
final class Mechanism {

    enum Kind {
        ALL,
        INCLUDE,
        A,
        MX,
        PTR,
        IP4,
        IP6,
        EXISTS;

        /** Whether evaluating it asks DNS, counting toward the limit of 10 (section 4.6.4). */
        boolean countsAsLookup() {
            return this == INCLUDE || this == A || this == MX || this == PTR || this == EXISTS;
        }

        String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    final SpfResult.Code qualifier;
    final Kind kind;

    /** Unexpanded domain-spec; null when the mechanism uses the current domain. */
    final String domainSpec;

    /** ip4/ip6 network; null otherwise. */
    final InetAddress network;

    final int cidr4;
    final int cidr6;
    final String text;

    Mechanism(
            SpfResult.Code qualifier,
            Kind kind,
            String domainSpec,
            InetAddress network,
            int cidr4,
            int cidr6,
            String text) {
        this.qualifier = qualifier;
        this.kind = kind;
        this.domainSpec = domainSpec;
        this.network = network;
        this.cidr4 = cidr4;
        this.cidr6 = cidr6;
        this.text = text;
    }

    @Override
    public String toString() {
        return text;
    }
}
