package dev.mailsec.report;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

/**
 * Hands a report mail (a DMARC aggregate report, a TLS report) to the mail server: James's
 * MailetContext, SMTP, a test.
 */
@FunctionalInterface
public interface ReportSender {
    void send(MimeMessage message) throws MessagingException;
}
