package dev.mailsec.mailets.mime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.authres.MethodResult;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.Test;

class OurAuthenticationResultsTest {

    private static final Session SESSION = Session.getDefaultInstance(new Properties());

    private static Mail mail(String headers) throws Exception {
        String raw = headers + "From: a@example.com\r\nSubject: s\r\n\r\nbody\r\n";
        return FakeMail.builder()
                .name("m")
                .mimeMessage(
                        new MimeMessage(
                                SESSION,
                                new ByteArrayInputStream(raw.getBytes(StandardCharsets.US_ASCII))))
                .build();
    }

    private static String[] fields(Mail mail) throws Exception {
        return mail.getMessage().getHeader("Authentication-Results");
    }

    @Test
    void laterChecksShareTheFirstChecksFieldAndForgedFieldsAreGone() throws Exception {
        Mail mail =
                mail(
                        "Authentication-Results: mx.example.net; dkim=pass header.d=forged.test\r\n"
                                + "Authentication-Results: other.example; spf=pass\r\n");

        OurAuthenticationResults.add(
                mail,
                "mx.example.net",
                List.of(
                        MethodResult.builder("spf", "fail")
                                .property("smtp", "mailfrom", "a@example.com")
                                .build()));
        OurAuthenticationResults.add(
                mail, "mx.example.net", List.of(MethodResult.builder("dkim", "none").build()));

        String[] fields = fields(mail);
        assertThat(fields).hasSize(2);
        assertThat(fields[0].replaceAll("\\s+", " "))
                .isEqualTo("mx.example.net; spf=fail smtp.mailfrom=a@example.com; dkim=none");
        assertThat(fields[1]).isEqualTo("other.example; spf=pass");
    }

    @Test
    void aForgedFieldArrivingAfterOursWasWrittenIsNotAppendedTo() throws Exception {
        Mail mail = mail("");
        OurAuthenticationResults.add(
                mail, "mx.example.net", List.of(MethodResult.builder("dkim", "none").build()));
        // a field claiming our id that we did not write must not be taken for ours on a fresh mail
        Mail other = mail("Authentication-Results: mx.example.net; arc=pass\r\n");
        OurAuthenticationResults.add(
                other, "mx.example.net", List.of(MethodResult.builder("dkim", "none").build()));

        assertThat(fields(other)).hasSize(1);
        assertThat(fields(other)[0].replaceAll("\\s+", " ")).isEqualTo("mx.example.net; dkim=none");
        assertThat(fields(mail)[0].replaceAll("\\s+", " ")).isEqualTo("mx.example.net; dkim=none");
    }
}
