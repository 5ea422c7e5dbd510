package dev.mailsec.mailets.report;

import dev.mailsec.authentication.DnsParameters;
import dev.mailsec.config.Parameters;
import dev.mailsec.dkim.KeyRecordSource;
import dev.mailsec.mail.DomainName;
import dev.mailsec.report.CountedRow;
import dev.mailsec.report.CounterStore;
import dev.mailsec.report.CounterStores;
import dev.mailsec.report.ReportSchedule;
import dev.mailsec.report.RowKind;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.mail.Address;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import org.apache.james.core.MailAddress;
import org.apache.mailet.MailetContext;

/**
 * What the report-sending mailets (DMARC aggregate reports, TLS reports) share: their store, the
 * TXT lookups for report destinations, the reporting address and how a report mail enters James.
 */
public final class ReportMailets {

    public static final String STORE = "store";
    public static final String SCHEMA = "schema";
    public static final String ORG_NAME = "orgName";
    public static final String REPORT_EMAIL = "reportEmail";
    public static final String INTERVAL = "interval";
    public static final String CHECK_EVERY = "checkEvery";
    public static final String MAX_ROWS = "maxRowsPerDomain";
    public static final String SEND_REPORTS = "sendReports";

    private ReportMailets() {}

    /** The parameters every report mailet reads, read in this order; a bad one fails the start. */
    public static final class Settings {
        public final String url;
        public final String schema;
        public final String orgName;
        public final String email;

        /** Our domain in the reports (parameter {@code submitterName}; default reportEmail's). */
        public final String submitter;

        public final Duration interval;
        public final Duration every;
        public final int maxRows;
        public final boolean send;

        /**
         * Reads {@code p}: {@code schema} defaults to {@code defaultSchema}, {@code interval} (P1D)
         * is at most {@code maxInterval}.
         */
        public Settings(
                Parameters p, String defaultSchema, String submitterName, Duration maxInterval) {
            url = p.required(STORE);
            schema = p.optional(SCHEMA, defaultSchema);
            orgName = p.required(ORG_NAME);
            email = p.required(REPORT_EMAIL, ReportMailets::address);
            submitter =
                    p.optional(submitterName, ReportMailets::domain)
                            .orElse(
                                    email.substring(email.lastIndexOf('@') + 1)
                                            .toLowerCase(Locale.ROOT));
            interval =
                    p.duration(
                            INTERVAL,
                            ChronoUnit.SECONDS,
                            Duration.ofDays(1),
                            Duration.ofSeconds(1),
                            maxInterval);
            every =
                    p.duration(
                            CHECK_EVERY,
                            ChronoUnit.SECONDS,
                            Duration.ofMinutes(1),
                            Duration.ofSeconds(1),
                            Duration.ofHours(1));
            maxRows = (int) p.integer(MAX_ROWS, 10_000, 1, 1_000_000);
            send = p.bool(SEND_REPORTS, true);
        }

        /**
         * The scheduler that runs {@code job} every {@code checkEvery} (if {@code sendReports}).
         */
        public ReportSchedule schedule(
                String label, CounterStore<?> store, ReportSchedule.Job job, Clock clock) {
            return new ReportSchedule(label, store, job, clock, send, every);
        }
    }

    /** Opens the store named by parameter {@code store}; the start fails naming it. */
    public static <R extends CountedRow> CounterStore<R> openStore(
            String mailet, String url, String schema, RowKind<R> kind, int maxRows)
            throws MessagingException {
        try {
            return CounterStores.openWhenReachable(url, schema, kind, maxRows);
        } catch (IllegalArgumentException e) {
            throw new MessagingException(mailet + ": store: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new MessagingException(
                    mailet + ": store: cannot open the store: " + e.getMessage(), e);
        }
    }

    /** A parameter value that must be a mail address. */
    public static String address(String value) {
        try {
            InternetAddress a = new InternetAddress(value, true);
            if (a.getAddress().indexOf('@') < 0) {
                throw new IllegalArgumentException("must be a mail address, got '" + value + "'");
            }
            return a.getAddress();
        } catch (AddressException e) {
            throw new IllegalArgumentException("must be a mail address, got '" + value + "'", e);
        }
    }

    /** A parameter value that must be a domain name. */
    public static String domain(String value) {
        return DomainName.normalize(value)
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "must be a domain name, got '" + value + "'"));
    }

    /**
     * TXT lookups: a zone file ({@code zoneFile}) or DNS ({@code dnsServers}, {@code
     * dnsTimeoutMillis}, {@code dnsCacheSize}), read as every DNS-asking step reads them.
     */
    public static KeyRecordSource txt(String mailet, Parameters p) {
        return DnsParameters.read(mailet, p).txt();
    }

    /** A report mailet's parameter names, with the DNS ones every DNS-asking step takes. */
    public static Set<String> withDnsParameters(String... names) {
        Set<String> all = new LinkedHashSet<>(Arrays.asList(names));
        all.addAll(DnsParameters.NAMES);
        return Set.copyOf(all);
    }

    /**
     * Into James from {@code root}, envelope from the reporting address to the mail's To:, so the
     * pipeline's outbound steps (SignDkim) apply to it.
     */
    public static void send(MailetContext context, String from, MimeMessage message)
            throws MessagingException {
        List<MailAddress> to = new ArrayList<>();
        for (Address a : message.getRecipients(Message.RecipientType.TO)) {
            to.add(new MailAddress((InternetAddress) a));
        }
        context.sendMail(new MailAddress(from), to, message);
    }
}
