package dev.mailsec.tls.connector.mtasts;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Finds the MTA-STS policy of a recipient domain (RFC 8461 section 3.3 and 5.1): looks up the
 * {@code _mta-sts} TXT record; when its {@code id} differs from the cached policy's (or nothing is
 * cached), fetches the policy over HTTPS with certificate validation and no redirects; caches it
 * for {@code max_age}. When the TXT lookup or the fetch fails, an unexpired cached policy is used.
 * Thread-safe. Resolvers over {@link MtaStsCache#shared()} share one cache per JVM, so James's
 * routing step and its deliveries fetch a domain's policy once.
 */
public final class MtaStsResolver {

    /** Where TXT records come from; the production one asks DNS. */
    public interface TxtLookup {
        /**
         * The TXT records of {@code name}, each with its strings joined; empty when there are none.
         */
        List<String> txt(String name) throws IOException;
    }

    /**
     * Why a domain that announces a policy has none we could use, in the terms of TLS reports (RFC
     * 8460 section 4.3.2.1).
     */
    public enum FetchFailure {
        /** The policy could not be retrieved (connection, HTTP status, type, size). */
        FETCH_ERROR,
        /** The policy host's certificate failed (RFC 8461 section 3.3: WebPKI). */
        WEBPKI_INVALID,
        /** A policy was retrieved but is not a valid one (syntax, version, mode, max_age). */
        POLICY_INVALID
    }

    /** What the resolver found, for printing and for decisions. */
    public static final class Result {
        private final Optional<MtaStsPolicy> policy;
        private final Optional<String> id;
        private final String source;
        private final Optional<FetchFailure> failure;

        Result(Optional<MtaStsPolicy> policy, Optional<String> id, String source) {
            this(policy, id, source, Optional.empty());
        }

        Result(
                Optional<MtaStsPolicy> policy,
                Optional<String> id,
                String source,
                Optional<FetchFailure> failure) {
            this.policy = policy;
            this.id = id;
            this.source = source;
            this.failure = failure;
        }

        /**
         * Why the announced policy could not be used, when no policy is in force because of it (not
         * when a cached policy still applies).
         */
        public Optional<FetchFailure> failure() {
            return failure;
        }

        /** Empty when the domain has no (valid) MTA-STS policy. */
        public Optional<MtaStsPolicy> policy() {
            return policy;
        }

        public Optional<String> id() {
            return id;
        }

        /**
         * How the answer was reached, e.g. {@code fetched}, {@code cached}, {@code no _mta-sts
         * record}.
         */
        public String source() {
            return source;
        }
    }

    /** How a policy is fetched once the TXT record says there is one. */
    public interface PolicyFetcher {
        /**
         * The policy of {@code domain} from {@code https://mta-sts.DOMAIN/.well-known/mta-sts.txt}.
         *
         * @throws IOException when it cannot be fetched (connection, TLS, status, type or size)
         * @throws IllegalArgumentException when it is not a valid policy
         */
        MtaStsPolicy fetch(String domain) throws IOException;
    }

    private final TxtLookup dns;
    private final PolicyFetcher fetcher;
    private final Clock clock;
    private final MtaStsCache cache;

    /**
     * A resolver fetching with the JDK's HTTP client (host names resolved by the JVM), with its own
     * cache.
     *
     * @param policyUri where a domain's policy is served; production: {@link #wellKnownUri(String)}
     * @param tls the TLS context validating the policy host's certificate (RFC 8461 section 3.3
     *     requires a valid chain and name)
     */
    public MtaStsResolver(
            TxtLookup dns,
            SSLContext tls,
            Function<String, URI> policyUri,
            Duration timeout,
            Clock clock) {
        this(dns, httpClientFetcher(tls, policyUri, timeout), clock, new MtaStsCache());
    }

    /** A resolver with its own fetcher, using {@code cache} (e.g. {@link MtaStsCache#shared()}). */
    public MtaStsResolver(TxtLookup dns, PolicyFetcher fetcher, Clock clock, MtaStsCache cache) {
        this.dns = dns;
        this.fetcher = fetcher;
        this.clock = clock;
        this.cache = cache;
    }

    /** {@code https://mta-sts.DOMAIN/.well-known/mta-sts.txt}. */
    public static URI wellKnownUri(String domain) {
        return URI.create("https://mta-sts." + domain + "/.well-known/mta-sts.txt");
    }

    /**
     * The policy of {@code domain} (lower-case ASCII), fetching or reusing the cache as the RFC
     * says.
     */
    public Result resolve(String domain) {
        String key = domain.toLowerCase(Locale.ROOT);
        Optional<MtaStsCache.Entry> cached =
                cache.get(key).filter(c -> clock.instant().isBefore(c.expires()));
        Optional<MtaStsRecord> record;
        try {
            record = record(key);
        } catch (IOException dnsFailure) {
            return cached.map(
                            c ->
                                    new Result(
                                            Optional.of(c.policy()),
                                            Optional.of(c.id()),
                                            "cached (TXT lookup failed: "
                                                    + MtaStsPolicy.printable(
                                                            String.valueOf(dnsFailure.getMessage()))
                                                    + ")"))
                    .orElse(
                            new Result(
                                    Optional.empty(),
                                    Optional.empty(),
                                    "TXT lookup failed: "
                                            + MtaStsPolicy.printable(
                                                    String.valueOf(dnsFailure.getMessage()))));
        }
        if (record.isEmpty()) {
            // RFC 8461 section 5.1: a cached, unexpired policy still applies when the record
            // disappears
            return cached.map(
                            c ->
                                    new Result(
                                            Optional.of(c.policy()),
                                            Optional.of(c.id()),
                                            "cached (no _mta-sts record now)"))
                    .orElse(new Result(Optional.empty(), Optional.empty(), "no _mta-sts record"));
        }
        String id = record.get().id();
        if (cached.isPresent() && cached.get().id().equals(id)) {
            return new Result(Optional.of(cached.get().policy()), Optional.of(id), "cached");
        }
        try {
            MtaStsPolicy policy = fetcher.fetch(key);
            cache.put(
                    key,
                    new MtaStsCache.Entry(
                            policy, id, clock.instant().plusSeconds(policy.maxAgeSeconds())));
            return new Result(Optional.of(policy), Optional.of(id), "fetched");
        } catch (IOException | IllegalArgumentException fetchFailure) {
            String why = MtaStsPolicy.printable(String.valueOf(fetchFailure.getMessage()));
            FetchFailure kind = kindOf(fetchFailure);
            return cached.map(
                            c ->
                                    new Result(
                                            Optional.of(c.policy()),
                                            Optional.of(c.id()),
                                            "cached ("
                                                    + (kind == FetchFailure.POLICY_INVALID
                                                            ? "fetched policy invalid: "
                                                            : "fetch failed: ")
                                                    + why
                                                    + ")"))
                    .orElse(
                            new Result(
                                    Optional.empty(),
                                    Optional.of(id),
                                    (kind == FetchFailure.POLICY_INVALID
                                                    ? "policy invalid: "
                                                    : "policy fetch failed: ")
                                            + why,
                                    Optional.of(kind)));
        }
    }

    /**
     * A fetcher's {@link IllegalArgumentException} is a policy that was retrieved and does not
     * parse; an {@link SSLException} or {@link CertificateException} anywhere in the causes is the
     * policy host's certificate; anything else could not be retrieved.
     */
    static FetchFailure kindOf(Exception failure) {
        if (failure instanceof IllegalArgumentException) {
            return FetchFailure.POLICY_INVALID;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException || t instanceof CertificateException) {
                return FetchFailure.WEBPKI_INVALID;
            }
        }
        return FetchFailure.FETCH_ERROR;
    }

    private Optional<MtaStsRecord> record(String domain) throws IOException {
        List<MtaStsRecord> records = new ArrayList<>();
        for (String txt : dns.txt("_mta-sts." + domain)) {
            MtaStsRecord.parse(txt).ifPresent(records::add);
        }
        // RFC 8461 section 3.1: more than one STSv1 record means none
        return records.size() == 1 ? Optional.of(records.get(0)) : Optional.empty();
    }

    private static PolicyFetcher httpClientFetcher(
            SSLContext tls, Function<String, URI> policyUri, Duration timeout) {
        HttpClient http =
                HttpClient.newBuilder()
                        .sslContext(tls)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .connectTimeout(timeout)
                        .build();
        return domain -> {
            HttpRequest request =
                    HttpRequest.newBuilder(policyUri.apply(domain)).timeout(timeout).GET().build();
            HttpResponse<InputStream> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            try (InputStream body = response.body()) {
                return checkedPolicy(
                        response.statusCode(),
                        response.headers().firstValue("Content-Type").orElse(""),
                        body);
            }
        };
    }

    /**
     * RFC 8461 section 3.3: status 200, {@code text/plain}, at most {@link MtaStsPolicy#MAX_BYTES}.
     */
    static MtaStsPolicy checkedPolicy(int status, String contentType, InputStream body)
            throws IOException {
        return MtaStsPolicy.parse(checkedText(status, contentType, body));
    }

    /** As {@link #checkedPolicy(int, String, InputStream)}, the body's text, not yet parsed. */
    static String checkedText(int status, String contentType, InputStream body) throws IOException {
        if (status != 200) {
            throw new IOException("HTTP status " + status + " (RFC 8461 accepts only 200)");
        }
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("text/plain")) {
            throw new IOException(
                    "Content-Type '"
                            + MtaStsPolicy.printable(contentType)
                            + "', expected text/plain");
        }
        // read at most one byte more than allowed, so a hostile server cannot make us buffer more
        byte[] bytes = body.readNBytes(MtaStsPolicy.MAX_BYTES + 1);
        if (bytes.length > MtaStsPolicy.MAX_BYTES) {
            throw new IOException("policy larger than " + MtaStsPolicy.MAX_BYTES + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
