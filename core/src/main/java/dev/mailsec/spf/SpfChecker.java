package dev.mailsec.spf;

import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * SPF (RFC 7208): check_host() on the MAIL FROM identity, or on the HELO name when MAIL FROM is
 * null (section 2.4), within the limits of section 4.6.4 and a total time ({@link SpfLimits}).
 * Never throws for what DNS or the records hold: every outcome is an {@link SpfResult}. Thread-safe
 * and stateless between checks; share one per DNS source.
 *
 * <pre>{@code
 * SpfChecker spf = new SpfChecker(DnsjavaSpfDns.builder().build(), SpfLimits.defaults());
 * SpfResult r = spf.checkMailFrom(InetAddress.getByName("192.0.2.1"), "a@example.com", "mx.example.com");
 * }</pre>
 */
public final class SpfChecker {

    private final SpfDns dns;
    private final SpfLimits limits;
    private final Clock clock;

    public SpfChecker(SpfDns dns, SpfLimits limits) {
        this(dns, limits, Clock.systemUTC());
    }

    public SpfChecker(SpfDns dns, SpfLimits limits, Clock clock) {
        this.dns = Objects.requireNonNull(dns, "dns");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Checks the MAIL FROM identity; a null or empty {@code mailFrom} (the null reverse-path)
     * checks the HELO identity instead, as section 2.4 says.
     */
    public SpfResult checkMailFrom(InetAddress ip, String mailFrom, String helo) {
        if (mailFrom == null || mailFrom.isEmpty() || mailFrom.equals("<>")) {
            return checkHelo(ip, helo);
        }
        int at = mailFrom.lastIndexOf('@');
        String domain = mailFrom.substring(at + 1);
        String sender = at < 0 ? "postmaster@" + mailFrom : mailFrom;
        if (at == 0) {
            sender = "postmaster" + mailFrom;
        }
        return check(ip, sender, domain, helo, SpfResult.Scope.MAILFROM);
    }

    /** Checks the HELO identity (section 2.3): check_host(ip, helo, "postmaster@" + helo). */
    public SpfResult checkHelo(InetAddress ip, String helo) {
        String h = helo == null ? "" : helo;
        return check(ip, "postmaster@" + h, h, h, SpfResult.Scope.HELO);
    }

    private SpfResult check(
            InetAddress ip, String sender, String domain, String helo, SpfResult.Scope scope) {
        Objects.requireNonNull(ip, "ip");
        String d = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        if (!DomainNames.isCheckable(domain)) {
            return result(
                    SpfResult.Code.NONE,
                    scope,
                    d,
                    sender,
                    ip,
                    helo,
                    "not a checkable domain name",
                    "",
                    List.of());
        }
        Evaluation ev = new Evaluation(dns, limits, clock, ip, sender, helo);
        try {
            Evaluation.Outcome outcome = ev.checkHost(d);
            String explanation = outcome.code == SpfResult.Code.FAIL ? ev.explanation(outcome) : "";
            return result(
                    outcome.code,
                    scope,
                    d,
                    sender,
                    ip,
                    helo,
                    outcome.reason,
                    explanation,
                    ev.log());
        } catch (SpfAbort e) {
            return result(e.code(), scope, d, sender, ip, helo, e.getMessage(), "", ev.log());
        } catch (RuntimeException e) {
            // a fault of ours or of a DNS implementation must not take the mail down with it
            return result(
                    SpfResult.Code.TEMPERROR,
                    scope,
                    d,
                    sender,
                    ip,
                    helo,
                    "internal error: " + e.getClass().getSimpleName(),
                    "",
                    ev.log());
        }
    }

    private static SpfResult result(
            SpfResult.Code code,
            SpfResult.Scope scope,
            String domain,
            String sender,
            InetAddress ip,
            String helo,
            String reason,
            String explanation,
            List<String> lookups) {
        return new SpfResult(
                code,
                scope,
                domain,
                sender,
                DomainNames.ipText(ip),
                helo,
                reason,
                explanation,
                lookups);
    }
}
