package dev.mailsec.report;

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
 * What the mails carrying a report share (DMARC aggregate reports, TLS reports): subject {@code
 * Report Domain: D Submitter: S Report-ID: <ID>}, a short text part and the gzipped report as an
 * attachment under its file name.
 */
public final class ReportMessage {

    private ReportMessage() {}

    /** From {@code from} (the reporting address) to {@code to}, with the report's subject. */
    public static MimeMessage start(
            String from, String to, String policyDomain, String submitter, String reportId)
            throws MessagingException {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
        m.setFrom(new InternetAddress(from, true));
        m.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(to, true));
        m.setSubject(
                "Report Domain: "
                        + policyDomain
                        + " Submitter: "
                        + submitter
                        + " Report-ID: <"
                        + reportId
                        + ">",
                "UTF-8");
        return m;
    }

    /**
     * Dates {@code m} {@code now} and gives it {@code multipart} as body: {@code text}, then {@code
     * gzip} as a base64 attachment of type {@code mediaType} named {@code fileName}.
     */
    public static MimeMessage finish(
            MimeMessage m,
            Instant now,
            String text,
            byte[] gzip,
            String mediaType,
            String fileName,
            MimeMultipart multipart)
            throws MessagingException {
        m.setSentDate(Date.from(now));
        MimeBodyPart textPart = new MimeBodyPart();
        textPart.setText(text, "UTF-8");
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(gzip, mediaType)));
        attachment.setFileName(fileName);
        attachment.setDisposition(MimeBodyPart.ATTACHMENT);
        attachment.setHeader("Content-Transfer-Encoding", "base64");
        multipart.addBodyPart(textPart);
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
