package dev.mailsec.tls.report;

import dev.mailsec.dkim.KeyLookup;
import dev.mailsec.dkim.KeyRecordSource;
import dev.mailsec.dmarc.report.RuaUri;
import dev.mailsec.report.ClaimedReports;
import dev.mailsec.report.CounterStore;
import dev.mailsec.report.ReportSender;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the session counts of finished periods into TLS reports (RFC 8460) and sends them: one
 * report per period and policy domain, to each {@code rua=mailto:} of the domain's {@code
 * _smtp._tls} record as it reads when the report is made. {@code https:} destinations are not
 * supported: they are logged and skipped. A report is forgotten once it went out to one address at
 * least, or when its domain has no (valid) record or no usable address; a DNS failure keeps it for
 * the next run. In a cluster one node claims each report.
 */
public final class TlsReporter {

    private static final Logger LOG = LoggerFactory.getLogger(TlsReporter.class);

    /** What happened (or, in a dry run, would happen) to a report for one URI. */
    public static final class Delivery {
        public final PreparedTlsReport report;
        public final String uri;
        public final boolean send;
        public final String outcome;
        final MimeMessage message;

        Delivery(
                PreparedTlsReport report,
                String uri,
                boolean send,
                String outcome,
                MimeMessage message) {
            this.report = report;
            this.uri = uri;
            this.send = send;
            this.outcome = outcome;
            this.message = message;
        }

        /** The mail that would be sent (a dry run prints it). */
        public Optional<MimeMessage> message() {
            return Optional.ofNullable(message);
        }
    }

    private final CounterStore<TlsSessionRow> store;
    private final KeyRecordSource txt;
    private final String organization;
    private final String email;
    private final String submitter;
    private final long intervalSeconds;

    /**
     * @param txt answers TXT queries for {@code _smtp._tls.<domain>}
     * @param organization {@code organization-name} of the reports
     * @param email the reporting address: {@code contact-info} and From: of the report mails
     * @param submitter our domain: {@code TLS-Report-Submitter}, first part of file names
     * @param interval the reporting period (one day: RFC 8460 section 4.1)
     */
    public TlsReporter(
            CounterStore<TlsSessionRow> store,
            KeyRecordSource txt,
            String organization,
            String email,
            String submitter,
            Duration interval) {
        if (interval.getSeconds() < 1) {
            throw new IllegalArgumentException("interval: at least one second, got " + interval);
        }
        this.store = store;
        this.txt = txt;
        this.organization = organization;
        this.email = email;
        this.submitter = submitter;
        this.intervalSeconds = interval.getSeconds();
    }

    /** The start (epoch seconds) of the period {@code t} falls in; periods align to the epoch. */
    public long periodOf(Instant t) {
        return ClaimedReports.periodOf(t, intervalSeconds);
    }

    /** The reports of periods that started before {@code before} (epoch seconds). */
    public List<PreparedTlsReport> pending(long before) throws IOException {
        List<PreparedTlsReport> out = new ArrayList<>();
        for (CounterStore.Pending p : store.pending(before)) {
            prepare(p.period, p.policyDomain).ifPresent(out::add);
        }
        return out;
    }

    /** The report of one period and domain, if it has sessions; rua read from DNS now. */
    public Optional<PreparedTlsReport> prepare(long period, String policyDomain)
            throws IOException {
        Map<TlsSessionRow, Long> rows = ClaimedReports.rows(store, period, policyDomain);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        long end = period + intervalSeconds - 1;
        String reportId = period + "." + policyDomain + "@" + submitter;
        byte[] json =
                TlsReportJson.write(
                        new TlsReportJson.Metadata(organization, email, reportId, period, end),
                        rows);
        long failures = 0;
        long successes = 0;
        for (Map.Entry<TlsSessionRow, Long> e : rows.entrySet()) {
            if (e.getKey().result().isPresent()) {
                failures += e.getValue();
            } else {
                successes += e.getValue();
            }
        }
        return Optional.of(
                new PreparedTlsReport(
                        period,
                        end,
                        policyDomain,
                        reportId,
                        submitter + "!" + policyDomain + "!" + period + "!" + end + ".json.gz",
                        json,
                        rua(policyDomain),
                        successes,
                        failures));
    }

    /** The rua URIs of the domain's record; {@code IOException} for a DNS failure (try later). */
    private List<String> rua(String policyDomain) throws IOException {
        KeyLookup lookup = txt.lookup("_smtp._tls." + policyDomain);
        switch (lookup.status()) {
            case FOUND:
                return TlsRptRecord.select(lookup.records())
                        .map(TlsRptRecord::rua)
                        .orElse(List.of());
            case TEMPORARY_FAILURE:
                throw new IOException(
                        "TLS reports: temporary DNS failure for _smtp._tls." + policyDomain);
            default:
                return List.of();
        }
    }

    /** Where a report would go and what would stop it. */
    public List<Delivery> plan(PreparedTlsReport report, Instant now) {
        List<Delivery> out = new ArrayList<>();
        if (report.rua().isEmpty()) {
            out.add(
                    new Delivery(
                            report,
                            "",
                            false,
                            "no valid TLS-RPT record at _smtp._tls." + report.policyDomain(),
                            null));
        }
        for (String uri : report.rua()) {
            if (uri.regionMatches(true, 0, "https:", 0, 6)) {
                out.add(new Delivery(report, uri, false, "https rua not supported", null));
                continue;
            }
            Optional<RuaUri> rua = RuaUri.parse(uri);
            if (rua.isEmpty()) {
                out.add(new Delivery(report, uri, false, "unusable URI", null));
                continue;
            }
            try {
                MimeMessage m =
                        TlsReportMail.build(report, email, submitter, rua.get().address(), now);
                out.add(new Delivery(report, uri, true, "send", m));
            } catch (MessagingException e) {
                out.add(new Delivery(report, uri, false, "bad address: " + e, null));
            }
        }
        return out;
    }

    /**
     * Sends every report of periods finished at {@code now} that this node claims, and forgets what
     * went out. Returns what happened to each URI.
     */
    public List<Delivery> sendDue(Instant now, ReportSender sender) throws IOException {
        store.flush();
        List<Delivery> all = new ArrayList<>();
        ClaimedReports.sendEach(
                store,
                store.pending(periodOf(now)),
                p -> true,
                p -> sendOne(p, now, sender, all),
                p -> {});
        return all;
    }

    /** Sends one claimed report, adding what happened to {@code all}; whether to keep it. */
    private boolean sendOne(
            CounterStore.Pending p, Instant now, ReportSender sender, List<Delivery> all) {
        try {
            Optional<PreparedTlsReport> report = prepare(p.period, p.policyDomain);
            boolean failed = false;
            boolean sent = false;
            if (report.isPresent()) {
                for (Delivery d : plan(report.get(), now)) {
                    Delivery done = d;
                    if (d.send) {
                        try {
                            sender.send(d.message);
                            sent = true;
                            done = new Delivery(d.report, d.uri, true, "sent", null);
                        } catch (MessagingException | RuntimeException e) {
                            failed = true;
                            done =
                                    new Delivery(
                                            d.report,
                                            d.uri,
                                            false,
                                            "temporary: cannot send: " + e.getMessage(),
                                            null);
                        }
                    }
                    all.add(done);
                    LOG.info(
                            "TLS report {} to {}: {}",
                            d.report.fileName(),
                            d.uri.isEmpty() ? "-" : d.uri,
                            done.outcome);
                }
            }
            return failed && !sent;
        } catch (IOException e) {
            LOG.warn("TLS report for {}: kept for the next run ({})", p, e.getMessage());
            return true;
        }
    }
}
