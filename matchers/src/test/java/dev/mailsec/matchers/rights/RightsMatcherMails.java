package dev.mailsec.matchers.rights;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.apache.mailet.Matcher;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMatcherConfig;

/** Mails and matcher set-up shared by the rights matcher tests. */
final class RightsMatcherMails {

    private RightsMatcherMails() {}

    /** A message from alice, to bob (inside) and carol (outside) unless recipients are given. */
    static FakeMail mail(String headersAndBody, String... recipients) throws Exception {
        MimeMessage m =
                new MimeMessage(
                        Session.getInstance(new Properties()),
                        new ByteArrayInputStream(
                                ("From: alice@mailsec.test\r\nSubject: s\r\nMIME-Version: 1.0\r\n"
                                                + headersAndBody)
                                        .getBytes(StandardCharsets.US_ASCII)));
        return FakeMail.builder()
                .name("m")
                .mimeMessage(m)
                .recipients(
                        recipients.length == 0
                                ? new String[] {"bob@mailsec.test", "carol@external.test"}
                                : recipients)
                .build();
    }

    static <M extends Matcher> M init(M matcher, String name, String condition)
            throws MessagingException {
        FakeMatcherConfig.Builder config = FakeMatcherConfig.builder().matcherName(name);
        if (condition != null) {
            config.condition(condition);
        }
        matcher.init(config.build());
        return matcher;
    }
}
