package dev.mailsec.dmarc.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Date;
import java.util.Properties;
import javax.activation.DataHandler;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.util.ByteArrayDataSource;

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
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
        m.setFrom(new InternetAddress(from, true));
        m.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(to, true));
        m.setSubject(
                "Report Domain: "
                        + report.policyDomain()
                        + " Submitter: "
                        + receiver
                        + " Report-ID: <"
                        + report.reportId()
                        + ">",
                "UTF-8");
        m.setSentDate(Date.from(now));
        MimeBodyPart text = new MimeBodyPart();
        text.setText(
                "This is a DMARC aggregate report (RFC 7489) from "
                        + receiver
                        + " for "
                        + report.policyDomain()
                        + ": "
                        + report.messages()
                        + " messages in "
                        + report.records()
                        + " records.\r\n",
                "UTF-8");
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setDataHandler(
                new DataHandler(new ByteArrayDataSource(report.gzip(), "application/gzip")));
        attachment.setFileName(report.fileName());
        attachment.setDisposition(MimeBodyPart.ATTACHMENT);
        attachment.setHeader("Content-Transfer-Encoding", "base64");
        MimeMultipart multipart = new MimeMultipart("mixed");
        multipart.addBodyPart(text);
        multipart.addBodyPart(attachment);
        m.setContent(multipart);
        m.saveChanges();
        return m;
    }

    /** The size of the message as it would be sent, for the rua's {@code !size} limit. */
    public static long size(MimeMessage m) throws MessagingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            m.writeTo(out);
        } catch (IOException e) {
            throw new MessagingException("cannot write the report mail", e);
        }
        return out.size();
    }
}
