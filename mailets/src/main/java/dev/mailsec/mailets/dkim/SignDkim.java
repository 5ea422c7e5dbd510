package dev.mailsec.mailets.dkim;

import dev.mailsec.dkim.DkimSigner;
import dev.mailsec.dkim.sign.DkmSigningKeys;
import dev.mailsec.dkim.sign.SigningAlgorithm;
import dev.mailsec.dkim.sign.SigningKey;
import dev.mailsec.dkm.Dkm;
import dev.mailsec.dkm.DkmException;
import dev.mailsec.dkm.DkmInvalidRequestException;
import dev.mailsec.dkm.SecretVersion;
import dev.mailsec.dkmclient.DkmClients;
import dev.mailsec.guard.InitParameters;
import dev.mailsec.guard.PerMailGuard;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs outbound mail with DKIM using the domain's key from the key manager (DKM): the secret
 * {@code dkim/<domain>} (RSA, rsa-sha256) and/or {@code dkim/<domain>/ed25519} (ed25519-sha256), primary
 * version only, with the selector derived from the version ({@code rsa-v<N>}, {@code ed25519-v<N>}).
 * Relaxed/relaxed, From oversigned. Put it last before {@code RemoteDelivery}: later changes to the
 * message break the signature.
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
 * directory), {@code domain} (default: the domain of the From: address), {@code algorithms}
 * ({@code rsa-sha256} (default), {@code ed25519-sha256} or {@code both}), {@code headers} (comma-separated
 * names to sign; default {@link DkimSigner#DEFAULT_HEADERS}), {@code onKeyStoreFailure} (processor for
 * mail that cannot be signed because DKM is unreachable; without it the mailet throws a
 * MessagingException, and James applies the mailet's {@code onMailetException}: set it to
 * {@code propagate} to have the spool retry the mail), {@code rolloverConfig} and {@code rolloverPeriod}
 * (start DKM's automated rollover in this JVM, see {@link DkmClients#startRollover}).
 * A domain without a key passes unsigned, logged once per domain. Unknown parameters and bad values
 * fail the start, naming the parameter.
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
    private static final Set<String> PARAMETERS = Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(
            DKM_CONFIG, DOMAIN, ALGORITHMS, HEADERS, ON_KEY_STORE_FAILURE, ROLLOVER_CONFIG, ROLLOVER_PERIOD)));
    private static final Pattern DOMAIN_NAME = Pattern.compile(
            "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+");
    /** How long "this domain has no key" is remembered (each miss is an audited DKM read). */
    static final long MISSING_KEY_MILLIS = Duration.ofMinutes(5).toMillis();

    private final Dkm injected;
    private Dkm dkm;
    private String domain;
    private List<SigningAlgorithm> algorithms;
    private List<String> headers;
    private String failureProcessor;
    private final Map<String, Long> missingUntil = new ConcurrentHashMap<>();
    private final Set<String> reportedMissing = ConcurrentHashMap.newKeySet();
    private final Map<String, CachedKey> keys = new ConcurrentHashMap<>();

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
        String d = getInitParameter(DOMAIN);
        if (d != null) {
            domain = d.trim().toLowerCase(Locale.ROOT);
            if (!DOMAIN_NAME.matcher(domain).matches()) {
                throw new MessagingException("SignDkim: " + DOMAIN + ": not a domain name: '" + d + "'");
            }
        }
        algorithms = algorithms(getInitParameter(ALGORITHMS, "rsa-sha256").trim());
        String h = getInitParameter(HEADERS);
        if (h != null) {
            headers = new ArrayList<>(Arrays.asList(h.split("\\s*,\\s*")));
            try {
                DkimSigner.builder().headers(headers);
            } catch (IllegalArgumentException e) {
                throw new MessagingException("SignDkim: " + e.getMessage());
            }
        }
        String p = getInitParameter(ON_KEY_STORE_FAILURE);
        if (p != null) {
            failureProcessor = p.trim();
            if (failureProcessor.isEmpty() || failureProcessor.contains(" ")) {
                throw new MessagingException("SignDkim: " + ON_KEY_STORE_FAILURE + ": not a processor name: '" + p + "'");
            }
        }
        Path config = DkmClients.resolve(getInitParameter(DKM_CONFIG, "conf/dkm.properties"));
        try {
            dkm = injected != null ? injected : DkmClients.client(config);
        } catch (DkmInvalidRequestException e) {
            throw new MessagingException("SignDkim: " + DKM_CONFIG + " (" + config + "): " + e.getMessage(), e);
        }
        rollover();
    }

    private void rollover() throws MessagingException {
        String file = getInitParameter(ROLLOVER_CONFIG);
        String period = getInitParameter(ROLLOVER_PERIOD);
        if (file == null) {
            if (period != null) {
                throw new MessagingException("SignDkim: " + ROLLOVER_PERIOD + " needs " + ROLLOVER_CONFIG);
            }
            return;
        }
        Duration every;
        try {
            every = period == null ? Duration.ofHours(1) : Duration.parse(period.trim());
        } catch (DateTimeParseException e) {
            throw new MessagingException("SignDkim: " + ROLLOVER_PERIOD + ": not an ISO-8601 duration (PT1H): '" + period + "'");
        }
        try {
            DkmClients.startRollover(DkmClients.resolve(file), every);
        } catch (DkmInvalidRequestException e) {
            throw new MessagingException("SignDkim: " + ROLLOVER_CONFIG + ": " + e.getMessage(), e);
        }
    }

    private static List<SigningAlgorithm> algorithms(String value) throws MessagingException {
        if (value.equals("both")) {
            return Arrays.asList(SigningAlgorithm.ED25519_SHA256, SigningAlgorithm.RSA_SHA256);
        }
        SigningAlgorithm a = SigningAlgorithm.fromTag(value);
        if (a == null) {
            throw new MessagingException("SignDkim: " + ALGORITHMS + ": one of rsa-sha256, ed25519-sha256, both; got '"
                    + value + "'");
        }
        return Collections.singletonList(a);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        PerMailGuard.run(getClass().getSimpleName(), () -> process(mail));
    }

    private void process(Mail mail) throws MessagingException {
        MimeMessage message = mail.getMessage();
        String d = domain != null ? domain : fromDomain(message);
        if (d == null) {
            LOG.debug("mail {} not DKIM-signed: no single From: address with a domain", mail.getName());
            return;
        }
        List<SigningKey> signing = new ArrayList<>(algorithms.size());
        for (SigningAlgorithm a : algorithms) {
            SigningKey k;
            try {
                k = key(d, a);
            } catch (DkmException e) {
                keyStoreFailure(mail, DkmSigningKeys.secretName(d, a), e);
                return;
            }
            if (k != null) {
                signing.add(k);
            }
        }
        if (signing.isEmpty()) {
            return;
        }
        DkimSigner.Builder b = DkimSigner.builder();
        if (headers != null) {
            b.headers(headers);
        }
        for (SigningKey k : signing) {
            b.key(k);
        }
        DkimSigner.Session session = b.build().start();
        try {
            message.writeTo(session);
        } catch (IOException e) {
            throw new MessagingException("SignDkim: cannot read mail " + mail.getName() + ": " + e.getMessage(), e);
        }
        prepend(message, session.signatures());
    }

    private void keyStoreFailure(Mail mail, String secret, DkmException e) throws MessagingException {
        String why = "DKIM key " + secret + " unavailable (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
        if (failureProcessor != null) {
            LOG.warn("mail {} sent to processor {}: {}", mail.getName(), failureProcessor, why);
            mail.setState(failureProcessor);
            return;
        }
        throw new MessagingException("SignDkim: " + why + "; mail " + mail.getName() + " not signed", e);
    }

    /** The key to sign with, or null when the domain has none for this algorithm. */
    private SigningKey key(String d, SigningAlgorithm a) throws DkmException {
        String name = DkmSigningKeys.secretName(d, a);
        Long until = missingUntil.get(name);
        if (until != null && until > System.currentTimeMillis()) {
            return null;
        }
        SecretVersion primary;
        try {
            primary = dkm.secret(name).primary();
        } catch (DkmInvalidRequestException e) {
            // no such secret: this domain does not sign with this algorithm
            missingUntil.put(name, System.currentTimeMillis() + MISSING_KEY_MILLIS);
            if (reportedMissing.add(name)) {
                LOG.warn("no DKIM key {} in DKM: mail from {} passes without a {} signature ({})",
                        name, d, a.tag(), e.getMessage());
            }
            return null;
        }
        missingUntil.remove(name);
        CachedKey cached = keys.get(name);
        if (cached != null && cached.version == primary) {
            return cached.key;
        }
        SigningKey k;
        try {
            k = DkmSigningKeys.signingKey(d, primary);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new DkmInvalidKeyException(name + ": " + e.getMessage());
        }
        keys.put(name, new CachedKey(primary, k));
        return k;
    }

    static String fromDomain(MimeMessage message) throws MessagingException {
        String[] from = message.getHeader("From");
        if (from == null || from.length != 1) {
            return null;
        }
        try {
            InternetAddress[] addresses = InternetAddress.parseHeader(from[0], false);
            if (addresses.length != 1 || addresses[0].getAddress() == null) {
                return null;
            }
            String a = addresses[0].getAddress();
            int at = a.lastIndexOf('@');
            String d = at < 0 ? "" : a.substring(at + 1).toLowerCase(Locale.ROOT);
            return DOMAIN_NAME.matcher(d).matches() ? d : null;
        } catch (AddressException e) {
            return null;
        }
    }

    /** Puts the signature fields on top (RFC 6376 section 5.6), keeping every other field as it was. */
    private static void prepend(MimeMessage message, List<String> signatures) throws MessagingException {
        List<String> lines = Collections.list(message.getAllHeaderLines());
        Set<String> names = new LinkedHashSet<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                names.add(line.substring(0, colon).trim());
            }
        }
        for (String n : names) {
            message.removeHeader(n);
        }
        for (String s : signatures) {
            message.addHeaderLine(s.substring(0, s.length() - 2));
        }
        for (String line : lines) {
            message.addHeaderLine(line);
        }
    }

    private static final class CachedKey {
        final SecretVersion version;
        final SigningKey key;

        CachedKey(SecretVersion version, SigningKey key) {
            this.version = version;
            this.key = key;
        }
    }

    /** A DKM secret that exists but cannot sign (wrong kind or algorithm): a key store problem, not "no key". */
    static final class DkmInvalidKeyException extends DkmException {
        private static final long serialVersionUID = 1L;

        DkmInvalidKeyException(String message) {
            super(message);
        }
    }
}
