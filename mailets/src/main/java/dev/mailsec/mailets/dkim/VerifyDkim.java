package dev.mailsec.mailets.dkim;

import dev.mailsec.authentication.SmtpVerdicts;
import dev.mailsec.authres.AuthenticationResults;
import dev.mailsec.authres.MethodResult;
import dev.mailsec.config.ConfigException;
import dev.mailsec.config.InitParameters;
import dev.mailsec.config.Parameters;
import dev.mailsec.dkim.BodyLengthPolicy;
import dev.mailsec.dkim.DkimAttributeNames;
import dev.mailsec.dkim.DkimAuthResults;
import dev.mailsec.dkim.DkimPolicy;
import dev.mailsec.dkim.DkimResult;
import dev.mailsec.dkim.DkimSignatureResult;
import dev.mailsec.dkim.DkimVerification;
import dev.mailsec.dkim.DkimVerifier;
import dev.mailsec.dkim.KeyRecordSource;
import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.mailets.metrics.JamesMetrics;
import dev.mailsec.mailets.mime.BodyHashMemo;
import dev.mailsec.mailets.mime.HandedVerdicts;
import dev.mailsec.mailets.mime.OurAuthenticationResults;
import dev.mailsec.metrics.Metrics;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies the DKIM signatures of a mail (RFC 6376; rsa-sha256, ed25519-sha256; rsa-sha1 and RSA
 * keys under {@code minRsaBits} never pass), records one typed result per signature in the {@value
 * DkimAttributeNames#RESULTS} attribute (with its DMARC alignment with From:) and adds an RFC 8601
 * {@code Authentication-Results} field. Fields already in the mail that claim our {@code
 * authservId} are removed first (RFC 8601 section 5), so a sender cannot forge our verdict. Hostile
 * mail gets a verdict ({@code permerror}, {@code fail}), never an exception. When {@code
 * RefuseDmarcReject} verified the same message at SMTP time, its verdicts are written instead
 * ({@link HandedVerdicts}).
 *
 * <pre>{@code
 * <mailet match="All" class="dev.mailsec.mailets.dkim.VerifyDkim">
 *     <authservId>mx.example.com</authservId>
 *     <maxSignatures>5</maxSignatures>
 *     <minRsaBits>1024</minRsaBits>
 *     <bodyLengthPolicy>policy</bodyLengthPolicy>
 *     <clockDriftSeconds>300</clockDriftSeconds>
 *     <dnsServers>127.0.0.1</dnsServers>
 *     <dnsTimeoutMillis>5000</dnsTimeoutMillis>
 * </mailet>
 * }</pre>
 *
 * Only {@code authservId} is required. {@code zoneFile} (a BIND zone file; a path by docs/paths.md)
 * replaces DNS, for tests and offline use. Unknown parameters and bad values fail the start, naming
 * the parameter.
 */
public class VerifyDkim extends GenericMailet {

    private static final Logger LOG = LoggerFactory.getLogger(VerifyDkim.class);

    public static final AttributeName RESULTS = AttributeName.of(DkimAttributeNames.RESULTS);
    public static final AttributeName FROM_DOMAIN =
            AttributeName.of(DkimAttributeNames.FROM_DOMAIN);

    private static final String DKIM_SIGNATURE = "DKIM-Signature";
    private static final byte[] CRLF = {'\r', '\n'};

    static final String AUTHSERV_ID = "authservId";
    static final String MAX_SIGNATURES = "maxSignatures";
    static final String MIN_RSA_BITS = "minRsaBits";
    static final String BODY_LENGTH_POLICY = "bodyLengthPolicy";
    static final String CLOCK_DRIFT = "clockDriftSeconds";
    static final String ZONE_FILE = KeySourceParameters.ZONE_FILE;
    static final String DNS_SERVERS = KeySourceParameters.DNS_SERVERS;
    static final String DNS_TIMEOUT = KeySourceParameters.DNS_TIMEOUT;
    static final String DNS_CACHE_SIZE = KeySourceParameters.DNS_CACHE_SIZE;
    private static final Set<String> PARAMETERS =
            Set.of(
                    AUTHSERV_ID,
                    MAX_SIGNATURES,
                    MIN_RSA_BITS,
                    BODY_LENGTH_POLICY,
                    CLOCK_DRIFT,
                    ZONE_FILE,
                    DNS_SERVERS,
                    DNS_TIMEOUT,
                    DNS_CACHE_SIZE);

    private final KeyRecordSource injectedKeys;
    private final Clock clock;
    private String authservId;
    private DkimVerifier verifier;
    private Metrics metrics = Metrics.NONE;

    @Inject
    public VerifyDkim() {
        this(null, Clock.systemUTC());
    }

    /** For tests: a key source (instead of DNS or the zone file) and a clock. */
    public VerifyDkim(KeyRecordSource keys, Clock clock) {
        this.injectedKeys = keys;
        this.clock = clock;
    }

    /** James's metrics (docs/metrics.md); none outside James. */
    @Inject
    public void setMetricFactory(MetricFactory factory) {
        metrics = JamesMetrics.of(factory);
    }

    @Override
    public void init() throws MessagingException {
        InitParameters.checkKnown("VerifyDkim", getInitParameterNames(), PARAMETERS);
        Parameters p = Parameters.of("VerifyDkim", this::getInitParameter).engineMessages();
        try {
            authservId = p.required(AUTHSERV_ID, AuthenticationResults::checkAuthservId);
        } catch (ConfigException e) {
            throw new MessagingException(
                    e.getMessage()
                            + (e.value() == null
                                    ? " (this server's name, e.g. mx.example.com)"
                                    : ""),
                    e);
        }
        try {
            DkimPolicy.Builder policy = DkimPolicy.builder().clock(clock);
            p.optional(MAX_SIGNATURES, v -> policy.maxSignatures(Integer.parseInt(v)));
            p.optional(MIN_RSA_BITS, v -> policy.minRsaBits(Integer.parseInt(v)));
            p.optional(
                    BODY_LENGTH_POLICY,
                    v -> policy.bodyLengthPolicy(BodyLengthPolicy.fromKeyword(v)));
            p.optional(CLOCK_DRIFT, v -> policy.clockDrift(Duration.ofSeconds(Long.parseLong(v))));
            KeyRecordSource keys = keys(p);
            verifier = new DkimVerifier(injectedKeys != null ? injectedKeys : keys, policy.build());
        } catch (ConfigException e) {
            throw new MessagingException(e.getMessage(), e);
        }
    }

    private KeyRecordSource keys(Parameters p) throws MessagingException {
        return KeySourceParameters.read("VerifyDkim", p, injectedKeys == null);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        PerMailGuard.run(getClass().getSimpleName(), () -> process(mail));
    }

    private void process(Mail mail) throws MessagingException {
        Optional<HandedVerdicts.Part> handed = HandedVerdicts.take(mail, SmtpVerdicts.DKIM);
        if (handed.isPresent()) {
            // RefuseDmarcReject verified this very message at SMTP time
            OurAuthenticationResults.add(mail, authservId, handed.get().results);
            handed.get().results.forEach(r -> metrics.dkimResult(r.result()));
            mail.setAttribute(new Attribute(RESULTS, handed.get().attribute));
            handed.get()
                    .fromDomain
                    .ifPresentOrElse(
                            d ->
                                    mail.setAttribute(
                                            new Attribute(FROM_DOMAIN, AttributeValue.of(d))),
                            () -> mail.removeAttribute(FROM_DOMAIN));
            return;
        }
        MimeMessage message = mail.getMessage();
        DkimVerification verification = verify(message);
        List<MethodResult> results = DkimAuthResults.of(authservId, verification).results();
        OurAuthenticationResults.add(mail, authservId, results);
        results.forEach(r -> metrics.dkimResult(r.result()));
        mail.setAttribute(new Attribute(RESULTS, AttributeValue.of(toAttribute(verification))));
        verification
                .fromDomain()
                .ifPresentOrElse(
                        d -> mail.setAttribute(new Attribute(FROM_DOMAIN, AttributeValue.of(d))),
                        () -> mail.removeAttribute(FROM_DOMAIN));
    }

    /**
     * Verifies the bytes as received: before any header of ours is added. A message without a
     * {@code DKIM-Signature} field needs only its header section (its From: domain and the verdict
     * {@code none}): its body is not read, which spares James copying it out of its store for every
     * unsigned mail. Any other message streams whole through the verifier, which takes the body
     * hashes an earlier verifier of the pipeline left for this message ({@link BodyHashMemo}) and
     * leaves its own for the next (VerifyArc).
     */
    private DkimVerification verify(MimeMessage message) {
        try {
            if (message.getHeader(DKIM_SIGNATURE) == null) {
                DkimVerifier.Session headers = verifier.start();
                writeHeaderSection(message, headers);
                if (headers.decided()) {
                    return headers.result();
                }
                // our parser saw a signature JavaMail's did not (an odd field name): whole message
            }
            DkimVerifier.Session session = verifier.start(BodyHashMemo.get(message));
            message.writeTo(session);
            DkimVerification result = session.result();
            BodyHashMemo.put(message, session.bodyHashes());
            return result;
        } catch (IOException | MessagingException e) {
            LOG.info("DKIM: message could not be read: {}", e.toString());
            return new DkimVerification(
                    List.of(
                            DkimSignatureResult.builder(DkimResult.PERMERROR)
                                    .reason("message could not be read")
                                    .build()),
                    null,
                    0);
        }
    }

    /**
     * The header section as {@code writeTo} writes it: James 3.8.1's {@code MimeMessageWrapper}
     * writes each stored header line in US-ASCII, then CRLF, and the empty line that ends it.
     */
    private static void writeHeaderSection(MimeMessage message, OutputStream out)
            throws IOException, MessagingException {
        Enumeration<String> lines = message.getAllHeaderLines();
        while (lines.hasMoreElements()) {
            out.write(lines.nextElement().getBytes(StandardCharsets.US_ASCII));
            out.write(CRLF);
        }
        out.write(CRLF);
    }

    private static List<AttributeValue<?>> toAttribute(DkimVerification verification) {
        List<AttributeValue<?>> list = new ArrayList<>();
        for (DkimSignatureResult r : verification.results()) {
            Map<String, AttributeValue<?>> entry = new HashMap<>();
            r.toMap().forEach((k, v) -> entry.put(k, AttributeValue.of(v)));
            entry.put(
                    DkimAttributeNames.ALIGNED_KEY,
                    AttributeValue.of(verification.alignment(r).keyword()));
            list.add(AttributeValue.of(entry));
        }
        return list;
    }

    @Override
    public String getMailetInfo() {
        return "VerifyDkim: verifies DKIM signatures and adds Authentication-Results";
    }
}
