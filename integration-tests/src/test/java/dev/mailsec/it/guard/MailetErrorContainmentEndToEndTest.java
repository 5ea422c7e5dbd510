package dev.mailsec.it.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.it.harness.Delivery;
import dev.mailsec.it.harness.JamesExtension;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 13: no {@code Error} from a mailet of ours reaches James's spooler. A mailet whose work
 * runs inside {@code PerMailGuard} and overflows the stack on some mails: James 3.8.1 routes each
 * of those by the mailet's {@code onMailetException}, and the spooler, two threads here, goes on
 * delivering. Without the guard ({@code guarded=false}) the second such mail has killed both
 * threads and nothing is delivered any more.
 */
class MailetErrorContainmentEndToEndTest {

    static final int OVERFLOWING = 6;

    @RegisterExtension
    static JamesExtension james =
            JamesExtension.builder()
                    .user("dave@mailsec.test", "secret")
                    .rootMailets(
                            ""
                                    + "<mailet match=\"All\" class=\"dev.mailsec.it.guard.OverflowingMailet\">\n"
                                    + "  <onMailetException>contained</onMailetException>\n"
                                    + "</mailet>\n")
                    .extraProcessors(
                            ""
                                    + "<processor state=\"contained\" enableJmx=\"false\">\n"
                                    + "  <mailet match=\"All\" class=\"SetMimeHeader\"><name>X-Route</name><value>contained</value></mailet>\n"
                                    + "  <mailet match=\"All\" class=\"ToProcessor\"><processor>transport</processor></mailet>\n"
                                    + "</processor>\n")
                    .build();

    @Test
    void mailsThatOverflowTheStackGoToOnMailetExceptionAndTheSpoolGoesOn() throws Exception {
        for (int i = 0; i < OVERFLOWING; i++) {
            james.send(
                    Delivery.plain()
                            .from("mallory@client.test")
                            .to("dave@mailsec.test")
                            .subject("overflow " + i)
                            .body("x"));
        }
        james.send(
                Delivery.plain()
                        .from("alice@client.test")
                        .to("dave@mailsec.test")
                        .subject("after the overflows")
                        .body("still here"));

        MimeMessage after =
                james.awaitMessage("dave@mailsec.test", "secret", "after the overflows");
        assertThat(after.getHeader("X-Route")).isNull();
        for (int i = 0; i < OVERFLOWING; i++) {
            assertThat(
                            james.awaitMessage("dave@mailsec.test", "secret", "overflow " + i)
                                    .getHeader("X-Route"))
                    .containsExactly("contained");
        }
    }
}
