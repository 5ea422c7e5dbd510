package dev.mailsec.mailets.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.tls.report.TlsPolicy;
import dev.mailsec.tls.report.TlsResultType;
import dev.mailsec.tls.report.TlsSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import javax.mail.MessagingException;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SendTlsReportsTest {

    @TempDir Path dir;
    final FakeMailContext context = FakeMailContext.defaultContext();
    SendTlsReports mailet;

    @AfterEach
    void tearDown() {
        if (mailet != null) {
            mailet.destroy();
        }
    }

    SendTlsReports start(Instant now, String... extra) throws Exception {
        Path zone = dir.resolve("zone");
        Files.writeString(
                zone,
                "$ORIGIN test.\n_smtp._tls.partner 300 IN TXT \"v=TLSRPTv1; rua=mailto:tls@partner.test\"\n");
        FakeMailetConfig.Builder config =
                FakeMailetConfig.builder()
                        .mailetName("SendTlsReports")
                        .mailetContext(context)
                        .setProperty("store", "file:" + dir.resolve("store"))
                        .setProperty("orgName", "Mailsec Test")
                        .setProperty("reportEmail", "tls-reports@mx.test")
                        .setProperty("zoneFile", zone.toString())
                        .setProperty("checkEvery", "PT1H");
        for (int i = 0; i < extra.length; i += 2) {
            config.setProperty(extra[i], extra[i + 1]);
        }
        mailet = new SendTlsReports(Clock.fixed(now, ZoneOffset.UTC));
        mailet.init(config.build());
        return mailet;
    }

    @Test
    void sessionsRecordedThroughTheApiShouldBeCountedAndReportedThroughJames() throws Exception {
        start(Instant.parse("2026-12-06T10:00:00Z"));
        TlsSessions.success(TlsPolicy.none("partner.test"));
        TlsSessions.failure(
                TlsPolicy.none("partner.test"),
                TlsResultType.STARTTLS_NOT_SUPPORTED,
                "192.0.2.1",
                "mx.partner.test",
                "198.51.100.1");
        assertThat(mailet.counters()).containsExactly(2L, 0L, 0L);
        mailet.destroy();

        // the next day, on a node restarted from the same store
        start(Instant.parse("2026-12-07T00:01:00Z"));
        mailet.runReportsNow();

        assertThat(context.getSentMails()).hasSize(1);
        FakeMailContext.SentMail sent = context.getSentMails().get(0);
        assertThat(sent.getRecipients())
                .extracting(Object::toString)
                .containsExactly("tls@partner.test");
        assertThat(sent.getSender().toString()).isEqualTo("tls-reports@mx.test");
        assertThat(sent.getMsg().getHeader("TLS-Report-Domain", null)).isEqualTo("partner.test");
    }

    @Test
    void aWrongParameterShouldFailTheStartNamingIt() {
        assertThatThrownBy(() -> start(Instant.now(), "store", "mysql://db"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining(
                        "SendTlsReports: store: must be file:DIR or jdbc:postgresql://..., got 'mysql://db'");
        assertThatThrownBy(() -> start(Instant.now(), "interval", "forever"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("interval")
                .hasMessageContaining("forever");
        assertThatThrownBy(() -> start(Instant.now(), "reportEmail", "nobody"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("reportEmail");
        assertThatThrownBy(() -> start(Instant.now(), "rua", "x"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("rua");
    }
}
