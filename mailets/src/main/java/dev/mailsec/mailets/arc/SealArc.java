package dev.mailsec.mailets.arc;

import dev.mailsec.arc.ArcAttributeNames;
import dev.mailsec.arc.ArcResult;
import dev.mailsec.arc.ArcSealer;
import dev.mailsec.arc.ArcVerifier;
import dev.mailsec.authres.AuthenticationResults;
import dev.mailsec.config.ConfigException;
import dev.mailsec.config.InitParameters;
import dev.mailsec.config.Parameters;
import dev.mailsec.dkim.DomainSigner;
import dev.mailsec.dkim.KeyRecordSource;
import dev.mailsec.dkim.sign.SigningAlgorithm;
import dev.mailsec.dkim.sign.SigningKey;
import dev.mailsec.dkm.Dkm;
import dev.mailsec.dkm.DkmInvalidRequestException;
import dev.mailsec.dkmclient.DkmClients;
import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.mailets.dkim.KeyUnavailable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals mail we forward or expand (a list) with the next ARC set (RFC 8617 section 5.1): the
 * ARC-Authentication-Results copies our Authentication-Results field (the one of {@code
 * authservId}), the ARC-Message-Signature and ARC-Seal are signed with the domain's DKIM key from
 * DKM (the secret, selector and rollover rules of {@code SignDkim}: {@code dkim/<domain>} signs
 * rsa-sha256 as {@code rsa-v<N>}, {@code dkim/<domain>/ed25519} ed25519-sha256), cv= is the chain
 * verdict {@code VerifyArc} recorded ({@value ArcAttributeNames#RESULT}), or, when it did not run,
 * this mailet's own validation. Put it after the changes the route makes (subject tags, footers)
 * and before {@code SignDkim}.
 *
 * <pre>{@code
 * <mailet match="RecipientIs=list@lists.example.com" class="dev.mailsec.mailets.arc.SealArc">
 *     <domain>lists.example.com</domain>
 *     <authservId>mx.example.com</authservId>
 *     <algorithm>rsa-sha256</algorithm>
 * </mailet>
 * }</pre>
 *
 * Parameters: {@code domain} and {@code authservId} (required), {@code algorithm} ({@code
 * rsa-sha256}, default, or {@code ed25519-sha256}), {@code dkmConfig} (default {@code
 * conf/dkm.properties}), {@code onKeyStoreFailure} (as {@code SignDkim}), and for its own
 * validation the parameters of {@code VerifyArc} ({@code zoneFile}, {@code dnsServers}, ...). A
 * domain without a key passes unsealed, logged; a chain that already ended (cv=fail) or has 50 sets
 * is not sealed again.
 */
public class SealArc extends GenericMailet {
    private static final Logger LOG = LoggerFactory.getLogger(SealArc.class);

    static final String DOMAIN = "domain";
    static final String ALGORITHM = "algorithm";
    static final String DKM_CONFIG = "dkmConfig";
    static final String ON_KEY_STORE_FAILURE = "onKeyStoreFailure";

    private final Dkm injectedDkm;
    private final KeyRecordSource injectedKeys;
    private String domain;
    private SigningAlgorithm algorithm;
    private String authservId;
    private String failureProcessor;
    private DomainSigner keys;
    private ArcVerifier verifier;
    private final ArcSealer sealer = new ArcSealer(Clock.systemUTC());

    @Inject
    public SealArc() {
        this(null, null);
    }

    /** For tests: a DKM client and a key source for the chain's validation. */
    public SealArc(Dkm dkm, KeyRecordSource keys) {
        this.injectedDkm = dkm;
        this.injectedKeys = keys;
    }

    @Override
    public void init() throws MessagingException {
        Set<String> known =
                VerifyArc.parameters(DOMAIN, ALGORITHM, DKM_CONFIG, ON_KEY_STORE_FAILURE);
        InitParameters.checkKnown("SealArc", getInitParameterNames(), known);
        Parameters p = Parameters.of("SealArc", this::getInitParameter);
        authservId = VerifyArc.authservId("SealArc", p);
        Path config;
        DomainSigner.Builder b = DomainSigner.builder();
        try {
            b.domain(p.required(DOMAIN));
            domain = p.required(DOMAIN).trim().toLowerCase(Locale.ROOT);
            String a = p.optional(ALGORITHM, "rsa-sha256");
            algorithm = SigningAlgorithm.fromTag(a);
            if (algorithm == null) {
                throw new MessagingException(
                        "SealArc: "
                                + ALGORITHM
                                + ": one of rsa-sha256, ed25519-sha256; got '"
                                + a
                                + "'");
            }
            b.algorithms(algorithm.tag());
            failureProcessor = p.processor(ON_KEY_STORE_FAILURE, null);
            config = p.path(DKM_CONFIG, DkmClients.DEFAULT_CONFIG);
        } catch (ConfigException e) {
            throw new MessagingException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new MessagingException("SealArc: " + e.getMessage()); // names the parameter
        }
        verifier = VerifyArc.verifier("SealArc", p.engineMessages(), injectedKeys);
        try {
            keys =
                    b.build(
                            DomainSigner.PrimaryVersions.of(
                                    injectedDkm != null ? injectedDkm : DkmClients.client(config)));
        } catch (DkmInvalidRequestException e) {
            throw new MessagingException(
                    "SealArc: " + DKM_CONFIG + " (" + config + "): " + e.getMessage(), e);
        }
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        PerMailGuard.run(getClass().getSimpleName(), () -> process(mail));
    }

    private void process(Mail mail) throws MessagingException {
        SigningKey key;
        try {
            key = keys.signingKey(domain, algorithm);
        } catch (DomainSigner.KeyUnavailableException e) {
            KeyUnavailable.handle("SealArc", "sealed", mail, failureProcessor, e, LOG);
            return;
        }
        if (key == null) {
            LOG.debug(
                    "mail {} not ARC-sealed: {} has no {} key",
                    mail.getName(),
                    domain,
                    algorithm.tag());
            return;
        }
        MimeMessage message = mail.getMessage();
        ArcResult chain = recorded(mail).orElseGet(() -> VerifyArc.verify(verifier, mail).result());
        ArcSealer.Session session = sealer.start();
        try {
            message.writeTo(session);
        } catch (IOException e) {
            throw new MessagingException(
                    "SealArc: cannot read mail " + mail.getName() + ": " + e.getMessage(), e);
        }
        ArcSealer.Seal seal = session.seal(key, authservId, ourAuthResults(message), chain);
        if (!seal.sealed()) {
            LOG.info("mail {} not ARC-sealed: {}", mail.getName(), seal.refused());
            return;
        }
        DomainSigner.prepend(message, seal.fields());
    }

    /** The chain verdict VerifyArc recorded, if it ran. */
    static Optional<ArcResult> recorded(Mail mail) {
        return mail.getAttribute(VerifyArc.RESULT)
                .map(a -> a.getValue().value())
                .filter(Map.class::isInstance)
                .map(m -> ((Map<?, ?>) m).get(ArcAttributeNames.RESULT_KEY))
                .map(v -> v instanceof AttributeValue ? ((AttributeValue<?>) v).value() : v)
                .map(v -> ArcResult.fromKeyword(String.valueOf(v)));
    }

    /** Our Authentication-Results field's value, or null. */
    private String ourAuthResults(MimeMessage message) throws MessagingException {
        String[] fields = message.getHeader(AuthenticationResults.HEADER_NAME);
        if (fields != null) {
            for (String value : fields) {
                if (AuthenticationResults.claims(value, authservId)) {
                    return value;
                }
            }
        }
        return null;
    }

    @Override
    public String getMailetInfo() {
        return "SealArc: adds the next ARC set with the domain's key from DKM";
    }
}
