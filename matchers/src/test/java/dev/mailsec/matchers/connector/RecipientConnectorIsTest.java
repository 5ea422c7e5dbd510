package dev.mailsec.matchers.connector;

import static dev.mailsec.matchers.connector.ConnectorIsTest.init;
import static dev.mailsec.matchers.connector.ConnectorIsTest.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.config.reload.ReloadAudit;
import dev.mailsec.config.reload.ReloadableFile;
import dev.mailsec.tls.connector.ConnectorAttributeNames;
import dev.mailsec.tls.connector.Connectors;
import dev.mailsec.tls.connector.LiveConnectors;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.AttributeName;
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

    @Test
    void afterAReloadEveryMatcherShouldDecideAMailUnderTheGenerationItWasFirstRoutedUnder()
            throws Exception {
        Path file =
                Files.writeString(
                        dir.resolve("connectors.xml"),
                        "<connectors>"
                                + "<outbound name=\"red\"><recipientDomain>a.test</recipientDomain><tls level=\"required\"/></outbound>"
                                + "<outbound name=\"blue\"><recipientDomain>c.test</recipientDomain><tls level=\"required\"/></outbound>"
                                + "</connectors>");
        // relay: the blue step, then the red step, as ./mailsec tls remote-delivery writes them
        Matcher blue = init(new RecipientConnectorIs(), "blue," + file);
        Matcher red = init(new RecipientConnectorIs(), "red," + file);
        Mail mail = FakeMail.builder().name("m").recipients("x@a.test").build();
        assertThat(blue.match(mail)).as("blue under generation 1").isEmpty();

        // the connectors swap domains while the mail is between the two steps
        Files.writeString(
                file,
                "<connectors>"
                        + "<outbound name=\"red\"><recipientDomain>c.test</recipientDomain><tls level=\"required\"/></outbound>"
                        + "<outbound name=\"blue\"><recipientDomain>a.test</recipientDomain><tls level=\"required\"/></outbound>"
                        + "</connectors>");
        ReloadableFile<Connectors> live = LiveConnectors.shared(file);
        assertThat(live.reload("webadmin:ops", ReloadAudit.NONE).generation()).isEqualTo(2);

        // decided under generation 1 (stamped by the blue step): red takes it, it never leaves
        // by the general RemoteDelivery
        assertThat(red.match(mail)).containsExactly(new MailAddress("x@a.test"));
        assertThat(
                        mail.getAttribute(
                                        AttributeName.of(
                                                ConnectorAttributeNames.OUTBOUND_GENERATION))
                                .map(a -> a.getValue().value().toString()))
                .contains("1@" + live.file());
        // a new mail is routed under generation 2
        Mail fresh = FakeMail.builder().name("n").recipients("x@a.test").build();
        assertThat(blue.match(fresh)).containsExactly(new MailAddress("x@a.test"));
        assertThat(red.match(fresh)).isEmpty();
    }
}
