package dev.mailsec.tls.report;

import dev.mailsec.report.ReportMessage;
import java.time.Instant;
import javax.mail.MessagingException;
import javax.mail.internet.ContentType;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

/**
 * The mail that carries a TLS report to one {@code rua=mailto:} address (RFC 8460 section 5.3):
 * {@code TLS-Report-Domain} and {@code TLS-Report-Submitter} header fields, subject {@code Report
 * Domain: D Submitter: S Report-ID: <ID>}, a {@code multipart/report; report-type="tlsrpt"} body
 * with a short text part and the gzipped JSON as {@code application/tlsrpt+gzip}.
 */
public final class TlsReportMail {

    /** The attachment's media type (RFC 8460 section 6.4). */
    public static final String MEDIA_TYPE = "application/tlsrpt+gzip";

    private TlsReportMail() {}

    /** The message from {@code from} (the reporting address) to {@code to}. */
    public static MimeMessage build(
            PreparedTlsReport report, String from, String submitter, String to, Instant now)
            throws MessagingException {
        MimeMessage m =
                ReportMessage.start(from, to, report.policyDomain(), submitter, report.reportId());
        m.setHeader("TLS-Report-Domain", report.policyDomain());
        m.setHeader("TLS-Report-Submitter", submitter);
        return ReportMessage.finish(
                m,
                now,
                "This is an aggregate TLS report (RFC 8460) from "
                        + submitter
                        + " for "
                        + report.policyDomain()
                        + ": "
                        + report.successes()
                        + " successful and "
                        + report.failures()
                        + " failed sessions.\r\n",
                report.gzip(),
                MEDIA_TYPE,
                report.fileName(),
                new ReportMultipart());
    }

    /** {@code multipart/report; report-type="tlsrpt"} (RFC 6522, RFC 8460 section 5.3). */
    private static final class ReportMultipart extends MimeMultipart {
        ReportMultipart() throws MessagingException {
            super("report");
            ContentType type = new ContentType(contentType);
            type.setParameter("report-type", "tlsrpt");
            contentType = type.toString();
        }
    }
}
