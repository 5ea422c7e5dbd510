package dev.mailsec.mailets.dmarc;

import dev.mailsec.authentication.InboundParameters;
import dev.mailsec.authentication.SmtpVerdicts;
import dev.mailsec.authres.AuthenticationResults;
import dev.mailsec.config.ConfigException;
import dev.mailsec.config.InitParameters;
import dev.mailsec.config.Parameters;
import dev.mailsec.dkim.KeyRecordSource;
import dev.mailsec.dmarc.Dmarc;
import dev.mailsec.dmarc.DmarcAttributeNames;
import dev.mailsec.dmarc.DmarcInputs;
import dev.mailsec.dmarc.DmarcVerdict;
import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.mailets.dkim.KeySourceParameters;
import dev.mailsec.mailets.mime.HandedVerdicts;
import dev.mailsec.mailets.mime.OurAuthenticationResults;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * reports read. It decides nothing itself: the matchers route by result or disposition. When {@code
 * RefuseDmarcReject} evaluated the same message at SMTP time, its verdict is written instead
 * ({@link HandedVerdicts}).
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
    static final String ORG_DOMAIN = InboundParameters.ORG_DOMAIN;
    static final String ALLOW_DOMAINS = InboundParameters.ALLOW_DOMAINS;
    static final String ALLOW_NETWORKS = InboundParameters.ALLOW_NETWORKS;
    static final String TRUSTED_ARC_SEALERS = InboundParameters.TRUSTED_ARC_SEALERS;
    static final String SAMPLING_SEED = InboundParameters.SAMPLING_SEED;

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
        known.addAll(KeySourceParameters.NAMES);
        InitParameters.checkKnown("VerifyDmarc", getInitParameterNames(), known);
        Parameters p = Parameters.of("VerifyDmarc", this::getInitParameter);
        try {
            authservId = p.required(AUTHSERV_ID, AuthenticationResults::checkAuthservId);
            KeyRecordSource txt =
                    injectedTxt != null
                            ? injectedTxt
                            : KeySourceParameters.read("VerifyDmarc", p, true);
            dmarc = new Dmarc(txt, InboundParameters.dmarcSettings(p));
        } catch (ConfigException e) {
            throw new MessagingException(e.getMessage(), e);
        }
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        PerMailGuard.run(getClass().getSimpleName(), () -> process(mail));
    }

    private void process(Mail mail) throws MessagingException {
        Optional<HandedVerdicts.Part> handed = HandedVerdicts.take(mail, SmtpVerdicts.DMARC);
        if (handed.isPresent()) {
            // RefuseDmarcReject evaluated this very message at SMTP time
            OurAuthenticationResults.add(mail, authservId, handed.get().results);
            mail.setAttribute(new Attribute(RESULT, handed.get().attribute));
            return;
        }
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
