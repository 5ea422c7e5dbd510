package dev.mailsec.mailets.tls;

import dev.mailsec.config.ConfigException;
import dev.mailsec.config.InitParameters;
import dev.mailsec.config.Parameters;
import dev.mailsec.mailets.report.ReportMailets;
import dev.mailsec.report.CounterRecorder;
import dev.mailsec.report.CounterStore;
import dev.mailsec.report.ReportSchedule;
import dev.mailsec.tls.report.TlsReportStores;
import dev.mailsec.tls.report.TlsReporter;
import dev.mailsec.tls.report.TlsSessionRow;
import dev.mailsec.tls.report.TlsSessions;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import javax.inject.Inject;
import javax.mail.MessagingException;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * TLS reporting (RFC 8460) for this James: at start it becomes the JVM's {@link TlsSessions} sink,
 * so every outbound session of the pack's reporting deliveries ({@code ConnectorsRemoteDelivery},
 * {@code ConnectorRemoteDelivery} and {@code MtaStsRemoteDelivery} with {@code
 * mail.smtp.class=dev.mailsec.tls.report.ReportingSmtpTransport}) is counted per reporting period
 * and recipient (policy) domain in a store, and, from a scheduler of its own, sends each finished
 * period's report to the {@code rua=mailto:} addresses of the domain's {@code _smtp._tls} record
 * through James ({@code MailetContext.sendMail}: the report runs the pipeline from {@code root}, so
 * the outbound {@code SignDkim} signs it). Mail passing through it is untouched: put it once
 * anywhere in the pipeline. A store fault never stops delivery: it is logged and counted.
 *
 * <pre>{@code
 * <mailet match="All" class="dev.mailsec.mailets.tls.SendTlsReports">
 *     <store>jdbc:postgresql://db.example.com:5432/mail?user=mailsec</store>
 *     <orgName>Example Mail</orgName>
 *     <reportEmail>tls-reports@example.com</reportEmail>
 * </mailet>
 * }</pre>
 *
 * Optional: {@code submitter} (our domain in the report; default the domain of reportEmail), {@code
 * schema} ({@value TlsReportStores#DEFAULT_SCHEMA}), {@code interval} (P1D), {@code checkEvery}
 * (PT1M), {@code maxRowsPerDomain} (10000), {@code sendReports} (true), {@code dnsServers}, {@code
 * dnsTimeoutMillis} or {@code zoneFile} (the {@code _smtp._tls} lookups).
 */
public class SendTlsReports extends GenericMailet {

    static final String STORE = ReportMailets.STORE;
    static final String SCHEMA = ReportMailets.SCHEMA;
    static final String ORG_NAME = ReportMailets.ORG_NAME;
    static final String REPORT_EMAIL = ReportMailets.REPORT_EMAIL;
    static final String SUBMITTER = "submitter";
    static final String INTERVAL = ReportMailets.INTERVAL;
    static final String CHECK_EVERY = ReportMailets.CHECK_EVERY;
    static final String MAX_ROWS = ReportMailets.MAX_ROWS;
    static final String SEND_REPORTS = ReportMailets.SEND_REPORTS;
    private static final String NAME = "SendTlsReports";
    private static final Set<String> PARAMETERS =
            ReportMailets.withDnsParameters(
                    STORE,
                    SCHEMA,
                    ORG_NAME,
                    REPORT_EMAIL,
                    SUBMITTER,
                    INTERVAL,
                    CHECK_EVERY,
                    MAX_ROWS,
                    SEND_REPORTS);

    private final Clock clock;
    private CounterRecorder<TlsSessionRow> recorder;
    private TlsReporter reporter;
    private ReportSchedule schedule;
    private TlsSessions.Sink sink;

    @Inject
    public SendTlsReports() {
        this(Clock.systemUTC());
    }

    /** For tests: a clock. */
    public SendTlsReports(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void init() throws MessagingException {
        InitParameters.checkKnown(NAME, getInitParameterNames(), PARAMETERS);
        Parameters p = Parameters.of(NAME, this::getInitParameter).engineMessages();
        try {
            ReportMailets.Settings s =
                    new ReportMailets.Settings(
                            p, TlsReportStores.DEFAULT_SCHEMA, SUBMITTER, Duration.ofDays(7));
            CounterStore<TlsSessionRow> store =
                    ReportMailets.openStore(NAME, s.url, s.schema, TlsReportStores.ROWS, s.maxRows);
            recorder = new CounterRecorder<>(store, "TLS reports");
            reporter =
                    new TlsReporter(
                            store,
                            ReportMailets.txt(NAME, p),
                            s.orgName,
                            s.email,
                            s.submitter,
                            s.interval);
            schedule =
                    s.schedule(
                            "TLS reports",
                            store,
                            now ->
                                    reporter.sendDue(
                                            now,
                                            m ->
                                                    ReportMailets.send(
                                                            getMailetContext(), s.email, m)),
                            clock);
            sink = row -> recorder.record(reporter.periodOf(clock.instant()), row);
            TlsSessions.install(sink);
            schedule.start();
        } catch (ConfigException e) {
            throw new MessagingException(e.getMessage(), e);
        }
    }

    /** Mail is untouched: sessions are recorded by the deliveries. */
    @Override
    public void service(Mail mail) {}

    /** Sessions counted, not counted (full period) and lost to store faults since the start. */
    public long[] counters() {
        return new long[] {recorder.recorded(), recorder.dropped(), recorder.failures()};
    }

    /** For tests: one scheduler run now (flush, then send what is due). */
    void runReportsNow() {
        schedule.runOnce();
    }

    @Override
    public void destroy() {
        if (sink != null) {
            TlsSessions.uninstall(sink);
        }
        if (schedule != null) {
            schedule.stop();
        }
    }

    @Override
    public String getMailetInfo() {
        return "SendTlsReports: records outbound TLS sessions and sends RFC 8460 TLS reports";
    }
}
