package dev.mailsec.mailets.spf;

import dev.mailsec.authentication.DnsParameters;
import dev.mailsec.authentication.SmtpVerdicts;
import dev.mailsec.authentication.SpfMethodResult;
import dev.mailsec.authres.AuthenticationResults;
import dev.mailsec.authres.MethodResult;
import dev.mailsec.config.ConfigException;
import dev.mailsec.config.InitParameters;
import dev.mailsec.config.Parameters;
import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.mailets.mime.HandedVerdicts;
import dev.mailsec.mailets.mime.OurAuthenticationResults;
import dev.mailsec.spf.SpfAttributeNames;
import dev.mailsec.spf.SpfChecker;
import dev.mailsec.spf.SpfDns;
import dev.mailsec.spf.SpfLimits;
import dev.mailsec.spf.SpfResult;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.inject.Inject;
import javax.mail.MessagingException;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * Checks SPF (RFC 7208) for the client that sent the mail: MAIL FROM's domain, or the HELO name
 * when MAIL FROM is null, against the client IP James recorded ({@code Mail.getRemoteAddr()}) and
 * the HELO name James 3.8.1 records as {@code org.apache.james.HELO} ({@code Mail.SMTP_HELO}).
 * Records the result in the {@value SpfAttributeNames#RESULT} attribute and adds {@code
 * spf=<result> smtp.mailfrom=...} (or {@code smtp.helo=}) to our one Authentication-Results field.
 * A DNS fault gives {@code temperror}; the mail goes on. When {@code RefuseDmarcReject} checked the
 * same message at SMTP time, its result is written instead ({@link HandedVerdicts}; not with {@code
 * checkHelo=true}).
 *
 * <pre>{@code
 * <mailet match="All" class="dev.mailsec.mailets.spf.VerifySpf">
 *     <authservId>mx.example.com</authservId>
 *     <dnsServers>127.0.0.1</dnsServers>
 *     <dnsTimeoutMillis>5000</dnsTimeoutMillis>
 *     <dnsCacheSize>10000</dnsCacheSize>
 *     <checkHelo>false</checkHelo>
 * </mailet>
 * }</pre>
 *
 * Only {@code authservId} is required. {@code zoneFile} (a BIND zone file; a path by docs/paths.md)
 * replaces DNS. {@code checkHelo=true} also checks the HELO name of mail with a MAIL FROM ({@value
 * SpfAttributeNames#HELO_RESULT}, a second {@code spf=} with {@code smtp.helo=}). Unknown
 * parameters and bad values fail the start, naming the parameter.
 */
public class VerifySpf extends GenericMailet {

    public static final AttributeName RESULT = AttributeName.of(SpfAttributeNames.RESULT);
    public static final AttributeName HELO_RESULT = AttributeName.of(SpfAttributeNames.HELO_RESULT);

    static final String AUTHSERV_ID = "authservId";
    static final String DNS_SERVERS = DnsParameters.DNS_SERVERS;
    static final String DNS_TIMEOUT = DnsParameters.DNS_TIMEOUT;
    static final String DNS_CACHE_SIZE = DnsParameters.DNS_CACHE_SIZE;
    static final String ZONE_FILE = DnsParameters.ZONE_FILE;
    static final String CHECK_HELO = "checkHelo";
    private static final Set<String> PARAMETERS =
            Set.of(AUTHSERV_ID, DNS_SERVERS, DNS_TIMEOUT, DNS_CACHE_SIZE, ZONE_FILE, CHECK_HELO);

    private final SpfDns injectedDns;
    private final Clock clock;
    private String authservId;
    private boolean checkHelo;
    private SpfChecker checker;

    @Inject
    public VerifySpf() {
        this(null, Clock.systemUTC());
    }

    /** For tests: a DNS source (instead of dnsjava or the zone file) and a clock. */
    public VerifySpf(SpfDns dns, Clock clock) {
        this.injectedDns = dns;
        this.clock = clock;
    }

    @Override
    public void init() throws MessagingException {
        InitParameters.checkKnown("VerifySpf", getInitParameterNames(), PARAMETERS);
        Parameters p = Parameters.of("VerifySpf", this::getInitParameter);
        try {
            authservId = p.required(AUTHSERV_ID, AuthenticationResults::checkAuthservId);
            checkHelo = p.bool(CHECK_HELO, false);
            SpfDns dns = dns(p);
            checker =
                    new SpfChecker(
                            injectedDns != null ? injectedDns : dns,
                            SpfLimits.defaults().withReceiver(authservId),
                            clock);
        } catch (ConfigException e) {
            throw new MessagingException(e.getMessage(), e);
        }
    }

    private SpfDns dns(Parameters p) {
        DnsParameters dns = DnsParameters.read("VerifySpf", p);
        return injectedDns != null ? null : dns.spf();
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        PerMailGuard.run(getClass().getSimpleName(), () -> process(mail));
    }

    private void process(Mail mail) throws MessagingException {
        if (!checkHelo) {
            Optional<HandedVerdicts.Part> handed = HandedVerdicts.take(mail, SmtpVerdicts.SPF);
            if (handed.isPresent()) {
                // RefuseDmarcReject checked this very transaction at SMTP time
                mail.setAttribute(new Attribute(RESULT, handed.get().attribute));
                OurAuthenticationResults.add(mail, authservId, handed.get().results);
                return;
            }
        }
        String helo =
                AttributeUtils.getValueAndCastFromMail(mail, Mail.SMTP_HELO, String.class)
                        .orElse("");
        InetAddress ip = clientIp(mail.getRemoteAddr());
        if (ip == null) {
            // no client address (a mail James made itself): SPF cannot be evaluated
            mail.removeAttribute(RESULT);
            return;
        }
        String mailFrom = mail.getMaybeSender().asOptional().map(Object::toString).orElse(null);
        SpfResult result = checker.checkMailFrom(ip, mailFrom, helo);
        List<MethodResult> results = new ArrayList<>();
        results.add(SpfMethodResult.of(result));
        mail.setAttribute(new Attribute(RESULT, toAttribute(result)));
        if (checkHelo && result.scope() == SpfResult.Scope.MAILFROM && !helo.isEmpty()) {
            SpfResult heloResult = checker.checkHelo(ip, helo);
            results.add(SpfMethodResult.of(heloResult));
            mail.setAttribute(new Attribute(HELO_RESULT, toAttribute(heloResult)));
        }
        OurAuthenticationResults.add(mail, authservId, results);
    }

    private static InetAddress clientIp(String remoteAddr) {
        if (remoteAddr == null || !remoteAddr.matches("[0-9A-Fa-f:.]+")) {
            return null;
        }
        try {
            return InetAddress.getByName(remoteAddr);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static AttributeValue<?> toAttribute(SpfResult result) {
        Map<String, AttributeValue<?>> map = new HashMap<>();
        result.toMap().forEach((k, v) -> map.put(k, AttributeValue.of(v)));
        return AttributeValue.of(map);
    }

    @Override
    public String getMailetInfo() {
        return "VerifySpf: checks SPF for MAIL FROM or HELO and adds Authentication-Results";
    }
}
