package dev.mailsec.dmarc.report;

import dev.mailsec.report.ReportMessage;
import java.time.Instant;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

/**
 * The mail that carries a report to one rua address (RFC 7489 section 7.2.1.1): subject {@code
 * Report Domain: D Submitter: S Report-ID: <ID>}, a short text part and the gzipped XML as an
 * {@code application/gzip} attachment under the report's file name.
 */
public final class ReportMail {

    private ReportMail() {}

    /** The message from {@code from} (the reporting address) to {@code to}. */
    public static MimeMessage build(
            PreparedReport report, String from, String receiver, String to, Instant now)
            throws MessagingException {
        MimeMessage m =
                ReportMessage.start(from, to, report.policyDomain(), receiver, report.reportId());
        return ReportMessage.finish(
                m,
                now,
                "This is a DMARC aggregate report (RFC 7489) from "
                        + receiver
                        + " for "
                        + report.policyDomain()
                        + ": "
                        + report.messages()
                        + " messages in "
                        + report.records()
                        + " records.\r\n",
                report.gzip(),
                "application/gzip",
                report.fileName(),
                new MimeMultipart("mixed"));
    }

    /** The size of the message as it would be sent, for the rua's {@code !size} limit. */
    public static long size(MimeMessage m) throws MessagingException {
        return ReportMessage.size(m);
    }
}
