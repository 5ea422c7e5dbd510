package dev.mailsec.tls.report;

import java.time.Instant;
import java.util.Date;
import java.util.Properties;
import javax.activation.DataHandler;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.ContentType;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.util.ByteArrayDataSource;

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
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
        m.setFrom(new InternetAddress(from, true));
        m.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(to, true));
        m.setSubject(
                "Report Domain: "
                        + report.policyDomain()
                        + " Submitter: "
                        + submitter
                        + " Report-ID: <"
                        + report.reportId()
                        + ">",
                "UTF-8");
        m.setHeader("TLS-Report-Domain", report.policyDomain());
        m.setHeader("TLS-Report-Submitter", submitter);
        m.setSentDate(Date.from(now));
        MimeBodyPart text = new MimeBodyPart();
        text.setText(
                "This is an aggregate TLS report (RFC 8460) from "
                        + submitter
                        + " for "
                        + report.policyDomain()
                        + ": "
                        + report.successes()
                        + " successful and "
                        + report.failures()
                        + " failed sessions.\r\n",
                "UTF-8");
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setDataHandler(
                new DataHandler(new ByteArrayDataSource(report.gzip(), MEDIA_TYPE)));
        attachment.setFileName(report.fileName());
        attachment.setDisposition(MimeBodyPart.ATTACHMENT);
        attachment.setHeader("Content-Transfer-Encoding", "base64");
        MimeMultipart multipart = new ReportMultipart();
        multipart.addBodyPart(text);
        multipart.addBodyPart(attachment);
        m.setContent(multipart);
        m.saveChanges();
        return m;
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
