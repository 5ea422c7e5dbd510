package dev.mailsec.mailets.dmarc;

import dev.mailsec.authres.AuthenticationResults;
import dev.mailsec.config.ConfigException;
import dev.mailsec.config.InitParameters;
import dev.mailsec.config.Parameters;
import dev.mailsec.dkim.KeyRecordSource;
import dev.mailsec.dmarc.Dmarc;
import dev.mailsec.dmarc.DmarcAttributeNames;
import dev.mailsec.dmarc.DmarcInputs;
import dev.mailsec.dmarc.DmarcSettings;
import dev.mailsec.dmarc.DmarcVerdict;
import dev.mailsec.dmarc.OrgDomainMode;
import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.mail.DomainName;
import dev.mailsec.mailets.mime.OurAuthenticationResults;
import dev.mailsec.tls.connector.IpRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * Evaluates DMARC (RFC 7489, DMARCbis where settled) from the verdicts {@code VerifyDkim}, {@code
 * VerifySpf} and {@code VerifyArc} left on the mail (a missing SPF or ARC verdict means "not
 * evaluated"), adds {@code dmarc=...} to our Authentication-Results field and sets the {@value
 * DmarcAttributeNames#RESULT} attribute that {@code DmarcResultIs}, {@code DmarcPolicyIs} and the
 * reports read. It decides nothing itself: the matchers route by result or disposition.
 *
 * <pre>{@code
 * <mailet match="All" class="dev.mailsec.mailets.dmarc.VerifyDmarc">
 *     <authservId>mx.example.com</authservId>
 *     <orgDomain>psl</orgDomain>
 *     <allowDomains>partner.example</allowDomains>
 *     <allowNetworks>192.0.2.0/24, 2001:db8::/32</allowNetworks>
 *     <trustedArcSealers>lists.example.org, google.com</trustedArcSealers>
 * </mailet>
 * }</pre>
 *
 * Only {@code authservId} is required. DNS as {@code VerifyDkim}: {@code dnsServers}, {@code
 * dnsTimeoutMillis}, {@code dnsCacheSize}, or {@code zoneFile}. {@code orgDomain}: {@code psl}
 * (default) or {@code treewalk}. {@code samplingSeed} (a number) makes pct sampling repeatable, for
 * tests. Unknown parameters and bad values fail the start, naming the parameter.
 */
public class VerifyDmarc extends GenericMailet {

    public static final AttributeName RESULT = AttributeName.of(DmarcAttributeNames.RESULT);

    static final String AUTHSERV_ID = "authservId";
    static final String ORG_DOMAIN = "orgDomain";
    static final String ALLOW_DOMAINS = "allowDomains";
    static final String ALLOW_NETWORKS = "allowNetworks";
    static final String TRUSTED_ARC_SEALERS = "trustedArcSealers";
    static final String SAMPLING_SEED = "samplingSeed";

    private final KeyRecordSource injectedTxt;
    private String authservId;
    private Dmarc dmarc;

    @Inject
    public VerifyDmarc() {
        this(null);
    }

    /** For tests: a TXT source instead of DNS or the zone file. */
    public VerifyDmarc(KeyRecordSource txt) {
        this.injectedTxt = txt;
    }

    @Override
    public void init() throws MessagingException {
        Set<String> known =
                new HashSet<>(
                        List.of(
                                AUTHSERV_ID,
                                ORG_DOMAIN,
                                ALLOW_DOMAINS,
                                ALLOW_NETWORKS,
                                TRUSTED_ARC_SEALERS,
                                SAMPLING_SEED));
        known.addAll(TxtSources.NAMES);
        InitParameters.checkKnown("VerifyDmarc", getInitParameterNames(), known);
        Parameters p = Parameters.of("VerifyDmarc", this::getInitParameter);
        try {
            authservId = p.required(AUTHSERV_ID, AuthenticationResults::checkAuthservId);
            DmarcSettings.Builder s = DmarcSettings.builder();
            p.optional(ORG_DOMAIN, OrgDomainMode::fromKeyword).ifPresent(s::orgDomainMode);
            p.optional(ALLOW_DOMAINS, VerifyDmarc::domains)
                    .ifPresent(l -> l.forEach(s::allowDomain));
            p.optional(ALLOW_NETWORKS, VerifyDmarc::networks)
                    .ifPresent(l -> l.forEach(s::allowNetwork));
            p.optional(TRUSTED_ARC_SEALERS, VerifyDmarc::domains)
                    .ifPresent(l -> l.forEach(s::trustedArcSealer));
            p.optional(SAMPLING_SEED, Long::parseLong).ifPresent(s::samplingSeed);
            KeyRecordSource txt =
                    injectedTxt != null ? injectedTxt : TxtSources.read("VerifyDmarc", p);
            dmarc = new Dmarc(txt, s.build());
        } catch (ConfigException e) {
            throw new MessagingException(e.getMessage(), e);
        }
    }

    /** A comma list of domain names; a bad one is named. */
    static List<String> domains(String value) {
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
    static List<IpRange> networks(String value) {
        List<IpRange> out = new ArrayList<>();
        for (String n : value.split(",", -1)) {
            out.add(IpRange.parse(n));
        }
        return out;
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        PerMailGuard.run(getClass().getSimpleName(), () -> process(mail));
    }

    private void process(Mail mail) throws MessagingException {
        MimeMessage message = mail.getMessage();
        DmarcInputs.Builder in = DmarcInputs.builder().sampleKey(mail.getName());
        String[] from = message.getHeader("From");
        if (from != null) {
            for (String f : from) {
                in.from(f);
            }
        }
        String remote = mail.getRemoteAddr();
        in.sourceIp(remote == null ? "" : remote);
        AuthAttributes.read(mail, in);
        DmarcVerdict verdict = dmarc.evaluate(in.build());
        OurAuthenticationResults.add(mail, authservId, List.of(verdict.methodResult()));
        Map<String, AttributeValue<?>> map = new HashMap<>();
        verdict.toMap().forEach((k, v) -> map.put(k, AttributeValue.of(v)));
        mail.setAttribute(new Attribute(RESULT, AttributeValue.of(map)));
    }

    @Override
    public String getMailetInfo() {
        return "VerifyDmarc: evaluates DMARC and adds Authentication-Results";
    }
}
