package dev.mailsec.authentication;

import dev.mailsec.arc.ArcVerifier;
import dev.mailsec.config.ConfigException;
import dev.mailsec.config.Parameters;
import dev.mailsec.dkim.BodyLengthPolicy;
import dev.mailsec.dkim.DkimPolicy;
import dev.mailsec.dkim.DkimVerifier;
import dev.mailsec.dkim.KeyRecordSource;
import dev.mailsec.dmarc.Dmarc;
import dev.mailsec.dmarc.DmarcSettings;
import dev.mailsec.dmarc.OrgDomainMode;
import dev.mailsec.mail.DomainName;
import dev.mailsec.spf.SpfChecker;
import dev.mailsec.spf.SpfDns;
import dev.mailsec.spf.SpfLimits;
import dev.mailsec.tls.connector.IpRange;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Builds an {@link InboundAuthentication} from the parameters the pack's mailets use, with their
 * names and rules: DNS as {@code VerifyDkim}/{@code VerifySpf} ({@code zoneFile}, or {@code
 * dnsServers}, {@code dnsTimeoutMillis}, {@code dnsCacheSize}), DMARC as {@code VerifyDmarc}
 * ({@code orgDomain} psl|treewalk, {@code allowDomains}, {@code allowNetworks}, {@code
 * trustedArcSealers}, {@code samplingSeed}), DKIM and ARC bounds as {@code VerifyDkim}/{@code
 * VerifyArc} ({@code minRsaBits}, {@code maxSignatures}, {@code bodyLengthPolicy}, {@code
 * clockDriftSeconds}, {@code maxKeyLookups}). A bad value throws a {@link ConfigException} naming
 * the owner, the parameter and the value.
 */
public final class InboundParameters {

    public static final String ZONE_FILE = DnsParameters.ZONE_FILE;
    public static final String DNS_SERVERS = DnsParameters.DNS_SERVERS;
    public static final String DNS_TIMEOUT = DnsParameters.DNS_TIMEOUT;
    public static final String DNS_CACHE_SIZE = DnsParameters.DNS_CACHE_SIZE;
    public static final String ORG_DOMAIN = "orgDomain";
    public static final String ALLOW_DOMAINS = "allowDomains";
    public static final String ALLOW_NETWORKS = "allowNetworks";
    public static final String TRUSTED_ARC_SEALERS = "trustedArcSealers";
    public static final String SAMPLING_SEED = "samplingSeed";
    public static final String MIN_RSA_BITS = "minRsaBits";
    public static final String MAX_SIGNATURES = "maxSignatures";
    public static final String MAX_KEY_LOOKUPS = "maxKeyLookups";
    public static final String BODY_LENGTH_POLICY = "bodyLengthPolicy";
    public static final String CLOCK_DRIFT = "clockDriftSeconds";

    /** Every name read here. */
    public static final Set<String> NAMES =
            Set.of(
                    ZONE_FILE,
                    DNS_SERVERS,
                    DNS_TIMEOUT,
                    DNS_CACHE_SIZE,
                    ORG_DOMAIN,
                    ALLOW_DOMAINS,
                    ALLOW_NETWORKS,
                    TRUSTED_ARC_SEALERS,
                    SAMPLING_SEED,
                    MIN_RSA_BITS,
                    MAX_SIGNATURES,
                    MAX_KEY_LOOKUPS,
                    BODY_LENGTH_POLICY,
                    CLOCK_DRIFT);

    private InboundParameters() {}

    /**
     * @param receiver this server's name for SPF's {@code %{r}} macro (may be "")
     */
    public static InboundAuthentication read(String owner, Parameters p, String receiver) {
        DmarcSettings settings = dmarcSettings(p);
        // VerifyDkim's and VerifyArc's bounds, names, defaults and messages
        Parameters bounds = p.engineMessages();
        DkimPolicy.Builder policy = DkimPolicy.builder().clock(Clock.systemUTC());
        bounds.optional(MIN_RSA_BITS, v -> policy.minRsaBits(Integer.parseInt(v)));
        bounds.optional(MAX_SIGNATURES, v -> policy.maxSignatures(Integer.parseInt(v)));
        bounds.optional(
                BODY_LENGTH_POLICY, v -> policy.bodyLengthPolicy(BodyLengthPolicy.fromKeyword(v)));
        bounds.optional(CLOCK_DRIFT, v -> policy.clockDrift(Duration.ofSeconds(Long.parseLong(v))));
        int keyLookups =
                (int) p.integer(MAX_KEY_LOOKUPS, ArcVerifier.DEFAULT_MAX_KEY_LOOKUPS, 1, 100);
        DnsParameters dns = DnsParameters.read(owner, p);
        KeyRecordSource txt = dns.txt();
        SpfDns spfDns = dns.spf();
        return of(txt, spfDns, settings, receiver, policy.build(), keyLookups);
    }

    /** The engines over one TXT source and one SPF DNS, with default DKIM/ARC policies. */
    public static InboundAuthentication of(
            KeyRecordSource txt, SpfDns spfDns, DmarcSettings settings, String receiver) {
        return of(
                txt,
                spfDns,
                settings,
                receiver,
                DkimPolicy.builder().clock(Clock.systemUTC()).build(),
                ArcVerifier.DEFAULT_MAX_KEY_LOOKUPS);
    }

    /** The engines over one TXT source and one SPF DNS, with these DKIM/ARC bounds. */
    public static InboundAuthentication of(
            KeyRecordSource txt,
            SpfDns spfDns,
            DmarcSettings settings,
            String receiver,
            DkimPolicy policy,
            int maxKeyLookups) {
        return new InboundAuthentication(
                new DkimVerifier(txt, policy),
                new SpfChecker(
                        spfDns,
                        receiver == null || receiver.isEmpty()
                                ? SpfLimits.defaults()
                                : SpfLimits.defaults().withReceiver(receiver)),
                new ArcVerifier(txt, policy, maxKeyLookups),
                new Dmarc(txt, settings));
    }

    /**
     * {@code orgDomain}, {@code allowDomains}, {@code allowNetworks}, {@code trustedArcSealers},
     * {@code samplingSeed}.
     */
    public static DmarcSettings dmarcSettings(Parameters p) {
        DmarcSettings.Builder s = DmarcSettings.builder();
        p.optional(ORG_DOMAIN, OrgDomainMode::fromKeyword).ifPresent(s::orgDomainMode);
        p.optional(ALLOW_DOMAINS, InboundParameters::domains)
                .ifPresent(l -> l.forEach(s::allowDomain));
        p.optional(ALLOW_NETWORKS, InboundParameters::networks)
                .ifPresent(l -> l.forEach(s::allowNetwork));
        p.optional(TRUSTED_ARC_SEALERS, InboundParameters::domains)
                .ifPresent(l -> l.forEach(s::trustedArcSealer));
        p.optional(SAMPLING_SEED, Long::parseLong).ifPresent(s::samplingSeed);
        return s.build();
    }

    /** A comma list of domain names; a bad one is named. */
    public static List<String> domains(String value) {
        List<String> out = new ArrayList<>();
        for (String d : value.split(",", -1)) {
            out.add(
                    DomainName.normalize(d, DomainName.Option.TRIM, DomainName.Option.IDN)
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    "not a domain name: '" + d.trim() + "'")));
        }
        return out;
    }

    /** A comma list of CIDR ranges; a bad one is named. */
    public static List<IpRange> networks(String value) {
        List<IpRange> out = new ArrayList<>();
        for (String n : value.split(",", -1)) {
            out.add(IpRange.parse(n));
        }
        return out;
    }
}
