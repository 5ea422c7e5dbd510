package dev.mailsec.tls.published;

import static dev.mailsec.tls.published.InboundFinding.Level.FAIL;
import static dev.mailsec.tls.published.InboundFinding.Level.OK;
import static dev.mailsec.tls.published.InboundFinding.Level.WARN;

import dev.mailsec.tls.connector.mtasts.MtaStsPolicy;
import dev.mailsec.tls.connector.mtasts.MtaStsRecord;
import dev.mailsec.tls.connector.mtasts.SocketPolicyFetcher;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/**
 * Checks one of our domains from outside, as a sending MTA would see it: the {@code _mta-sts} TXT
 * record (RFC 8461 section 3.1), the policy fetched over HTTPS with a certificate validated for
 * {@code mta-sts.DOMAIN} (section 3.3), its syntax and that its {@code id} is the one derived from
 * its content ({@link OwnPolicy#idOf}), the MX hosts against the policy's mx patterns (section
 * 4.1), each MX host's STARTTLS, certificate and TLSA ({@link MxCheck}), and the {@code _smtp._tls}
 * TLS-RPT record (RFC 8460 section 3). Never throws for what the domain's servers do.
 */
public final class InboundCheck {

    /** Below a day, senders refetch often and a broken policy server soon matters. */
    static final long SHORT_MAX_AGE = 86_400L;

    private final InboundDns dns;
    private final SSLContext policyTls;
    private final int httpsPort;
    private final Duration timeout;
    private final MxCheck mxCheck;

    /**
     * @param trust what the policy host's and the MX hosts' chains must chain to
     * @param smtpPort 25 except in tests; {@code httpsPort} likewise 443
     */
    public InboundCheck(
            InboundDns dns,
            X509TrustManager trust,
            int smtpPort,
            int httpsPort,
            Duration timeout,
            String helo,
            Clock clock) {
        this.dns = dns;
        this.httpsPort = httpsPort;
        this.timeout = timeout;
        try {
            this.policyTls = SSLContext.getInstance("TLS");
            policyTls.init(null, new X509TrustManager[] {trust}, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM cannot create a TLS context", e);
        }
        this.mxCheck = new MxCheck(dns, trust, new MxProbe(timeout, helo), smtpPort, clock);
    }

    /** Every finding for {@code domain}, in the order a sender meets them. */
    public List<InboundFinding> check(String domain) {
        List<InboundFinding> findings = new ArrayList<>();
        Consumer<InboundFinding> out = findings::add;
        String name = domain.toLowerCase(Locale.ROOT);
        Optional<MtaStsRecord> record = record(name, out);
        Optional<MtaStsPolicy> policy = policy(name, record, out);
        mx(name, policy, out);
        tlsRpt(name, out);
        return findings;
    }

    /** True when no finding failed. */
    public static boolean passed(List<InboundFinding> findings) {
        return findings.stream().noneMatch(f -> f.level() == FAIL);
    }

    private Optional<MtaStsRecord> record(String domain, Consumer<InboundFinding> out) {
        String name = "_mta-sts." + domain;
        List<String> txt;
        try {
            txt = dns.txt(name);
        } catch (IOException e) {
            out.accept(
                    new InboundFinding(FAIL, "_mta-sts", "TXT lookup failed: " + e.getMessage()));
            return Optional.empty();
        }
        List<MtaStsRecord> records = new ArrayList<>();
        for (String text : txt) {
            if (text.trim().startsWith("v=STSv1")) {
                Optional<MtaStsRecord> parsed = MtaStsRecord.parse(text);
                if (parsed.isEmpty()) {
                    out.accept(
                            new InboundFinding(
                                    FAIL,
                                    "_mta-sts",
                                    "bad record '"
                                            + MxProbe.printable(text)
                                            + "' (needs id=1 to 32 letters or digits)"));
                    return Optional.empty();
                }
                records.add(parsed.get());
            }
        }
        if (records.size() != 1) {
            out.accept(
                    new InboundFinding(
                            FAIL,
                            "_mta-sts",
                            records.isEmpty()
                                    ? "no v=STSv1 TXT record at "
                                            + name
                                            + ": senders do not look for a policy"
                                    : records.size()
                                            + " v=STSv1 records at "
                                            + name
                                            + ": RFC 8461 says senders then use none"));
            return Optional.empty();
        }
        out.accept(new InboundFinding(OK, "_mta-sts", name + " TXT \"" + records.get(0) + "\""));
        return Optional.of(records.get(0));
    }

    private Optional<MtaStsPolicy> policy(
            String domain, Optional<MtaStsRecord> record, Consumer<InboundFinding> out) {
        String url = "https://mta-sts." + domain + "/.well-known/mta-sts.txt";
        String text;
        try {
            text =
                    new SocketPolicyFetcher(dns::addresses, policyTls, httpsPort, timeout)
                            .fetchText(domain);
        } catch (IOException e) {
            out.accept(
                    new InboundFinding(
                            FAIL,
                            "policy",
                            "cannot fetch "
                                    + url
                                    + ": "
                                    + MxProbe.printable(String.valueOf(e.getMessage()))));
            return Optional.empty();
        }
        out.accept(
                new InboundFinding(
                        OK,
                        "policy",
                        "fetched " + url + " (certificate valid for mta-sts." + domain + ")"));
        MtaStsPolicy policy;
        try {
            policy = MtaStsPolicy.parse(text);
        } catch (IllegalArgumentException e) {
            out.accept(new InboundFinding(FAIL, "policy", "bad syntax: " + e.getMessage()));
            return Optional.empty();
        }
        out.accept(
                new InboundFinding(
                        policy.mode() == MtaStsPolicy.Mode.ENFORCE ? OK : WARN,
                        "policy",
                        policy.toString()
                                + (policy.mode() == MtaStsPolicy.Mode.ENFORCE
                                        ? ""
                                        : " (not enforced: senders still deliver without TLS)")));
        if (policy.maxAgeSeconds() < SHORT_MAX_AGE) {
            out.accept(
                    new InboundFinding(
                            WARN,
                            "policy",
                            "max_age "
                                    + policy.maxAgeSeconds()
                                    + " is under a day (RFC 8461 suggests weeks)"));
        }
        String contentId = OwnPolicy.idOf(text);
        record.ifPresent(
                r ->
                        out.accept(
                                r.id().equals(contentId)
                                        ? new InboundFinding(
                                                OK,
                                                "policy id",
                                                r.id() + " is the id of the policy served")
                                        : new InboundFinding(
                                                FAIL,
                                                "policy id",
                                                "_mta-sts id "
                                                        + r.id()
                                                        + " is not "
                                                        + contentId
                                                        + ", the id of the policy served: senders holding an older policy keep it; publish the record `mailsec tls mta-sts records` prints")));
        return Optional.of(policy);
    }

    private void mx(String domain, Optional<MtaStsPolicy> policy, Consumer<InboundFinding> out) {
        List<String> hosts;
        try {
            hosts = dns.mx(domain);
        } catch (IOException e) {
            out.accept(new InboundFinding(FAIL, "mx", "MX lookup failed: " + e.getMessage()));
            return;
        }
        if (hosts.isEmpty() || hosts.equals(List.of("."))) {
            out.accept(
                    new InboundFinding(FAIL, "mx", domain + " has no MX host that accepts mail"));
            return;
        }
        for (String host : hosts) {
            if (policy.isPresent()) {
                boolean allowed = policy.get().allowsMx(host);
                out.accept(
                        new InboundFinding(
                                allowed ? OK : FAIL,
                                "mx",
                                host
                                        + (allowed
                                                ? " is allowed by the policy"
                                                : " is NOT in the policy's mx patterns "
                                                        + policy.get().mxPatterns()
                                                        + ": enforcing senders will not deliver to it")));
            }
            mxCheck.check(host, out);
        }
    }

    private void tlsRpt(String domain, Consumer<InboundFinding> out) {
        String name = "_smtp._tls." + domain;
        List<String> records = new ArrayList<>();
        try {
            for (String text : dns.txt(name)) {
                if (text.trim().startsWith("v=TLSRPTv1")) {
                    records.add(text.trim());
                }
            }
        } catch (IOException e) {
            out.accept(
                    new InboundFinding(FAIL, "_smtp._tls", "TXT lookup failed: " + e.getMessage()));
            return;
        }
        if (records.isEmpty()) {
            out.accept(
                    new InboundFinding(
                            WARN,
                            "_smtp._tls",
                            "no TLS-RPT record: no sender reports failures to us"));
        } else if (records.size() > 1) {
            out.accept(
                    new InboundFinding(
                            FAIL,
                            "_smtp._tls",
                            records.size()
                                    + " v=TLSRPTv1 records: RFC 8460 says senders then report to none"));
        } else {
            Optional<String> problem = TlsRptRecord.problem(records.get(0));
            out.accept(
                    problem.isPresent()
                            ? new InboundFinding(
                                    FAIL,
                                    "_smtp._tls",
                                    "bad record '"
                                            + MxProbe.printable(records.get(0))
                                            + "': "
                                            + problem.get())
                            : new InboundFinding(
                                    OK, "_smtp._tls", name + " TXT \"" + records.get(0) + "\""));
        }
    }
}
