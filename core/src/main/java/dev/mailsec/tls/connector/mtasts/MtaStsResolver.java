package dev.mailsec.tls.connector.mtasts;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * Finds the MTA-STS policy of a recipient domain (RFC 8461 section 3.3 and 5.1): looks up the
 * {@code _mta-sts} TXT record; when its {@code id} differs from the cached policy's (or nothing is cached),
 * fetches the policy over HTTPS with certificate validation and no redirects; caches it for
 * {@code max_age}. When the TXT lookup or the fetch fails, an unexpired cached policy is used. Thread-safe.
 */
public final class MtaStsResolver {

    /** Where TXT records come from; the production one asks DNS. */
    public interface TxtLookup {
        /** The TXT records of {@code name}, each with its strings joined; empty when there are none. */
        List<String> txt(String name) throws IOException;
    }

    /** What the resolver found, for printing and for decisions. */
    public static final class Result {
        private final Optional<MtaStsPolicy> policy;
        private final Optional<String> id;
        private final String source;

        Result(Optional<MtaStsPolicy> policy, Optional<String> id, String source) {
            this.policy = policy;
            this.id = id;
            this.source = source;
        }

        /** Empty when the domain has no (valid) MTA-STS policy. */
        public Optional<MtaStsPolicy> policy() {
            return policy;
        }

        public Optional<String> id() {
            return id;
        }

        /** How the answer was reached, e.g. {@code fetched}, {@code cached}, {@code no _mta-sts record}. */
        public String source() {
            return source;
        }
    }

    private static final class Cached {
        final MtaStsPolicy policy;
        final String id;
        final Instant expires;

        Cached(MtaStsPolicy policy, String id, Instant expires) {
            this.policy = policy;
            this.id = id;
            this.expires = expires;
        }
    }

    private final TxtLookup dns;
    private final HttpClient http;
    private final Function<String, URI> policyUri;
    private final Duration timeout;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    /**
     * @param policyUri where a domain's policy is served; production: {@link #wellKnownUri(String)}
     * @param tls the TLS context validating the policy host's certificate (RFC 8461 section 3.3 requires a
     *            valid chain and name)
     */
    public MtaStsResolver(TxtLookup dns, SSLContext tls, Function<String, URI> policyUri, Duration timeout, Clock clock) {
        this.dns = dns;
        this.policyUri = policyUri;
        this.timeout = timeout;
        this.clock = clock;
        this.http = HttpClient.newBuilder().sslContext(tls).followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(timeout).build();
    }

    /** {@code https://mta-sts.DOMAIN/.well-known/mta-sts.txt}. */
    public static URI wellKnownUri(String domain) {
        return URI.create("https://mta-sts." + domain + "/.well-known/mta-sts.txt");
    }

    /** The policy of {@code domain} (lower-case ASCII), fetching or reusing the cache as the RFC says. */
    public Result resolve(String domain) {
        String key = domain.toLowerCase(Locale.ROOT);
        Optional<Cached> cached = Optional.ofNullable(cache.get(key)).filter(c -> clock.instant().isBefore(c.expires));
        Optional<MtaStsRecord> record;
        try {
            record = record(key);
        } catch (IOException dnsFailure) {
            return cached.map(c -> new Result(Optional.of(c.policy), Optional.of(c.id),
                    "cached (TXT lookup failed: " + MtaStsPolicy.printable(String.valueOf(dnsFailure.getMessage())) + ")"))
                .orElse(new Result(Optional.empty(), Optional.empty(),
                    "TXT lookup failed: " + MtaStsPolicy.printable(String.valueOf(dnsFailure.getMessage()))));
        }
        if (record.isEmpty()) {
            // RFC 8461 section 5.1: a cached, unexpired policy still applies when the record disappears
            return cached.map(c -> new Result(Optional.of(c.policy), Optional.of(c.id), "cached (no _mta-sts record now)"))
                .orElse(new Result(Optional.empty(), Optional.empty(), "no _mta-sts record"));
        }
        String id = record.get().id();
        if (cached.isPresent() && cached.get().id.equals(id)) {
            return new Result(Optional.of(cached.get().policy), Optional.of(id), "cached");
        }
        try {
            MtaStsPolicy policy = fetch(key);
            cache.put(key, new Cached(policy, id, clock.instant().plusSeconds(policy.maxAgeSeconds())));
            return new Result(Optional.of(policy), Optional.of(id), "fetched");
        } catch (IOException | IllegalArgumentException fetchFailure) {
            String why = MtaStsPolicy.printable(String.valueOf(fetchFailure.getMessage()));
            return cached.map(c -> new Result(Optional.of(c.policy), Optional.of(c.id), "cached (fetch failed: " + why + ")"))
                .orElse(new Result(Optional.empty(), Optional.of(id), "policy fetch failed: " + why));
        }
    }

    private Optional<MtaStsRecord> record(String domain) throws IOException {
        List<MtaStsRecord> records = new ArrayList<>();
        for (String txt : dns.txt("_mta-sts." + domain)) {
            MtaStsRecord.parse(txt).ifPresent(records::add);
        }
        // RFC 8461 section 3.1: more than one STSv1 record means none
        return records.size() == 1 ? Optional.of(records.get(0)) : Optional.empty();
    }

    private MtaStsPolicy fetch(String domain) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(policyUri.apply(domain)).timeout(timeout).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP status " + response.statusCode() + " (RFC 8461 accepts only 200)");
            }
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (!type.toLowerCase(Locale.ROOT).startsWith("text/plain")) {
                throw new IOException("Content-Type '" + MtaStsPolicy.printable(type) + "', expected text/plain");
            }
            // read at most one byte more than allowed, so a hostile server cannot make us buffer more
            byte[] bytes = body.readNBytes(MtaStsPolicy.MAX_BYTES + 1);
            if (bytes.length > MtaStsPolicy.MAX_BYTES) {
                throw new IOException("policy larger than " + MtaStsPolicy.MAX_BYTES + " bytes");
            }
            return MtaStsPolicy.parse(new String(bytes, StandardCharsets.UTF_8));
        }
    }
}
