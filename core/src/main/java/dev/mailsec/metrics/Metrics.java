package dev.mailsec.metrics;

import dev.mailsec.metrics.MetricSink.Stopwatch;
import java.util.Objects;

/**
 * The pack's metrics, by name: one method per event, so the names (all {@code mailsec_...}, listed
 * with their meaning in docs/metrics.md) are made in this one place. A name carries its dimension
 * as a suffix ({@code mailsec_dkim_result_pass}): James's metrics (Dropwizard) have names, not
 * labels; docs/metrics.md shows the Prometheus relabelling that turns the suffix into a label. A
 * suffix from configuration or a verdict is reduced to {@code [a-z0-9_]} (at most {@value
 * #MAX_SUFFIX} characters), so a name is always a valid JMX and Prometheus name.
 *
 * <p>Adapters hold an instance (James gives its {@code MetricFactory} to the mailets, which wrap it
 * with {@code JamesMetrics}); engines deep under several callers (DNS, DKM reads, outbound TLS
 * sessions) report to {@link #global()}, the instance the last James adapter {@linkplain #install
 * installed} for this JVM, as {@code TlsSessions} does for TLS reports. Reporting never throws into
 * mail processing.
 */
public final class Metrics {

    static final int MAX_SUFFIX = 64;

    /** Reports nothing (unit tests, the CLI). */
    public static final Metrics NONE = new Metrics(MetricSink.NONE);

    private static volatile Metrics global = NONE;

    private final MetricSink sink;

    public Metrics(MetricSink sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** The JVM's instance for engines (NONE until an adapter installs one). */
    public static Metrics global() {
        return global;
    }

    /** Makes {@code m} the JVM's instance for engines (the latest installed wins). */
    public static void install(Metrics m) {
        global = Objects.requireNonNull(m, "metrics");
    }

    /**
     * Counts one DKIM signature result (RFC 8601 keyword), or {@code none} for an unsigned mail.
     */
    public void dkimResult(String verdict) {
        count("mailsec_dkim_result_", verdict);
    }

    /** Times one DNS question to the configured servers (all tries). */
    public Stopwatch dnsLookup() {
        return start("mailsec_dns_lookup");
    }

    /** A DNS question that got no answer from any server (timeout, SERVFAIL, network error). */
    public void dnsFailure() {
        increment("mailsec_dns_lookup_failure");
    }

    /** A DNS answer looked up in the pack's cache: found there or not. */
    public void dnsCache(boolean hit) {
        increment(hit ? "mailsec_dns_cache_hit" : "mailsec_dns_cache_miss");
    }

    /** A mail refused because its session or sender broke the inbound connector. */
    public void inboundRefused(String connector) {
        count("mailsec_inbound_refused_", connector);
    }

    /**
     * One outbound TLS session (RFC 8460 policy type {@code sts}, {@code tlsa}, {@code
     * no-policy-found}): {@code failure} empty for a success, else its RFC 8460 result type.
     */
    public void outboundSession(String policyType, String failure) {
        String level = suffix(policyType);
        if (failure == null || failure.isEmpty()) {
            increment("mailsec_outbound_tls_" + level + "_success");
        } else {
            increment("mailsec_outbound_tls_" + level + "_failure_" + suffix(failure));
        }
    }

    /**
     * An outbound connector's server certificate refused (chain or expected name): the delivery to
     * that partner waits or bounces.
     */
    public void outboundCertificateRefused(String connector) {
        count("mailsec_outbound_certificate_refused_", connector);
    }

    /** One S/MIME operation ({@code sign}, {@code encrypt}, {@code decrypt}, {@code verify}). */
    public void smime(String operation) {
        count("mailsec_smime_", operation);
    }

    /** One S/MIME operation that failed (the mail went to the error or configured processor). */
    public void smimeFailure(String operation) {
        increment("mailsec_smime_" + suffix(operation) + "_failure");
    }

    /** A message rights-protected (once per protected message). */
    public void rightsProtected() {
        increment("mailsec_rights_protected");
    }

    /** A protected message opened by a reader (portal or gateway decryption). */
    public void rightsOpened() {
        increment("mailsec_rights_opened");
    }

    /** A protected message refused to a reader or a forward, by reason (e.g. {@code revoked}). */
    public void rightsRefused(String reason) {
        count("mailsec_rights_refused_", reason);
    }

    /**
     * A mail held in a repository for the operator ({@code HoldInRepository}), by the repository's
     * last path segment ({@code file://var/mail/dmarc-quarantine/} counts as {@code
     * dmarc_quarantine}).
     */
    public void held(String repositoryPath) {
        String path = repositoryPath == null ? "" : repositoryPath;
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        count("mailsec_quarantine_held_", path.substring(path.lastIndexOf('/') + 1));
    }

    /** Times one read of a secret from the DKM store (cache misses only). */
    public Stopwatch dkmFetch() {
        return start("mailsec_dkm_fetch");
    }

    /** A DKM read that failed (store unreachable, refused, broken). */
    public void dkmFailure() {
        increment("mailsec_dkm_fetch_failure");
    }

    /** One portal answer, by HTTP status. */
    public void portalRequest(int status) {
        increment("mailsec_portal_requests_" + (status >= 100 && status <= 599 ? status : 0));
    }

    private void count(String prefix, String value) {
        increment(prefix + suffix(value));
    }

    private void increment(String name) {
        try {
            sink.increment(name);
        } catch (RuntimeException e) {
            // a metric never stops mail
        }
    }

    private Stopwatch start(String name) {
        try {
            Stopwatch s = sink.start(name);
            return () -> {
                try {
                    s.stop();
                } catch (RuntimeException e) {
                    // a metric never stops mail
                }
            };
        } catch (RuntimeException e) {
            return () -> {};
        }
    }

    /**
     * A name part from a verdict or a configured name: lower case, runs of other characters as one
     * {@code _}, at most {@value #MAX_SUFFIX} characters; {@code other} when nothing is left.
     */
    static String suffix(String value) {
        if (value == null) {
            return "other";
        }
        StringBuilder b = new StringBuilder(Math.min(value.length(), MAX_SUFFIX));
        for (int i = 0; i < value.length() && b.length() < MAX_SUFFIX; i++) {
            char c = Character.toLowerCase(value.charAt(i));
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                b.append(c);
            } else if (b.length() > 0 && b.charAt(b.length() - 1) != '_') {
                b.append('_');
            }
        }
        while (b.length() > 0 && b.charAt(b.length() - 1) == '_') {
            b.setLength(b.length() - 1);
        }
        return b.length() == 0 ? "other" : b.toString();
    }
}
