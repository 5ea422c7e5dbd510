package dev.mailsec.tls.report;

import dev.mailsec.metrics.Metrics;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where outbound TLS session results go: the recording API every delivery path calls (the SMTP
 * transport of RemoteDelivery, the MTA-STS resolution, later DANE). One sink per JVM, installed by
 * the reporting mailet ({@code SendTlsReports}); without one, results are dropped. Recording never
 * throws: a sink's fault is logged at most once a minute and delivery goes on.
 */
public final class TlsSessions {

    private static final Logger LOG = LoggerFactory.getLogger(TlsSessions.class);

    /** Takes one session result. */
    @FunctionalInterface
    public interface Sink {
        void record(TlsSessionRow row);
    }

    private static final Sink NONE = row -> {};
    private static volatile Sink sink = NONE;
    private static final AtomicLong lastLog = new AtomicLong(Long.MIN_VALUE / 2);

    private TlsSessions() {}

    /** Makes {@code s} the sink of this JVM (the latest installed wins). */
    public static void install(Sink s) {
        sink = s;
    }

    /** Removes {@code s} if it is still the sink. */
    public static void uninstall(Sink s) {
        if (sink == s) {
            sink = NONE;
        }
    }

    /** Counts one session (or policy) result; never throws. */
    public static void record(TlsSessionRow row) {
        Metrics.global()
                .outboundSession(
                        row.policy().type().value(),
                        row.result().map(TlsResultType::value).orElse(null));
        try {
            sink.record(row);
        } catch (RuntimeException e) {
            long now = System.currentTimeMillis();
            long last = lastLog.get();
            if (now - last >= 60_000 && lastLog.compareAndSet(last, now)) {
                LOG.warn(
                        "TLS reports: cannot record a session ({}); delivery goes on",
                        e.toString());
            }
        }
    }

    /** A successful TLS session to an MX host of {@code policy}'s domain. */
    public static void success(TlsPolicy policy) {
        record(TlsSessionRow.success(policy));
    }

    /** A failed session or policy. */
    public static void failure(
            TlsPolicy policy,
            TlsResultType result,
            String sendingMtaIp,
            String receivingMxHostname,
            String receivingIp) {
        record(
                TlsSessionRow.failure(
                        policy, result, sendingMtaIp, receivingMxHostname, receivingIp));
    }
}
