package dev.mailsec.matchers.connector;

import static dev.mailsec.matchers.connector.ConnectorIsTest.init;
import static dev.mailsec.matchers.connector.ConnectorIsTest.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.Matcher;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connectors file: {@link ConnectorIsTest#CONNECTORS}. */
class RecipientConnectorIsTest {

    @TempDir Path dir;

    @Test
    void recipientConnectorIsShouldSplitRecipientsByFirstCoveringConnector() throws Exception {
        Path file = write(dir);
        Matcher bank = init(new RecipientConnectorIs(), "bank," + file);
        Matcher bankMx = init(new RecipientConnectorIs(), "bank-mx," + file);
        Mail mail =
                FakeMail.builder()
                        .name("m")
                        .recipients(
                                "a@bank.test", "b@eu.bank.test", "c@mx.bank.test", "d@other.test")
                        .build();

        assertThat(bank.match(mail))
                .containsExactly(new MailAddress("a@bank.test"), new MailAddress("b@eu.bank.test"));
        assertThat(bankMx.match(mail)).containsExactly(new MailAddress("c@mx.bank.test"));
    }

    @Test
    void recipientConnectorIsShouldFailOnUnknownConnectorOrFile() throws Exception {
        Path file = write(dir);
        assertThatThrownBy(() -> init(new RecipientConnectorIs(), "nope," + file))
                .isInstanceOf(MessagingException.class)
                .hasMessage(
                        "RecipientConnectorIs: no outbound connector 'nope' in "
                                + file
                                + "; defined: bank-mx, bank");
        assertThatThrownBy(() -> init(new RecipientConnectorIs(), "bank," + dir.resolve("x.xml")))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("x.xml: no such file");
        assertThatThrownBy(() -> init(new RecipientConnectorIs(), ","))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("got ','");
    }

    @Test
    void recipientConnectorIsAnyShouldMatchEveryCoveredRecipient() throws Exception {
        Path file = write(dir);
        Matcher any = init(new RecipientConnectorIs(), "*," + file);
        Mail mail =
                FakeMail.builder()
                        .name("m")
                        .recipients("a@bank.test", "c@mx.bank.test", "d@other.test")
                        .build();

        assertThat(any.match(mail))
                .containsExactly(new MailAddress("a@bank.test"), new MailAddress("c@mx.bank.test"));
    }
}
