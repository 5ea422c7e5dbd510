package dev.mailsec.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.it.harness.JamesExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 13, finding 4: a slightly malformed Content-Type made VerifyDkim and AddTlsTrace throw from
 * JavaMail's saveChanges() ("expected parameter name"), so the mail went to the error processor
 * instead of bob. In a real James 3.8.1, each such mail is delivered with its
 * Authentication-Results and TLS trace headers, its Content-Type and body exactly as sent; James's
 * own RemoveMimeHeader and SetMimeHeader after ours, with onMailetException=ignore as in the sample
 * pipeline, still make their change.
 */
class MalformedContentTypeTest {

    private static final Path ZONE = emptyZoneFile();

    @RegisterExtension
    static JamesExtension james =
            JamesExtension.builder()
                    .user("bob@mailsec.test", "secret")
                    .rootMailets(
                            ""
                                    + "<mailet match=\"All\" class=\"dev.mailsec.mailets.dkim.VerifyDkim\">\n"
                                    + "  <authservId>mx.mailsec.test</authservId>\n"
                                    + "  <zoneFile>"
                                    + ZONE
                                    + "</zoneFile>\n"
                                    + "</mailet>\n"
                                    + "<mailet match=\"All\" class=\"dev.mailsec.mailets.AddTlsTrace\"/>\n"
                                    // James's own header mailets after ours, as in the sample
                                    // pipeline: they call saveChanges()
                                    // unguarded, so the sample gives them onMailetException=ignore
                                    + "<mailet match=\"All\" class=\"RemoveMimeHeader\"><name>X-Mailsec-Transport</name>"
                                    + "<onMailetException>ignore</onMailetException></mailet>\n"
                                    + "<mailet match=\"All\" class=\"SetMimeHeader\"><name>X-Marked</name><value>by James</value>"
                                    + "<onMailetException>ignore</onMailetException></mailet>\n")
                    .build();

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "empty parameters|text/plain;; charset=utf-8; ; ",
                "unclosed quote|text/plain; charset=\"utf-8",
                "parameter without value|text/plain; format=flowed; delsp",
                "nested part|multipart/mixed; boundary=\"b\"",
            })
    void mailWithAMalformedContentTypeIsDeliveredWithOurHeaders(String subject, String contentType)
            throws Exception {
        String body =
                subject.equals("nested part")
                        ? "--b\r\nContent-Type: text/plain;; charset=utf-8\r\n\r\nnested text\r\n--b--\r\n"
                        : "plain text, hostile header\r\n";
        String raw =
                "From: alice@client.test\r\nTo: bob@mailsec.test\r\nSubject: "
                        + subject
                        + "\r\nMessage-ID: <"
                        + subject.replace(' ', '.')
                        + "@client.test>\r\nMIME-Version: 1.0\r\n"
                        + "X-Mailsec-Transport: forged, so that RemoveMimeHeader saves changes\r\n"
                        + "Content-Type: "
                        + contentType
                        + "\r\n\r\n"
                        + body;
        james.sendRaw(raw.getBytes(StandardCharsets.US_ASCII), "bob@mailsec.test");

        MimeMessage read = james.awaitMessage("bob@mailsec.test", "secret", subject);

        assertThat(read.getHeader("Authentication-Results")).hasSize(1);
        assertThat(
                        MimeUtility.unfold(read.getHeader("Authentication-Results")[0])
                                .replaceAll("\\s+", " "))
                .startsWith("mx.mailsec.test; dkim=none");
        assertThat(read.getHeader("X-Mailsec-TLS")).containsExactly("none; received in clear");
        assertThat(read.getHeader("X-Mailsec-Transport")).isNull();
        assertThat(read.getHeader("X-Marked")).containsExactly("by James");
        assertThat(read.getHeader("Content-Type")).hasSize(1);
        assertThat(read.getHeader("Content-Type")[0].strip()).isEqualTo(contentType.strip());
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        read.writeTo(stored);
        assertThat(stored.toString(StandardCharsets.US_ASCII)).endsWith("\r\n\r\n" + body);
    }

    private static Path emptyZoneFile() {
        try {
            Path dir = Files.createTempDirectory("mailsec-malformed-ct");
            return Files.writeString(dir.resolve("empty.zone"), "; no keys\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
