package dev.mailsec.mailets.dmarc;

import dev.mailsec.authentication.DnsParameters;
import dev.mailsec.config.ConfigException;
import dev.mailsec.config.InitParameters;
import dev.mailsec.config.Parameters;
import dev.mailsec.dkim.KeyRecordSource;
import dev.mailsec.dmarc.report.AggregateReporter;
import dev.mailsec.dmarc.report.ReportDestinations;
import dev.mailsec.dmarc.report.ReportRow;
import dev.mailsec.dmarc.report.ReportRows;
import dev.mailsec.dmarc.report.ReportStores;
import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.mailets.report.ReportMailets;
import dev.mailsec.report.CounterRecorder;
import dev.mailsec.report.CounterStore;
import dev.mailsec.report.ReportSchedule;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import javax.inject.Inject;
import javax.mail.MessagingException;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * Records each mail's DMARC evaluation for aggregate reports (RFC 7489 section 7.2): reads the
 * results VerifyDkim, VerifySpf and VerifyDmarc left on the mail (issue 17's attribute contract),
 * counts the row in a store per reporting period and policy domain, and, from a scheduler of its
 * own, sends each finished period's report to the record's {@code rua=mailto:} addresses through
 * James ({@code MailetContext.sendMail}: the report mail runs the whole pipeline from {@code root},
 * so the outbound {@code SignDkim} signs it). Mail whose DMARC record has no rua is not recorded. A
 * store fault never stops mail: it is logged and counted.
 *
 * <pre>{@code
 * <mailet match="All" class="dev.mailsec.mailets.dmarc.RecordDmarcResult">
 *     <store>jdbc:postgresql://db.example.com:5432/mail?user=mailsec</store>
 *     <orgName>Example Mail</orgName>
 *     <reportEmail>dmarc-reports@example.com</reportEmail>
 * </mailet>
 * }</pre>
 *
 * Optional: {@code receiver} (domain in report file names; default the domain of reportEmail),
 * {@code schema} ({@value ReportStores#DEFAULT_SCHEMA}), {@code interval} (the longest reporting
 * period, default and at most P1D; a record's {@code ri} may ask a shorter one, down to an hour),
 * {@code checkEvery} (PT1M), {@code maxRowsPerDomain} (10000), {@code sendReports} (true), and for
 * external destination verification the DNS parameters of the other DMARC steps ({@link
 * DnsParameters}: {@code zoneFile}, or {@code dnsServers}, {@code dnsTimeoutMillis}, {@code
 * dnsCacheSize}). Periods align to the epoch (UTC midnight for days).
 */
public class RecordDmarcResult extends GenericMailet {

    static final String STORE = ReportMailets.STORE;
    static final String SCHEMA = ReportMailets.SCHEMA;
    static final String ORG_NAME = ReportMailets.ORG_NAME;
    static final String REPORT_EMAIL = ReportMailets.REPORT_EMAIL;
    static final String RECEIVER = "receiver";
    static final String INTERVAL = ReportMailets.INTERVAL;
    static final String CHECK_EVERY = ReportMailets.CHECK_EVERY;
    static final String MAX_ROWS = ReportMailets.MAX_ROWS;
    static final String SEND_REPORTS = ReportMailets.SEND_REPORTS;
    private static final Set<String> PARAMETERS =
            ReportMailets.withDnsParameters(
                    STORE,
                    SCHEMA,
                    ORG_NAME,
                    REPORT_EMAIL,
                    RECEIVER,
                    INTERVAL,
                    CHECK_EVERY,
                    MAX_ROWS,
                    SEND_REPORTS);

    private final Clock clock;
    private CounterStore<ReportRow> store;
    private CounterRecorder<ReportRow> recorder;
    private AggregateReporter reporter;
    private ReportSchedule schedule;

    @Inject
    public RecordDmarcResult() {
        this(Clock.systemUTC());
    }

    /** For tests: a clock. */
    public RecordDmarcResult(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void init() throws MessagingException {
        InitParameters.checkKnown("RecordDmarcResult", getInitParameterNames(), PARAMETERS);
        Parameters p = Parameters.of("RecordDmarcResult", this::getInitParameter).engineMessages();
        try {
            ReportMailets.Settings s =
                    new ReportMailets.Settings(
                            p, ReportStores.DEFAULT_SCHEMA, RECEIVER, Duration.ofDays(1));
            KeyRecordSource txt = ReportMailets.txt("RecordDmarcResult", p);
            store =
                    ReportMailets.openStore(
                            "RecordDmarcResult", s.url, s.schema, ReportStores.ROWS, s.maxRows);
            recorder = new CounterRecorder<>(store, "DMARC reports");
            reporter =
                    new AggregateReporter(
                            store,
                            new ReportDestinations(txt),
                            s.orgName,
                            s.email,
                            s.submitter,
                            s.interval);
            schedule =
                    s.schedule(
                            "DMARC reports",
                            store,
                            now ->
                                    reporter.sendDue(
                                            now,
                                            m ->
                                                    ReportMailets.send(
                                                            getMailetContext(), s.email, m)),
                            clock);
            schedule.start();
        } catch (ConfigException e) {
            throw new MessagingException(e.getMessage(), e);
        }
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        PerMailGuard.run(getClass().getSimpleName(), () -> record(mail));
    }

    private void record(Mail mail) {
        var dmarc = ReportAttributes.map(mail, ReportAttributes.DMARC);
        if (dmarc != null && dmarc.getOrDefault("sourceIp", "").isEmpty()) {
            dmarc.put("sourceIp", mail.getRemoteAddr());
        }
        String envelopeDomain =
                mail.getMaybeSender().asOptional().map(a -> a.getDomain().asString()).orElse("");
        ReportRows.from(
                        dmarc,
                        ReportAttributes.list(mail, ReportAttributes.DKIM),
                        ReportAttributes.map(mail, ReportAttributes.SPF),
                        envelopeDomain)
                .ifPresent(row -> recorder.record(reporter.periodOf(clock.instant(), row), row));
    }

    /** Mails counted, not counted (full period) and lost to store faults since the start. */
    public long[] counters() {
        return new long[] {recorder.recorded(), recorder.dropped(), recorder.failures()};
    }

    /** For tests: one scheduler run now (flush, then send what is due). */
    void runReportsNow() {
        schedule.runOnce();
    }

    @Override
    public void destroy() {
        if (schedule != null) {
            schedule.stop();
        }
    }

    @Override
    public String getMailetInfo() {
        return "RecordDmarcResult: records DMARC results and sends aggregate reports";
    }
}
