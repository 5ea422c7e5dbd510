package dev.mailsec.mailets.dmarc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.dmarc.report.RuaSchema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.internet.MimeMessage;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordDmarcResultTest {

    static final String RECORD = "v=DMARC1; p=reject; rua=mailto:dmarc@example.com";

    @TempDir Path dir;
    final MovableClock clock = new MovableClock(Instant.parse("2026-12-06T10:00:00Z"));
    final FakeMailContext context = FakeMailContext.defaultContext();
    RecordDmarcResult mailet;

    @AfterEach
    void tearDown() {
        if (mailet != null) {
            mailet.destroy();
        }
    }

    RecordDmarcResult start(String... extra) throws MessagingException {
        String[] withZone = new String[extra.length + 2];
        withZone[0] = "zoneFile";
        withZone[1] = zone().toString();
        System.arraycopy(extra, 0, withZone, 2, extra.length);
        return startWithout(withZone);
    }

    /** Started without a zone file unless {@code extra} gives one. */
    RecordDmarcResult startWithout(String... extra) throws MessagingException {
        FakeMailetConfig.Builder config =
                FakeMailetConfig.builder()
                        .mailetName("RecordDmarcResult")
                        .mailetContext(context)
                        .setProperty("store", "file:" + dir.resolve("store"))
                        .setProperty("orgName", "Mailsec Test")
                        .setProperty("reportEmail", "dmarc-reports@mx.test")
                        .setProperty("checkEvery", "PT1H");
        for (int i = 0; i < extra.length; i += 2) {
            config.setProperty(extra[i], extra[i + 1]);
        }
        mailet = new RecordDmarcResult(clock);
        mailet.init(config.build());
        return mailet;
    }

    Path zone() {
        try {
            Path z = dir.resolve("empty.zone");
            Files.writeString(z, "$ORIGIN test.\n");
            return z;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static FakeMail mail(String ip, boolean dkimPass) throws MessagingException {
        Map<String, AttributeValue<?>> dmarc = new HashMap<>();
        Map.of(
                        "result",
                        dkimPass ? "pass" : "fail",
                        "fromDomain",
                        "example.com",
                        "orgDomain",
                        "example.com",
                        "disposition",
                        dkimPass ? "none" : "reject",
                        "dkimAligned",
                        Boolean.toString(dkimPass),
                        "spfAligned",
                        "false",
                        "record",
                        RECORD,
                        "sourceIp",
                        ip)
                .forEach((k, v) -> dmarc.put(k, AttributeValue.of(v)));
        Map<String, AttributeValue<?>> sig = new HashMap<>();
        sig.put("d", AttributeValue.of("example.com"));
        sig.put("s", AttributeValue.of("s1"));
        sig.put("result", AttributeValue.of(dkimPass ? "pass" : "fail"));
        Map<String, AttributeValue<?>> spf = new HashMap<>();
        spf.put("result", AttributeValue.of("fail"));
        spf.put("domain", AttributeValue.of("example.com"));
        spf.put("scope", AttributeValue.of("mailfrom"));
        return FakeMail.builder()
                .name("m")
                .sender(new MailAddress("bounce@example.com"))
                .recipient("bob@mx.test")
                .attribute(new Attribute(ReportAttributes.DMARC, AttributeValue.of(dmarc)))
                .attribute(
                        new Attribute(
                                ReportAttributes.DKIM,
                                AttributeValue.of(
                                        List.<AttributeValue<?>>of(AttributeValue.of(sig)))))
                .attribute(new Attribute(ReportAttributes.SPF, AttributeValue.of(spf)))
                .build();
    }

    @Test
    void aFinishedDaysCountsShouldBeSentToTheRuaThroughJames() throws Exception {
        start();
        for (int i = 0; i < 3; i++) {
            mailet.service(mail("192.0.2.1", true));
        }
        mailet.service(mail("203.0.113.7", false));
        mailet.runReportsNow();
        assertThat(context.getSentMails()).isEmpty();

        clock.advance(Duration.ofDays(1));
        mailet.runReportsNow();

        assertThat(context.getSentMails()).hasSize(1);
        FakeMailContext.SentMail sent = context.getSentMails().get(0);
        assertThat(sent.getRecipients()).containsExactly(new MailAddress("dmarc@example.com"));
        MimeMessage m = sent.getMsg();
        byte[] xml =
                gunzip(((Multipart) m.getContent()).getBodyPart(1).getInputStream().readAllBytes());
        RuaSchema.validate(xml);
        String text = new String(xml, StandardCharsets.UTF_8);
        assertThat(text)
                .contains(
                        "<count>3</count>",
                        "<count>1</count>",
                        "<source_ip>203.0.113.7</source_ip>")
                .contains(
                        "<envelope_from>example.com</envelope_from>",
                        "<org_name>Mailsec Test</org_name>");
        assertThat(mailet.counters()).containsExactly(4, 0, 0);

        // sent once
        mailet.runReportsNow();
        assertThat(context.getSentMails()).hasSize(1);
    }

    @Test
    void mailWithoutDmarcResultsShouldPassUncounted() throws Exception {
        start();
        mailet.service(FakeMail.builder().name("plain").build());
        assertThat(mailet.counters()).containsExactly(0, 0, 0);
    }

    @Test
    void aBrokenStoreShouldNotStopMail() throws Exception {
        start(
                "store",
                "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1",
                "sendReports",
                "false");
        FakeMail m = mail("192.0.2.1", true);
        mailet.service(m);
        assertThat(mailet.counters()).containsExactly(0, 0, 1);
    }

    @Test
    void badParametersShouldFailTheStartNamingThem() {
        assertThatThrownBy(() -> start("reportEmail", "not an address"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("reportEmail")
                .hasMessageContaining("not an address");
        assertThatThrownBy(() -> start("interval", "PT0S")).hasMessageContaining("interval");
        // RFC 7489 7.2: at most daily
        assertThatThrownBy(() -> start("interval", "P2D"))
                .hasMessageContaining("interval")
                .hasMessageContaining("P2D");
        assertThatThrownBy(() -> start("store", "ftp://x"))
                .hasMessageContaining("store")
                .hasMessageContaining("ftp://x");
        assertThatThrownBy(() -> start("colour", "blue")).hasMessageContaining("colour");
    }

    @Test
    void dnsParametersShouldBeReadLikeTheOtherDmarcSteps() throws Exception {
        // the names, defaults and errors of VerifySpf/VerifyDmarc (core's DnsParameters)
        startWithout("dnsServers", "127.0.0.1:53", "dnsTimeoutMillis", "3000", "dnsCacheSize", "0");
        mailet.destroy();
        mailet = null;
        assertThatThrownBy(() -> startWithout("dnsTimeoutMillis", "soon"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("RecordDmarcResult")
                .hasMessageContaining("dnsTimeoutMillis")
                .hasMessageContaining("soon");
        assertThatThrownBy(() -> startWithout("dnsTimeoutMillis", "120000"))
                .hasMessageContaining("dnsTimeoutMillis")
                .hasMessageContaining("120000");
        assertThatThrownBy(() -> startWithout("dnsCacheSize", "-1"))
                .hasMessageContaining("dnsCacheSize")
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> startWithout("dnsServers", "resolver.example"))
                .hasMessageContaining("dnsServers: must be IP addresses, got 'resolver.example'");
        assertThatThrownBy(() -> start("dnsTimeoutMillis", "3000"))
                .hasMessageContaining("dnsTimeoutMillis")
                .hasMessageContaining("cannot be combined with zoneFile");
        assertThatThrownBy(() -> startWithout("zoneFile", dir.resolve("absent.zone").toString()))
                .hasMessageContaining("zoneFile")
                .hasMessageContaining("absent.zone");
    }

    static byte[] gunzip(byte[] gz) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            in.transferTo(out);
        }
        return out.toByteArray();
    }

    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
