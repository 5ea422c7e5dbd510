package dev.mailsec.matchers.smime;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.apache.mailet.base.test.FakeMail;

/** A message with a given Content-Type, to bob and dave. */
final class SmimeMails {

    private SmimeMails() {}

    static FakeMail mail(String contentType) throws Exception {
        MimeMessage m =
                new MimeMessage(
                        Session.getInstance(new Properties()),
                        new ByteArrayInputStream(
                                ("From: a@example.test\r\nContent-Type: "
                                                + contentType
                                                + "\r\n\r\nx\r\n")
                                        .getBytes(StandardCharsets.US_ASCII)));
        return FakeMail.builder()
                .name("m")
                .mimeMessage(m)
                .recipients("bob@example.test", "dave@example.test")
                .build();
    }
}
