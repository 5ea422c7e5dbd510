package dev.mailsec.mailets.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.config.WorkingDirectory;
import dev.mailsec.dkim.DkimAttributeNames;
import dev.mailsec.dkim.Dkimpy;
import dev.mailsec.mailets.metrics.CountingMetricFactory;
import dev.mailsec.metrics.Metrics;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;
import javax.mail.util.SharedByteArrayInputStream;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VerifyDkimTest {

    private static final String MESSAGE =
            "From: Alice <alice@example.com>\r\n"
                    + "To: bob@example.org\r\n"
                    + "Subject: quarterly figures\r\n"
                    + "\r\n"
                    + "Hello Bob,\r\nthe figures are attached.\r\n";

    @TempDir static Path dir;
    private static Dkimpy dkimpy;
    private static Path zone;

    @BeforeAll
    static void keys() throws Exception {
        dkimpy = new Dkimpy(dir);
        zone = dkimpy.zoneFile(dir);
    }

    private static VerifyDkim mailet(String... params) throws MessagingException {
        VerifyDkim mailet = new VerifyDkim(null, Clock.systemUTC());
        FakeMailetConfig.Builder config =
                FakeMailetConfig.builder()
                        .mailetName("VerifyDkim")
                        .setProperty("authservId", "mx.example.net")
                        .setProperty("zoneFile", zone.toString());
        for (int i = 0; i < params.length; i += 2) {
            config.setProperty(params[i], params[i + 1]);
        }
        mailet.init(config.build());
        return mailet;
    }

    @Test
    void zoneFileShouldResolveAgainstJamesWorkingDirectoryNotTheCurrentDirectory()
            throws Exception {
        // issue 14: starting James from another folder broke 'VerifyDkim: zoneFile'
        WorkingDirectory.with(
                dir,
                () -> {
                    VerifyDkim mailet = mailet("zoneFile", dir.relativize(zone).toString());
                    Mail mail = mail(dkimpy.sign(MESSAGE));
                    mailet.service(mail);
                    assertThat(authResults(mail)).singleElement().asString().contains("dkim=pass");
                });
    }

    private static Mail mail(byte[] raw) throws Exception {
        return mail(new ByteArrayInputStream(raw));
    }

    private static Mail mail(InputStream raw) throws Exception {
        MimeMessage m = new MimeMessage(Session.getDefaultInstance(new Properties()), raw);
        return FakeMail.builder().name("m1").mimeMessage(m).build();
    }

    private static List<String> authResults(Mail mail) throws MessagingException {
        String[] values = mail.getMessage().getHeader("Authentication-Results");
        return values == null
                ? List.of()
                : Arrays.stream(values)
                        .map(v -> MimeUtility.unfold(v).replaceAll("\\s+", " "))
                        .collect(Collectors.toList());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, String>> results(Mail mail) {
        Collection<AttributeValue<?>> list =
                (Collection<AttributeValue<?>>)
                        mail.getAttribute(VerifyDkim.RESULTS).get().getValue().value();
        return list.stream()
                .map(
                        v ->
                                ((Map<String, AttributeValue<?>>) v.value())
                                        .entrySet().stream()
                                                .collect(
                                                        Collectors.toMap(
                                                                Map.Entry::getKey,
                                                                e ->
                                                                        (String)
                                                                                e.getValue()
                                                                                        .value())))
                .collect(Collectors.toList());
    }

    @Test
    void serviceShouldAddPassAndTheTypedAttributeForADkimpySignature() throws Exception {
        Mail mail = mail(dkimpy.sign(MESSAGE));
        mailet().service(mail);
        assertThat(authResults(mail)).hasSize(1);
        assertThat(authResults(mail).get(0))
                .matches(
                        "mx\\.example\\.net; dkim=pass header\\.d=example\\.com header\\.i=@example\\.com header\\.s=sel header\\.a=rsa-sha256 header\\.b=\"?[A-Za-z0-9+/]{8}\"?");
        Map<String, String> r = results(mail).get(0);
        assertThat(r)
                .containsEntry("result", "pass")
                .containsEntry("d", "example.com")
                .containsEntry("s", "sel")
                .containsEntry("a", "rsa-sha256")
                .containsEntry("reason", "")
                .containsEntry(DkimAttributeNames.ALIGNED_KEY, "strict");
        assertThat(r.get("b")).hasSize(8);
        assertThat(mail.getAttribute(VerifyDkim.FROM_DOMAIN).get().getValue().value())
                .isEqualTo("example.com");
    }

    @Test
    void serviceShouldCountEachVerdictInJamesMetrics() throws Exception {
        CountingMetricFactory factory = new CountingMetricFactory();
        VerifyDkim mailet = mailet();
        mailet.setMetricFactory(factory);
        String tampered =
                new String(dkimpy.sign(MESSAGE), StandardCharsets.UTF_8)
                        .replace("attached", "in the link below");

        mailet.service(mail(dkimpy.sign(MESSAGE)));
        mailet.service(mail(dkimpy.sign(MESSAGE)));
        mailet.service(mail(tampered.getBytes(StandardCharsets.UTF_8)));
        mailet.service(mail(MESSAGE.getBytes(StandardCharsets.UTF_8)));

        assertThat(factory.count("mailsec_dkim_result_pass")).isEqualTo(2);
        assertThat(factory.count("mailsec_dkim_result_fail")).isEqualTo(1);
        assertThat(factory.count("mailsec_dkim_result_none")).isEqualTo(1);
        Metrics.install(Metrics.NONE);
    }

    @Test
    void serviceShouldReportATamperedBodyWithItsReason() throws Exception {
        String signed =
                new String(dkimpy.sign(MESSAGE), StandardCharsets.UTF_8)
                        .replace("attached", "in the link below");
        Mail mail = mail(signed.getBytes(StandardCharsets.UTF_8));
        mailet().service(mail);
        assertThat(authResults(mail).get(0))
                .contains("dkim=fail (body hash did not verify) header.d=example.com");
        assertThat(results(mail).get(0))
                .containsEntry("result", "fail")
                .containsEntry(DkimAttributeNames.ALIGNED_KEY, "none");
    }

    @Test
    void serviceShouldRemoveForgedResultsClaimingOurIdAndKeepOthers() throws Exception {
        String forged =
                "Authentication-Results: mx.example.net; dkim=pass header.d=bank.example\r\n"
                        + "Authentication-Results: (sneaky) \"MX.example.net\"; dkim=pass\r\n"
                        + "Authentication-Results: relay.example.org; spf=pass smtp.mailfrom=example.com\r\n"
                        + MESSAGE;
        Mail mail = mail(forged.getBytes(StandardCharsets.UTF_8));
        mailet().service(mail);
        assertThat(authResults(mail))
                .containsExactlyInAnyOrder(
                        "relay.example.org; spf=pass smtp.mailfrom=example.com",
                        "mx.example.net; dkim=none");
    }

    @Test
    void serviceShouldGiveNoneToAnUnsignedMailWithoutReadingItsBody() throws Exception {
        String body = "the quick brown fox jumps over the lazy dog\r\n".repeat(1200);
        String unsigned =
                MESSAGE.replace("\r\n\r\n", "\r\nContent-Transfer-Encoding: 7bit\r\n\r\n") + body;
        CountingStream raw = new CountingStream(unsigned.getBytes(StandardCharsets.US_ASCII));
        Mail mail = mail(raw);
        long headerRead = raw.bytesRead.get();
        mailet().service(mail);
        assertThat(authResults(mail)).containsExactly("mx.example.net; dkim=none");
        assertThat(results(mail))
                .singleElement()
                .satisfies(r -> assertThat(r).containsEntry("result", "none"));
        assertThat(mail.getAttribute(VerifyDkim.FROM_DOMAIN).get().getValue().value())
                .isEqualTo("example.com");
        assertThat(raw.bytesRead.get() - headerRead).as("body bytes read").isZero();
    }

    @Test
    void serviceShouldStreamTheBodyOfASignedMail() throws Exception {
        String signed = new String(dkimpy.sign(MESSAGE), StandardCharsets.US_ASCII);
        int bodyLength = signed.length() - signed.indexOf("\r\n\r\n") - 4;
        CountingStream raw = new CountingStream(signed.getBytes(StandardCharsets.US_ASCII));
        Mail mail = mail(raw);
        long headerRead = raw.bytesRead.get();
        mailet().service(mail);
        assertThat(authResults(mail)).singleElement().asString().contains("dkim=pass");
        assertThat(raw.bytesRead.get() - headerRead)
                .as("body bytes read")
                .isGreaterThanOrEqualTo(bodyLength);
    }

    /**
     * A message store that counts the bytes read from it, as James's message source is read: a
     * {@code SharedInputStream}, so JavaMail parses the header section and keeps the body unread.
     */
    private static final class CountingStream extends SharedByteArrayInputStream {
        final AtomicLong bytesRead;

        CountingStream(byte[] buf) {
            this(buf, 0, buf.length, new AtomicLong());
        }

        private CountingStream(byte[] buf, int offset, int length, AtomicLong bytesRead) {
            super(buf, offset, length);
            this.bytesRead = bytesRead;
        }

        @Override
        public synchronized int read() {
            int b = super.read();
            if (b >= 0) {
                bytesRead.incrementAndGet();
            }
            return b;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            int n = super.read(b, off, len);
            if (n > 0) {
                bytesRead.addAndGet(n);
            }
            return n;
        }

        @Override
        public InputStream newStream(long from, long to) {
            long end = to == -1 ? count - start : to; // as SharedByteArrayInputStream does
            return new CountingStream(buf, start + (int) from, (int) (end - from), bytesRead);
        }
    }

    @Test
    void serviceShouldGiveAVerdictForBinaryJunk() throws Exception {
        Random random = new Random(1);
        for (int i = 0; i < 50; i++) {
            byte[] junk = new byte[random.nextInt(20_000)];
            random.nextBytes(junk);
            byte[] raw =
                    ("DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel; h=from; bh=x; b=y\r\n"
                                    + "From: a@example.com\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII);
            byte[] all = Arrays.copyOf(raw, raw.length + junk.length);
            System.arraycopy(junk, 0, all, raw.length, junk.length);
            Mail mail = mail(i % 2 == 0 ? all : junk);
            mailet().service(mail);
            assertThat(results(mail)).isNotEmpty();
            assertThat(authResults(mail)).anyMatch(v -> v.startsWith("mx.example.net;"));
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "maxSignatures|many|VerifyDkim: maxSignatures: not a number: 'many'",
                "maxSignatures|0|VerifyDkim: maxSignatures: must be between 1 and 100, got 0",
                "minRsaBits|512|VerifyDkim: minRsaBits: must be between 1024 (RFC 8301) and 8192, got 512",
                "bodyLengthPolicy|sometimes|VerifyDkim: bodyLengthPolicy: must be 'policy' or 'accept', got 'sometimes'",
                "clockDriftSeconds|-5|VerifyDkim: clockDriftSeconds: must be between 0 and 1 day, got PT-5S",
                "authservId|mx example|VerifyDkim: authservId: must be a host name such as mx.example.com, got 'mx example'",
                "dnsServers|10.0.0.1|VerifyDkim: dnsServers: cannot be combined with zoneFile, got '10.0.0.1'",
                "zoneFile|/nonexistent/keys.zone|VerifyDkim: zoneFile: cannot read '/nonexistent/keys.zone': /nonexistent/keys.zone",
                "colour|blue|VerifyDkim: ",
            })
    void initShouldFailNamingTheParameter(String name, String value, String message) {
        assertThatThrownBy(() -> mailet(name, value))
                .isInstanceOf(MessagingException.class)
                .hasMessageStartingWith(message)
                .hasMessageContaining(name);
    }

    @Test
    void initShouldRequireTheAuthservId() {
        VerifyDkim mailet = new VerifyDkim(null, Clock.systemUTC());
        assertThatThrownBy(
                        () ->
                                mailet.init(
                                        FakeMailetConfig.builder()
                                                .mailetName("VerifyDkim")
                                                .setProperty("zoneFile", zone.toString())
                                                .build()))
                .hasMessageStartingWith("VerifyDkim: authservId is required");
    }
}
