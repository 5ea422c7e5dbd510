package dev.mailsec.mailets.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeaderChangesTest {

    private static final Session SESSION = Session.getDefaultInstance(new Properties());

    @ParameterizedTest
    @ValueSource(
            strings = {
                "text/plain;; charset=utf-8; ; ",
                "text/plain; charset=\"utf-8",
                "text/plain; format=flowed; delsp",
                "multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain;; x\r\n\r\nnested\r\n--b--",
                "multipart/mixed; boundary=never-used",
            })
    void saveShouldKeepTheHeaderAndTheBodyAsReceivedWhenTheMimeStructureDoesNotParse(
            String contentType) throws Exception {
        String raw =
                "From: a@example.com\r\nSubject: s\r\nContent-Type: "
                        + contentType
                        + (contentType.contains("\r\n\r\n") ? "" : "\r\n\r\nbody line\r\n");
        MimeMessage message =
                new MimeMessage(
                        SESSION, new ByteArrayInputStream(raw.getBytes(StandardCharsets.US_ASCII)));
        assertThatThrownBy(message::saveChanges)
                .as("JavaMail itself refuses this structure")
                .isInstanceOf(MessagingException.class);
        message =
                new MimeMessage(
                        SESSION, new ByteArrayInputStream(raw.getBytes(StandardCharsets.US_ASCII)));

        message.addHeader("X-Added", "ours");
        Mail mail = FakeMail.builder().name("m").mimeMessage(message).build();

        HeaderChanges.save(mail);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mail.getMessage().writeTo(out);
        String written = out.toString(StandardCharsets.US_ASCII);
        assertThat(written).contains("\r\nX-Added: ours\r\n");
        String body = raw.substring(raw.indexOf("\r\n\r\n"));
        assertThat(written).endsWith(body);
        assertThat(written).contains("\r\nContent-Type: " + contentType.split("\r\n")[0].strip());

        // saved: writing it again does not retry the failing saveChanges()
        out.reset();
        mail.getMessage().writeTo(out);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(written);
    }

    @Test
    void saveShouldStillFailWhenTheMessageCannotBeRead() throws Exception {
        MimeMessage message =
                new MimeMessage(SESSION) {
                    @Override
                    protected InputStream getContentStream() throws MessagingException {
                        throw new MessagingException("source gone", new IOException("disk error"));
                    }
                };
        message.setHeader("Content-Type", "multipart/mixed; boundary=b");
        message.addHeader("X-Added", "ours");

        Mail mail = FakeMail.builder().name("m").mimeMessage(message).build();

        assertThatThrownBy(() -> HeaderChanges.save(mail))
                .isInstanceOf(MessagingException.class)
                .hasRootCauseInstanceOf(IOException.class);
    }
}
