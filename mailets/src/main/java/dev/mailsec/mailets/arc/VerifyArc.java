package dev.mailsec.mailets.arc;

import dev.mailsec.arc.ArcAttributeNames;
import dev.mailsec.arc.ArcVerification;
import dev.mailsec.arc.ArcVerifier;
import dev.mailsec.authentication.SmtpVerdicts;
import dev.mailsec.authres.AuthenticationResults;
import dev.mailsec.config.ConfigException;
import dev.mailsec.config.InitParameters;
import dev.mailsec.config.Parameters;
import dev.mailsec.dkim.DkimPolicy;
import dev.mailsec.dkim.KeyRecordSource;
import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.mailets.dkim.KeySourceParameters;
import dev.mailsec.mailets.mime.BodyHashMemo;
import dev.mailsec.mailets.mime.HandedVerdicts;
import dev.mailsec.mailets.mime.OurAuthenticationResults;
import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashSet;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates the ARC chain of a mail (RFC 8617) and records the verdict: {@code arc=pass|fail|none
 * (reason) header.oldest-pass=k smtp.remote-ip=...} in our Authentication-Results field (through
 * {@link OurAuthenticationResults}) and the {@value ArcAttributeNames#RESULT} attribute (see {@link
 * ArcAttributeNames}) that {@code SealArc}, {@code ArcResultIs} and DMARC read. Hostile mail gets
 * {@code arc=fail} with the reason, never an exception. When {@code RefuseDmarcReject} verified the
 * same message at SMTP time, its verdict is written instead ({@link HandedVerdicts}).
 *
 * <pre>{@code
 * <mailet match="All" class="dev.mailsec.mailets.arc.VerifyArc">
 *     <authservId>mx.example.com</authservId>
 *     <dnsServers>127.0.0.1</dnsServers>
 * </mailet>
 * }</pre>
 *
 * Parameters: {@code authservId} (required), {@code minRsaBits} (default 1024), {@code
 * maxKeyLookups} (distinct key names per mail, default 16), and the key source as {@code
 * VerifyDkim} has it: {@code zoneFile} or {@code dnsServers}, {@code dnsTimeoutMillis}, {@code
 * dnsCacheSize}. Unknown parameters and bad values fail the start, naming the parameter.
 */
public class VerifyArc extends GenericMailet {
    private static final Logger LOG = LoggerFactory.getLogger(VerifyArc.class);

    public static final AttributeName RESULT = AttributeName.of(ArcAttributeNames.RESULT);

    static final String AUTHSERV_ID = "authservId";
    static final String MIN_RSA_BITS = "minRsaBits";
    static final String MAX_KEY_LOOKUPS = "maxKeyLookups";

    private final KeyRecordSource injectedKeys;
    private String authservId;
    private ArcVerifier verifier;

    @Inject
    public VerifyArc() {
        this(null);
    }

    /** For tests: a key source instead of DNS or the zone file. */
    public VerifyArc(KeyRecordSource keys) {
        this.injectedKeys = keys;
    }

    static Set<String> parameters(String... more) {
        Set<String> names =
                new LinkedHashSet<>(List.of(AUTHSERV_ID, MIN_RSA_BITS, MAX_KEY_LOOKUPS));
        names.addAll(KeySourceParameters.NAMES);
        names.addAll(List.of(more));
        return names;
    }

    @Override
    public void init() throws MessagingException {
        InitParameters.checkKnown("VerifyArc", getInitParameterNames(), parameters());
        Parameters p = Parameters.of("VerifyArc", this::getInitParameter).engineMessages();
        authservId = authservId("VerifyArc", p);
        verifier = verifier("VerifyArc", p, injectedKeys);
    }

    static String authservId(String mailet, Parameters p) throws MessagingException {
        try {
            return p.required(AUTHSERV_ID, AuthenticationResults::checkAuthservId);
        } catch (ConfigException e) {
            throw new MessagingException(
                    e.getMessage()
                            + (e.value() == null
                                    ? " (this server's name, e.g. mx.example.com)"
                                    : ""),
                    e);
        }
    }

    /** The verifier of {@code minRsaBits}, {@code maxKeyLookups} and the key source parameters. */
    static ArcVerifier verifier(String mailet, Parameters p, KeyRecordSource injected)
            throws MessagingException {
        try {
            DkimPolicy.Builder policy = DkimPolicy.builder().clock(Clock.systemUTC());
            p.optional(MIN_RSA_BITS, v -> policy.minRsaBits(Integer.parseInt(v)));
            int lookups =
                    (int) p.integer(MAX_KEY_LOOKUPS, ArcVerifier.DEFAULT_MAX_KEY_LOOKUPS, 1, 100);
            KeyRecordSource keys = KeySourceParameters.read(mailet, p, injected == null);
            return new ArcVerifier(injected != null ? injected : keys, policy.build(), lookups);
        } catch (ConfigException e) {
            throw new MessagingException(e.getMessage(), e);
        }
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        PerMailGuard.run(getClass().getSimpleName(), () -> process(mail));
    }

    private void process(Mail mail) throws MessagingException {
        Optional<HandedVerdicts.Part> handed = HandedVerdicts.take(mail, SmtpVerdicts.ARC);
        if (handed.isPresent()) {
            // RefuseDmarcReject verified this very message at SMTP time
            OurAuthenticationResults.add(mail, authservId, handed.get().results);
            mail.setAttribute(new Attribute(RESULT, handed.get().attribute));
            return;
        }
        ArcVerification v = verify(verifier, mail);
        OurAuthenticationResults.add(mail, authservId, List.of(v.methodResult(remoteIp(mail))));
        mail.setAttribute(attribute(v));
    }

    /**
     * Verifies the message as it is now (before our own header is added), taking the body hashes an
     * earlier verifier of the pipeline left for it (VerifyDkim: {@link BodyHashMemo}).
     */
    static ArcVerification verify(ArcVerifier verifier, Mail mail) {
        try {
            MimeMessage message = mail.getMessage();
            ArcVerifier.Session session = verifier.start(BodyHashMemo.get(message));
            message.writeTo(session);
            ArcVerification result = session.result();
            BodyHashMemo.put(message, session.bodyHashes());
            return result;
        } catch (IOException | MessagingException e) {
            LOG.info("ARC: message could not be read: {}", e.toString());
            return ArcVerification.unreadable("message could not be read");
        }
    }

    static Attribute attribute(ArcVerification v) {
        Map<String, AttributeValue<?>> map = new HashMap<>();
        v.toMap().forEach((k, value) -> map.put(k, AttributeValue.of(value)));
        return new Attribute(RESULT, AttributeValue.of(map));
    }

    private static String remoteIp(Mail mail) {
        String ip = mail.getRemoteAddr();
        return ip == null || ip.isBlank() ? null : ip;
    }

    @Override
    public String getMailetInfo() {
        return "VerifyArc: validates the ARC chain and adds arc= to Authentication-Results";
    }
}
