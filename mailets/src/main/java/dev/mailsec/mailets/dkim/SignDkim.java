package dev.mailsec.mailets.dkim;

import dev.mailsec.config.ConfigException;
import dev.mailsec.config.InitParameters;
import dev.mailsec.config.Parameters;
import dev.mailsec.dkim.DkimSigner;
import dev.mailsec.dkim.DomainSigner;
import dev.mailsec.dkm.Dkm;
import dev.mailsec.dkm.DkmInvalidRequestException;
import dev.mailsec.dkmclient.DkmClients;
import dev.mailsec.guard.PerMailGuard;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.inject.Inject;
import javax.mail.MessagingException;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs outbound mail with DKIM using the domain's key from the key manager (DKM): the secret
 * {@code dkim/<domain>} (RSA, rsa-sha256) and/or {@code dkim/<domain>/ed25519} (ed25519-sha256),
 * primary version only, with the selector derived from the version ({@code rsa-v<N>}, {@code
 * ed25519-v<N>}). Relaxed/relaxed, From oversigned. Put it last before {@code RemoteDelivery}:
 * later changes to the message break the signature.
 *
 * <pre>{@code
 * <mailet match="SenderIsLocal" class="dev.mailsec.mailets.dkim.SignDkim">
 *     <dkmConfig>conf/dkm.properties</dkmConfig>
 *     <algorithms>both</algorithms>
 *     <onKeyStoreFailure>dkim-key-store-down</onKeyStoreFailure>
 * </mailet>
 * }</pre>
 *
 * Parameters: {@code dkmConfig} (default {@code conf/dkm.properties}, relative to James's working
 * directory), {@code domain} (default: the domain of the From: address), {@code algorithms} ({@code
 * rsa-sha256} (default), {@code ed25519-sha256} or {@code both}), {@code headers} (comma-separated
 * names to sign; default {@link DkimSigner#DEFAULT_HEADERS}), {@code onKeyStoreFailure} (processor
 * for mail that cannot be signed because DKM is unreachable; without it the mailet throws a
 * MessagingException, and James applies the mailet's {@code onMailetException}: set it to {@code
 * propagate} to have the spool retry the mail), {@code rolloverConfig} and {@code rolloverPeriod}
 * (start DKM's automated rollover in this JVM, see {@link DkmClients#startRollover}). A domain
 * without a key passes unsigned, logged once per domain. Unknown parameters and bad values fail the
 * start, naming the parameter. The signing itself (domain, keys and their caches, placement) is
 * {@link DomainSigner}'s.
 */
public class SignDkim extends GenericMailet {
    private static final Logger LOG = LoggerFactory.getLogger(SignDkim.class);

    static final String DKM_CONFIG = "dkmConfig";
    static final String DOMAIN = "domain";
    static final String ALGORITHMS = "algorithms";
    static final String HEADERS = "headers";
    static final String ON_KEY_STORE_FAILURE = "onKeyStoreFailure";
    static final String ROLLOVER_CONFIG = "rolloverConfig";
    static final String ROLLOVER_PERIOD = "rolloverPeriod";
    private static final Set<String> PARAMETERS =
            Collections.unmodifiableSet(
                    new LinkedHashSet<>(
                            Arrays.asList(
                                    DKM_CONFIG,
                                    DOMAIN,
                                    ALGORITHMS,
                                    HEADERS,
                                    ON_KEY_STORE_FAILURE,
                                    ROLLOVER_CONFIG,
                                    ROLLOVER_PERIOD)));

    private final Dkm injected;
    private DomainSigner signer;
    private String failureProcessor;

    @Inject
    public SignDkim() {
        this(null);
    }

    /** For tests: a DKM client instead of the shared one of {@code dkmConfig}. */
    public SignDkim(Dkm dkm) {
        this.injected = dkm;
    }

    @Override
    public String getMailetInfo() {
        return "SignDkim: DKIM-signs mail with the domain's key from DKM";
    }

    @Override
    public void init() throws MessagingException {
        InitParameters.checkKnown("SignDkim", getInitParameterNames(), PARAMETERS);
        Parameters p = Parameters.of("SignDkim", this::getInitParameter);
        DomainSigner.Builder b = DomainSigner.builder();
        Path config;
        try {
            p.given(DOMAIN, v -> v).ifPresent(b::domain);
            b.algorithms(p.optional(ALGORITHMS, "rsa-sha256"));
            p.given(HEADERS, v -> Arrays.asList(v.split("\\s*,\\s*"))).ifPresent(b::headers);
            failureProcessor = p.processor(ON_KEY_STORE_FAILURE, null);
            config = p.path(DKM_CONFIG, DkmClients.DEFAULT_CONFIG);
        } catch (ConfigException e) {
            throw new MessagingException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new MessagingException("SignDkim: " + e.getMessage()); // names the parameter
        }
        try {
            signer =
                    b.build(
                            DomainSigner.PrimaryVersions.of(
                                    injected != null ? injected : DkmClients.client(config)));
        } catch (DkmInvalidRequestException e) {
            throw new MessagingException(
                    "SignDkim: " + DKM_CONFIG + " (" + config + "): " + e.getMessage(), e);
        }
        rollover(p);
    }

    private void rollover(Parameters p) throws MessagingException {
        Path file;
        Duration every;
        try {
            file = p.path(ROLLOVER_CONFIG).orElse(null);
            every =
                    p.duration(
                            ROLLOVER_PERIOD,
                            ChronoUnit.SECONDS,
                            Duration.ofHours(1),
                            Duration.ofSeconds(1),
                            Duration.ofDays(366));
        } catch (ConfigException e) {
            throw new MessagingException(e.getMessage(), e);
        }
        if (file == null) {
            if (p.optional(ROLLOVER_PERIOD).isPresent()) {
                throw new MessagingException(
                        "SignDkim: " + ROLLOVER_PERIOD + " needs " + ROLLOVER_CONFIG);
            }
            return;
        }
        try {
            DkmClients.startRollover(file, every);
        } catch (DkmInvalidRequestException e) {
            throw new MessagingException("SignDkim: " + ROLLOVER_CONFIG + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        PerMailGuard.run(getClass().getSimpleName(), () -> process(mail));
    }

    private void process(Mail mail) throws MessagingException {
        try {
            if (signer.sign(mail.getMessage()) == DomainSigner.Outcome.NO_DOMAIN) {
                LOG.debug(
                        "mail {} not DKIM-signed: no single From: address with a domain",
                        mail.getName());
            }
        } catch (IOException e) {
            throw new MessagingException(
                    "SignDkim: cannot read mail " + mail.getName() + ": " + e.getMessage(), e);
        } catch (DomainSigner.KeyUnavailableException e) {
            KeyUnavailable.handle("SignDkim", "signed", mail, failureProcessor, e, LOG);
        }
    }
}
