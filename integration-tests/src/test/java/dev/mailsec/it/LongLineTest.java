package dev.mailsec.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.it.harness.Delivery;
import dev.mailsec.it.harness.JamesExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 13, finding 8 (one part): James 3.8.1 drops an SMTP line longer than 8192 bytes, answers
 * {@code 500 Line length exceeded} in the middle of DATA, and delivered the message without that
 * line. With {@code dev.mailsec.smtp.RefuseCutMessages} in the handler chain the message is refused
 * with {@code 554 5.6.0} and nothing is delivered; a message with long but legal lines still is.
 */
class LongLineTest {

    @RegisterExtension
    static JamesExtension james =
            JamesExtension.builder()
                    .user("bob@mailsec.test", "secret")
                    .extraSmtpHandlers("<handler class=\"dev.mailsec.smtp.RefuseCutMessages\"/>")
                    .build();

    @Test
    void aMessageWithALineJamesCutIsRefusedAndNotDelivered() throws Exception {
        List<String> replies = sendWithLine("cut line", 10_000);

        assertThat(replies)
                .anyMatch(r -> r.startsWith("500 ") && r.contains("Line length exceeded"));
        assertThat(replies).anyMatch(r -> r.startsWith("554 5.6.0 "));
        assertThat(replies).noneMatch(r -> r.startsWith("250 ") && r.contains("Message received"));

        // a later message on a new connection arrives, so the first had its chance to
        sendWithLine("after the cut", 100);
        james.awaitMessage("bob@mailsec.test", "secret", "after the cut");
        assertThat(james.subjects("bob@mailsec.test", "secret")).doesNotContain("cut line");
    }

    @Test
    void aMessageWithLongButLegalLinesIsDeliveredWhole() throws Exception {
        List<String> replies = sendWithLine("long line", 8_000);

        assertThat(replies).anyMatch(r -> r.startsWith("250 ") && r.contains("Message received"));
        MimeMessage read = james.awaitMessage("bob@mailsec.test", "secret", "long line");
        assertThat(new String(JamesExtension.bytes(read), StandardCharsets.US_ASCII))
                .contains("x".repeat(8_000));
    }

    /**
     * Sends a message with one body line of {@code length} bytes and returns every reply after the
     * final dot.
     */
    private static List<String> sendWithLine(String subject, int length) throws Exception {
        String message =
                "From: alice@client.test\r\nTo: bob@mailsec.test\r\nSubject: "
                        + subject
                        + "\r\n\r\n"
                        + "before\r\n"
                        + "x".repeat(length)
                        + "\r\nafter\r\n";
        try (Socket socket =
                new Socket("127.0.0.1", james.harness().smtpPort(Delivery.Mode.PLAIN))) {
            socket.setSoTimeout(15_000);
            BufferedReader in =
                    new BufferedReader(
                            new InputStreamReader(
                                    socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            reply(in);
            send(out, "EHLO client.test");
            reply(in);
            send(out, "MAIL FROM:<alice@client.test>");
            assertThat(reply(in)).startsWith("250");
            send(out, "RCPT TO:<bob@mailsec.test>");
            assertThat(reply(in)).startsWith("250");
            send(out, "DATA");
            assertThat(reply(in)).startsWith("354");
            send(out, message + ".");
            List<String> replies = new ArrayList<>();
            socket.setSoTimeout(3_000);
            try {
                // the 500 James writes in the middle of DATA, then the answer to the final dot
                while (replies.size() < 2) {
                    replies.add(reply(in));
                    if (replies.get(replies.size() - 1).startsWith("250")) {
                        break;
                    }
                }
            } catch (SocketTimeoutException e) {
                // no further reply
            }
            return replies;
        }
    }

    private static void send(OutputStream out, String line) throws Exception {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String reply(BufferedReader in) throws Exception {
        String line;
        StringBuilder all = new StringBuilder();
        do {
            line = in.readLine();
            assertThat(line).as("SMTP reply").isNotNull();
            all.append(line).append('\n');
        } while (line.length() > 3 && line.charAt(3) == '-');
        return line;
    }
}
