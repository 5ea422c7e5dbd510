package dev.mailsec.mailets.connector;

import static dev.mailsec.mailets.connector.MtaStsDnsTest.resolver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.apache.james.core.MailAddress;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;

/**
 * The routing step: recipients whose domain has an enforce policy go to the enforcing processor.
 */
class RouteByMtaStsTest {

    @Test
    void routeShouldSendEnforceRecipientsToTheEnforcingProcessorAndKeepTheOthers()
            throws Exception {
        FakeMailContext context = FakeMailContext.defaultContext();
        RouteByMtaSts mailet = new RouteByMtaSts(resolver());
        mailet.init(
                FakeMailetConfig.builder()
                        .mailetContext(context)
                        .setProperty("enforceProcessor", "sts-enforce")
                        .build());
        FakeMail mail =
                FakeMail.builder()
                        .name("m")
                        .recipients(
                                "a@enforce.test",
                                "b@testing.test",
                                "c@nopolicy.test",
                                "d@enforce.test")
                        .state("connector-sts")
                        .mimeMessage(new MimeMessage(Session.getInstance(new Properties())))
                        .build();

        mailet.service(mail);

        assertThat(mail.getRecipients())
                .containsExactly(
                        new MailAddress("b@testing.test"), new MailAddress("c@nopolicy.test"));
        assertThat(mail.getState()).isEqualTo("connector-sts");
        assertThat(context.getSentMails()).hasSize(1);
        assertThat(context.getSentMails().get(0).getState()).isEqualTo("sts-enforce");
        assertThat(context.getSentMails().get(0).getRecipients())
                .containsExactly(
                        new MailAddress("a@enforce.test"), new MailAddress("d@enforce.test"));
    }

    @Test
    void routeShouldMoveAMailWhoseRecipientsAllHaveEnforcePolicies() throws Exception {
        FakeMailContext context = FakeMailContext.defaultContext();
        RouteByMtaSts mailet = new RouteByMtaSts(resolver());
        mailet.init(
                FakeMailetConfig.builder()
                        .mailetContext(context)
                        .setProperty("enforceProcessor", "sts-enforce")
                        .build());
        FakeMail mail =
                FakeMail.builder()
                        .name("m")
                        .recipients("a@enforce.test")
                        .state("connector-sts")
                        .build();

        mailet.service(mail);

        assertThat(mail.getState()).isEqualTo("sts-enforce");
        assertThat(context.getSentMails()).isEmpty();
    }

    @Test
    void routeShouldRequireItsProcessorAndRefuseUnknownParameters() {
        assertThatThrownBy(
                        () ->
                                new RouteByMtaSts(resolver())
                                        .init(FakeMailetConfig.builder().build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("enforceProcessor is required");
        assertThatThrownBy(
                        () ->
                                new RouteByMtaSts(resolver())
                                        .init(
                                                FakeMailetConfig.builder()
                                                        .setProperty("enforceProcessor", "p")
                                                        .setProperty("enforceProcesor", "p")
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessage(
                        "RouteByMtaSts: unknown parameter 'enforceProcesor'; known: enforceProcessor");
    }
}
