package dev.mailsec.dkim;

import dev.mailsec.dkim.sign.DkmSigningKeys;
import dev.mailsec.dkim.sign.SigningAlgorithm;
import dev.mailsec.dkim.sign.SigningKey;
import dev.mailsec.dkm.Dkm;
import dev.mailsec.dkm.DkmException;
import dev.mailsec.dkm.DkmInvalidRequestException;
import dev.mailsec.dkm.SecretVersion;
import dev.mailsec.mail.DomainName;
import dev.mailsec.mail.DomainName.Option;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.mail.MessagingException;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DKIM-signs a domain's outbound mail with its keys from the key manager (DKM): which domain signs
 * (a configured one, else the domain of the single From: address), which keys (the primary version
 * of {@code dkim/<domain>} and/or {@code dkim/<domain>/ed25519}, see {@link DkmSigningKeys}), and
 * where the signature fields go (on top, RFC 6376 section 5.6). Shared across mail threads: it
 * keeps only the derived signing key per secret (re-derived when the primary version changes) and,
 * for {@link #MISSING_KEY_TTL}, that a domain has no key (each miss is an audited DKM read). A
 * domain without a key passes unsigned, logged once per secret.
 */
public final class DomainSigner {
    private static final Logger LOG = LoggerFactory.getLogger(DomainSigner.class);

    /** How long "this domain has no key" is remembered. */
    public static final Duration MISSING_KEY_TTL = Duration.ofMinutes(5);

    /** What {@link #sign} did with a message. */
    public enum Outcome {
        /** Signature fields were put on top of the message. */
        SIGNED,
        /** No domain to sign for: none configured, and not a single From: address with a domain. */
        NO_DOMAIN,
        /** The domain has no key for any of the algorithms: the message is unchanged. */
        NO_KEY
    }

    /** Where the signer reads the primary version of a secret; {@link #of(Dkm)} in production. */
    @FunctionalInterface
    public interface PrimaryVersions {
        /**
         * The secret's primary version.
         *
         * @throws DkmInvalidRequestException if there is no such secret (the domain does not sign)
         * @throws DkmException if the key manager cannot answer
         */
        SecretVersion primary(String secret) throws DkmException;

        static PrimaryVersions of(Dkm dkm) {
            Objects.requireNonNull(dkm, "dkm");
            return secret -> dkm.secret(secret).primary();
        }
    }

    private final PrimaryVersions versions;
    private final String domain;
    private final List<SigningAlgorithm> algorithms;
    private final List<String> headers;
    private final Clock clock;
    private final Map<String, Long> missingUntil = new ConcurrentHashMap<>();
    private final Set<String> reportedMissing = ConcurrentHashMap.newKeySet();
    private final Map<String, CachedKey> keys = new ConcurrentHashMap<>();

    private DomainSigner(Builder b, PrimaryVersions versions) {
        this.versions = Objects.requireNonNull(versions, "versions");
        this.domain = b.domain;
        this.algorithms = b.algorithms;
        this.headers = b.headers;
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Signs the message in place, unless there is no domain or no key.
     *
     * @throws KeyUnavailableException if DKM cannot give a key (unreachable, or a secret that
     *     cannot sign): the message is unchanged
     * @throws IOException if the message cannot be read
     */
    public Outcome sign(MimeMessage message)
            throws KeyUnavailableException, MessagingException, IOException {
        String d = domain != null ? domain : fromDomain(message);
        if (d == null) {
            return Outcome.NO_DOMAIN;
        }
        DkimSigner.Builder b = DkimSigner.builder().clock(clock);
        if (headers != null) {
            b.headers(headers);
        }
        boolean any = false;
        for (SigningAlgorithm a : algorithms) {
            SigningKey k = key(d, a);
            if (k != null) {
                b.key(k);
                any = true;
            }
        }
        if (!any) {
            return Outcome.NO_KEY;
        }
        DkimSigner.Session session = b.build().start();
        message.writeTo(session);
        prepend(message, session.signatures());
        return Outcome.SIGNED;
    }

    /**
     * The primary key of {@code domain} for this algorithm, with the same DKM secret, selector,
     * missing-key memory and cache as {@link #sign}; null when the domain has no such key. ARC's
     * sealer takes its keys here.
     *
     * @throws KeyUnavailableException if DKM cannot give the key
     */
    public SigningKey signingKey(String domain, SigningAlgorithm algorithm)
            throws KeyUnavailableException {
        return key(domain.toLowerCase(Locale.ROOT), algorithm);
    }

    /** The key to sign with, or null when the domain has none for this algorithm. */
    private SigningKey key(String d, SigningAlgorithm a) throws KeyUnavailableException {
        String name = DkmSigningKeys.secretName(d, a);
        Long until = missingUntil.get(name);
        if (until != null && until > clock.millis()) {
            return null;
        }
        SecretVersion primary;
        try {
            primary = versions.primary(name);
        } catch (DkmInvalidRequestException e) {
            // no such secret: this domain does not sign with this algorithm
            missingUntil.put(name, clock.millis() + MISSING_KEY_TTL.toMillis());
            if (reportedMissing.add(name)) {
                LOG.warn(
                        "no DKIM key {} in DKM: mail from {} passes without a {} signature ({})",
                        name,
                        d,
                        a.tag(),
                        e.getMessage());
            }
            return null;
        } catch (DkmException e) {
            throw new KeyUnavailableException(name, e);
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
            throw new KeyUnavailableException(
                    name, new DkmInvalidKeyException(name + ": " + e.getMessage()));
        }
        keys.put(name, new CachedKey(primary, k));
        return k;
    }

    /**
     * The lower-case domain of the single From: address, or null if there is not exactly one such.
     */
    public static String fromDomain(MimeMessage message) throws MessagingException {
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
            return at < 0
                    ? null
                    : DomainName.normalize(a.substring(at + 1), Option.MULTI_LABEL).orElse(null);
        } catch (AddressException e) {
            return null;
        }
    }

    /**
     * Puts the signature fields on top (RFC 6376 section 5.6), keeping every other field as it was.
     * ARC's sealer puts its sets on top the same way.
     */
    public static void prepend(MimeMessage message, List<String> signatures)
            throws MessagingException {
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

    /** Configures a {@link DomainSigner}; each setter checks its value. */
    public static final class Builder {
        private String domain;
        private List<SigningAlgorithm> algorithms =
                Collections.singletonList(SigningAlgorithm.RSA_SHA256);
        private List<String> headers;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /**
         * Sign for this domain instead of the From: address's. Like the other setters, a bad value
         * throws an IllegalArgumentException whose message starts with the mailet parameter's name.
         */
        public Builder domain(String name) {
            this.domain =
                    DomainName.normalize(name, Option.TRIM, Option.MULTI_LABEL)
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    "domain: not a domain name: '" + name + "'"));
            return this;
        }

        /** {@code rsa-sha256} (default), {@code ed25519-sha256} or {@code both}. */
        public Builder algorithms(String value) {
            if (value.equals("both")) {
                algorithms =
                        Arrays.asList(SigningAlgorithm.ED25519_SHA256, SigningAlgorithm.RSA_SHA256);
                return this;
            }
            SigningAlgorithm a = SigningAlgorithm.fromTag(value);
            if (a == null) {
                throw new IllegalArgumentException(
                        "algorithms: one of rsa-sha256, ed25519-sha256, both; got '" + value + "'");
            }
            algorithms = Collections.singletonList(a);
            return this;
        }

        /** The header fields to sign, as {@link DkimSigner.Builder#headers} checks them. */
        public Builder headers(List<String> names) {
            DkimSigner.builder().headers(names);
            this.headers = new ArrayList<>(names);
            return this;
        }

        /** For the missing-key memory and the signatures' t=. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public DomainSigner build(PrimaryVersions versions) {
            return new DomainSigner(this, versions);
        }
    }

    /** DKM could not give the key of one secret; the cause says why. Never carries key material. */
    public static final class KeyUnavailableException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String secret;

        KeyUnavailableException(String secret, DkmException cause) {
            super(
                    "DKIM key "
                            + secret
                            + " unavailable ("
                            + cause.getClass().getSimpleName()
                            + ": "
                            + cause.getMessage()
                            + ")",
                    cause);
            this.secret = secret;
        }

        public String secret() {
            return secret;
        }

        /** Why DKM could not give the key. */
        @Override
        public synchronized DkmException getCause() {
            return (DkmException) super.getCause();
        }
    }

    /**
     * A DKM secret that exists but cannot sign (wrong kind or algorithm): a key store problem, not
     * "no key".
     */
    static final class DkmInvalidKeyException extends DkmException {
        private static final long serialVersionUID = 1L;

        DkmInvalidKeyException(String message) {
            super(message);
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
}
