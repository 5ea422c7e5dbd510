package dev.mailsec.mailets.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.tls.connector.dane.DanePolicies;
import dev.mailsec.tls.connector.dane.DnssecAnswer;
import dev.mailsec.tls.connector.dane.DnssecLookups;
import dev.mailsec.tls.connector.dane.DnssecStatus;
import dev.mailsec.tls.connector.dane.TlsaRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;

/**
 * How {@code RouteByDane} splits a mail by the DANE decision of each recipient domain; the
 * decisions come from fake DNSSEC answers, delivery runs on a real James in {@code
 * DaneDeliveryTest}.
 */
class RouteByDaneTest {

    private static final TlsaRecord EE = new TlsaRecord(3, 1, 1, new byte[32]);

    /** Answers from maps; anything not in them fails the lookup. */
    static final class FakeDns implements DnssecLookups {
        final Map<String, DnssecAnswer<String>> mx = new HashMap<>();
        final Map<String, DnssecAnswer<TlsaRecord>> tlsa = new HashMap<>();

        @Override
        public DnssecAnswer<String> mx(String domain) {
            return mx.getOrDefault(domain, DnssecAnswer.failed(DnssecStatus.BOGUS, "bogus"));
        }

        @Override
        public DnssecAnswer<TlsaRecord> tlsa(String host, int port) {
            return tlsa.getOrDefault(host, DnssecAnswer.failed(DnssecStatus.BOGUS, "bogus"));
        }

        /** {@code dane.test}: DANE; {@code plain.test}: unsigned; anything else: bogus. */
        static FakeDns world() {
            FakeDns dns = new FakeDns();
            dns.mx.put("dane.test", DnssecAnswer.of(DnssecStatus.SECURE, List.of("mx.dane.test")));
            dns.tlsa.put("mx.dane.test", DnssecAnswer.of(DnssecStatus.SECURE, List.of(EE)));
            dns.mx.put(
                    "plain.test", DnssecAnswer.of(DnssecStatus.INSECURE, List.of("mx.plain.test")));
            return dns;
        }
    }

    private final FakeMailContext context = FakeMailContext.defaultContext();

    private RouteByDane mailet() throws MessagingException {
        RouteByDane mailet = new RouteByDane(new DanePolicies(FakeDns.world()));
        mailet.init(
                FakeMailetConfig.builder()
                        .mailetName("RouteByDane")
                        .mailetContext(context)
                        .setProperty("daneProcessor", "connector-p-dane")
                        .build());
        return mailet;
    }

    @Test
    void recipientsDaneAppliesToOrHoldsShouldGoToTheDaneProcessorTheOthersStay() throws Exception {
        FakeMail mail =
                FakeMail.builder()
                        .name("m")
                        .recipients("a@dane.test", "b@plain.test", "c@bogus.test")
                        .state("connector-p")
                        .build();

        mailet().service(mail);

        assertThat(mail.getRecipients()).containsExactly(new MailAddress("b@plain.test"));
        assertThat(mail.getState()).isEqualTo("connector-p");
        assertThat(context.getSentMails()).hasSize(1);
        assertThat(context.getSentMails().get(0).getRecipients())
                .containsExactly(new MailAddress("a@dane.test"), new MailAddress("c@bogus.test"));
        assertThat(context.getSentMails().get(0).getState()).isEqualTo("connector-p-dane");
    }

    @Test
    void aMailOnlyForDaneDomainsShouldMoveWhole() throws Exception {
        FakeMail mail =
                FakeMail.builder().name("m").recipients("a@dane.test").state("connector-p").build();

        mailet().service(mail);

        assertThat(mail.getState()).isEqualTo("connector-p-dane");
        assertThat(context.getSentMails()).isEmpty();
    }

    @Test
    void aMailForUnsignedDomainsShouldStayForTheFallback() throws Exception {
        FakeMail mail =
                FakeMail.builder()
                        .name("m")
                        .recipients("b@plain.test")
                        .state("connector-p")
                        .build();

        mailet().service(mail);

        assertThat(mail.getState()).isEqualTo("connector-p");
        assertThat(context.getSentMails()).isEmpty();
    }

    @Test
    void daneProcessorIsRequiredAndUnknownParametersFail() {
        assertThatThrownBy(
                        () ->
                                new RouteByDane(new DanePolicies(FakeDns.world()))
                                        .init(
                                                FakeMailetConfig.builder()
                                                        .mailetName("RouteByDane")
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("daneProcessor");
        assertThatThrownBy(
                        () ->
                                new RouteByDane(new DanePolicies(FakeDns.world()))
                                        .init(
                                                FakeMailetConfig.builder()
                                                        .mailetName("RouteByDane")
                                                        .setProperty("daneProcessor", "p")
                                                        .setProperty("enforceProcessor", "q")
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("enforceProcessor");
    }
}
