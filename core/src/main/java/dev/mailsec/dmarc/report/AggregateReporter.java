package dev.mailsec.dmarc.report;

import dev.mailsec.report.ClaimedReports;
import dev.mailsec.report.CounterStore;
import dev.mailsec.report.ReportSender;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the counters of finished periods into reports and sends them: one report per period and
 * policy domain, to each of its record's {@code rua=mailto:} addresses that passes external
 * destination verification and whose {@code !size} limit the report mail fits (RFC 7489 section
 * 7.2.1: a report over the limit is not sent to that address; the RFC gives aggregate reports no
 * way to split). The rows of a report are forgotten once it went out to one address at least, or
 * when every address refused it for good; a DNS failure keeps them for the next run. In a cluster
 * one node claims each report.
 */
public final class AggregateReporter {

    private static final Logger LOG = LoggerFactory.getLogger(AggregateReporter.class);

    /** What happened (or, in a dry run, would happen) to a report for one address. */
    public static final class Delivery {
        public final PreparedReport report;
        public final String uri;
        public final String to;
        public final long size;
        public final boolean send;
        public final String outcome;
        final MimeMessage message;

        Delivery(
                PreparedReport report,
                String uri,
                String to,
                long size,
                boolean send,
                String outcome,
                MimeMessage message) {
            this.report = report;
            this.uri = uri;
            this.to = to;
            this.size = size;
            this.send = send;
            this.outcome = outcome;
            this.message = message;
        }

        boolean temporary() {
            return outcome.startsWith("temporary");
        }
    }

    private final CounterStore<ReportRow> store;
    private final ReportDestinations destinations;
    private final String orgName;
    private final String email;
    private final String receiver;
    private final long intervalSeconds;

    private final ReportPeriods periods;

    /**
     * @param orgName {@code org_name} of the reports
     * @param email the reporting address: {@code email} of the reports and From: of their mails
     * @param receiver this receiver's domain, first part of the file names
     * @param interval the receiver's reporting period (one day by default); a domain whose record
     *     asks a shorter {@code ri} gets it, see {@link ReportingInterval}
     */
    public AggregateReporter(
            CounterStore<ReportRow> store,
            ReportDestinations destinations,
            String orgName,
            String email,
            String receiver,
            Duration interval) {
        if (interval.getSeconds() < 1) {
            throw new IllegalArgumentException("interval: at least one second, got " + interval);
        }
        this.store = store;
        this.destinations = destinations;
        this.orgName = orgName;
        this.email = email;
        this.receiver = receiver;
        this.intervalSeconds = interval.getSeconds();
        this.periods = new ReportPeriods(intervalSeconds);
    }

    /**
     * The start (epoch seconds) of the receiver-interval period {@code t} falls in; periods align
     * to the epoch.
     */
    public long periodOf(Instant t) {
        return ClaimedReports.periodOf(t, intervalSeconds);
    }

    /**
     * The start of the period {@code t} falls in for {@code row}'s policy domain, whose length
     * follows its record's {@code ri} ({@link ReportingInterval}); remembered for {@link #sendDue}.
     */
    public long periodOf(Instant t, ReportRow row) {
        return periods.startOf(t, row);
    }

    /** The reports of periods finished at {@code now}. */
    public List<PreparedReport> due(Instant now) throws IOException {
        List<CounterStore.Pending> finished = new ArrayList<>();
        for (CounterStore.Pending p : store.pending(now.getEpochSecond())) {
            if (periods.finished(store, p, now)) {
                finished.add(p);
            }
        }
        return prepareAll(finished, Long.MIN_VALUE);
    }

    /** The reports (finished or not) of periods that start on {@code day} (UTC). */
    public List<PreparedReport> forDay(LocalDate day) throws IOException {
        long from = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        long to = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        List<CounterStore.Pending> pending = store.pending(to);
        return prepareAll(pending, from);
    }

    private List<PreparedReport> prepareAll(List<CounterStore.Pending> pending, long from)
            throws IOException {
        List<PreparedReport> out = new ArrayList<>();
        for (CounterStore.Pending p : pending) {
            if (p.period >= from) {
                prepare(p.period, p.policyDomain).ifPresent(out::add);
            }
        }
        return out;
    }

    /** The report of one period and domain, if it has rows. */
    public Optional<PreparedReport> prepare(long period, String policyDomain) throws IOException {
        Map<ReportRow, Long> rows = ClaimedReports.rows(store, period, policyDomain);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        String record = ReportPeriods.mostUsedRecord(rows);
        PublishedPolicy policy = PublishedPolicy.parse(policyDomain, record);
        long end = period + ReportingInterval.seconds(policy.ri(), intervalSeconds) - 1;
        String reportId = period + "." + policyDomain + "@" + receiver;
        byte[] xml =
                AggregateReportXml.write(
                        new AggregateReportXml.Metadata(orgName, email, reportId, period, end),
                        policy,
                        rows);
        String fileName = receiver + "!" + policyDomain + "!" + period + "!" + end + ".xml.gz";
        long messages = rows.values().stream().mapToLong(Long::longValue).sum();
        return Optional.of(
                new PreparedReport(
                        period,
                        policyDomain,
                        reportId,
                        fileName,
                        xml,
                        policy.rua(),
                        messages,
                        rows.size()));
    }

    /** Where a report would go and what would stop it: verification, size, the URI itself. */
    public List<Delivery> plan(PreparedReport report, Instant now) {
        List<Delivery> out = new ArrayList<>();
        for (String uri : report.rua()) {
            Optional<RuaUri> rua = RuaUri.parse(uri);
            if (rua.isEmpty()) {
                out.add(new Delivery(report, uri, "", 0, false, ignored(uri), null));
                continue;
            }
            String to = rua.get().address();
            ReportDestinations.Verdict verdict =
                    destinations.check(report.policyDomain(), rua.get());
            if (verdict == ReportDestinations.Verdict.TEMPORARY) {
                out.add(new Delivery(report, uri, to, 0, false, "temporary DNS failure", null));
                continue;
            }
            if (verdict == ReportDestinations.Verdict.REFUSED) {
                out.add(
                        new Delivery(
                                report,
                                uri,
                                to,
                                0,
                                false,
                                "refused: no "
                                        + report.policyDomain()
                                        + "._report._dmarc."
                                        + rua.get().domain()
                                        + " record (RFC 7489 7.1)",
                                null));
                continue;
            }
            try {
                MimeMessage m = ReportMail.build(report, email, receiver, to, now);
                long size = ReportMail.size(m);
                if (rua.get().maxBytes().isPresent() && size > rua.get().maxBytes().getAsLong()) {
                    out.add(
                            new Delivery(
                                    report,
                                    uri,
                                    to,
                                    size,
                                    false,
                                    "too big: "
                                            + size
                                            + " bytes over the URI's limit of "
                                            + rua.get().maxBytes().getAsLong(),
                                    null));
                } else {
                    out.add(new Delivery(report, uri, to, size, true, "send", m));
                }
            } catch (MessagingException e) {
                out.add(new Delivery(report, uri, to, 0, false, "bad address: " + e, null));
            }
        }
        return out;
    }

    /**
     * Why a rua URI gets nothing: only mailto: is supported (RFC 7489 section 6.2 asks no more).
     */
    private static String ignored(String uri) {
        int colon = uri.indexOf(':');
        boolean mailto = colon > 0 && uri.substring(0, colon).trim().equalsIgnoreCase("mailto");
        return mailto
                ? "ignored: not a valid mailto: address"
                : "ignored: only mailto: URIs are supported (RFC 7489 6.2)";
    }

    /**
     * Sends every report of periods finished at {@code now} that this node claims, and forgets what
     * went out. Returns what happened to each address.
     */
    public List<Delivery> sendDue(Instant now, ReportSender sender) throws IOException {
        store.flush();
        List<Delivery> all = new ArrayList<>();
        List<CounterStore.Pending> pending = store.pending(now.getEpochSecond());
        periods.retain(pending);
        ClaimedReports.sendEach(
                store,
                pending,
                p -> periods.finished(store, p, now),
                p -> sendOne(p, now, sender, all),
                periods::forget);
        return all;
    }

    /** Sends one claimed report, adding what happened to {@code all}; whether to keep it. */
    private boolean sendOne(
            CounterStore.Pending p, Instant now, ReportSender sender, List<Delivery> all)
            throws IOException {
        Optional<PreparedReport> report = prepare(p.period, p.policyDomain);
        boolean temporary = false;
        boolean sent = false;
        if (report.isPresent()) {
            for (Delivery d : plan(report.get(), now)) {
                Delivery done = d;
                if (d.send) {
                    try {
                        sender.send(d.message);
                        sent = true;
                        done = new Delivery(d.report, d.uri, d.to, d.size, true, "sent", null);
                    } catch (MessagingException | RuntimeException e) {
                        done =
                                new Delivery(
                                        d.report,
                                        d.uri,
                                        d.to,
                                        d.size,
                                        false,
                                        "temporary: cannot send: " + e.getMessage(),
                                        null);
                    }
                }
                temporary |= done.temporary();
                all.add(done);
                LOG.info("DMARC report {} to {}: {}", d.report.fileName(), d.uri, done.outcome);
            }
        }
        return temporary && !sent;
    }
}
