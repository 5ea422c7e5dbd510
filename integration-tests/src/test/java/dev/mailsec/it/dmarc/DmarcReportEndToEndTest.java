package dev.mailsec.it.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.dmarc.report.RuaSchema;
import dev.mailsec.it.harness.JamesExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DMARC aggregate reports through a real James 3.8.1: VerifySpf and VerifyDmarc judge five mails
 * from sender.test (three pass by SPF, two from a subdomain without SPF fail), RecordDmarcResult
 * counts them over a 3-second reporting period; its scheduler sends the report(s) through James to
 * the rua, a local mailbox in another domain (so external destination verification is done against
 * the zone file's {@code sender.test._report._dmarc.mailsec.test}); the attachments validate
 * against RFC 7489's schema and hold the five mails. A second rua in a domain that publishes no
 * such record gets nothing.
 */
class DmarcReportEndToEndTest {

    static final Path DIR = tempDir();
    static final String RECORD =
            "v=DMARC1; p=reject; rua=mailto:dmarc@mailsec.test,mailto:spy@mailsec.test.invalid";

    @RegisterExtension
    static JamesExtension james =
            JamesExtension.builder()
                    .user("bob@mailsec.test", "secret")
                    .user("dmarc@mailsec.test", "secret")
                    .rootMailets(
                            ""
                                    + "<mailet match=\"All\" class=\"dev.mailsec.mailets.spf.VerifySpf\">\n"
                                    + "  <authservId>mx.mailsec.test</authservId>\n"
                                    + "  <zoneFile>"
                                    + DIR.resolve("dns.zone")
                                    + "</zoneFile>\n"
                                    + "</mailet>\n"
                                    + "<mailet match=\"All\" class=\"dev.mailsec.mailets.dmarc.VerifyDmarc\">\n"
                                    + "  <authservId>mx.mailsec.test</authservId>\n"
                                    + "  <zoneFile>"
                                    + DIR.resolve("dns.zone")
                                    + "</zoneFile>\n"
                                    + "</mailet>\n"
                                    + "<mailet match=\"All\" class=\"dev.mailsec.mailets.dmarc.RecordDmarcResult\">\n"
                                    + "  <store>file:"
                                    + DIR.resolve("store")
                                    + "</store>\n"
                                    + "  <orgName>Mailsec IT</orgName>\n"
                                    + "  <reportEmail>dmarc-reports@mailsec.test</reportEmail>\n"
                                    + "  <interval>3</interval>\n"
                                    + "  <checkEvery>1</checkEvery>\n"
                                    + "  <zoneFile>"
                                    + DIR.resolve("dns.zone")
                                    + "</zoneFile>\n"
                                    + "</mailet>\n")
                    .build();

    static Path tempDir() {
        try {
            Path d = Files.createTempDirectory("mailsec-dmarc-report-it");
            Files.writeString(
                    d.resolve("dns.zone"),
                    "sender.test._report._dmarc.mailsec.test. IN TXT \"v=DMARC1\"\n"
                            + "sender.test. IN TXT \"v=spf1 ip4:127.0.0.1 -all\"\n"
                            + "_dmarc.sender.test. IN TXT \""
                            + RECORD
                            + "\"\n");
            return d;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aPeriodsMailShouldArriveAsAValidReportAtTheRua() throws Exception {
        for (int i = 0; i < 5; i++) {
            // three pass DMARC by SPF (MAIL FROM is the From address: sender.test allows
            // 127.0.0.1), two fail it (sub.sender.test publishes no SPF; sender.test's p=reject)
            String msg =
                    "From: news@"
                            + (i < 3 ? "" : "sub.")
                            + "sender.test\r\nTo: bob@mailsec.test\r\nSubject: news "
                            + i
                            + "\r\n\r\nhello\r\n";
            james.harness().sendRaw(msg.getBytes(StandardCharsets.US_ASCII), "bob@mailsec.test");
        }

        long deadline = System.currentTimeMillis() + 60_000;
        long counted = 0;
        StringBuilder xml = new StringBuilder();
        List<String> reports = List.of();
        while (counted < 5 && System.currentTimeMillis() < deadline) {
            Thread.sleep(1000);
            reports =
                    james.harness().subjects("dmarc@mailsec.test", "secret").stream()
                            .filter(
                                    s ->
                                            s.startsWith(
                                                    "Report Domain: sender.test Submitter: mailsec.test"))
                            .collect(Collectors.toList());
            counted = 0;
            xml.setLength(0);
            for (String subject : reports) {
                String one =
                        read(james.harness().awaitMessage("dmarc@mailsec.test", "secret", subject));
                xml.append(one);
                counted += counts(one);
            }
        }

        assertThat(counted).as("mails counted in %s", reports).isEqualTo(5);
        assertThat(xml.toString())
                .as("VerifyDmarc's verdicts, as evaluated")
                .contains("<disposition>none</disposition>", "<disposition>reject</disposition>")
                .contains("<header_from>sender.test</header_from>")
                .contains("<header_from>sub.sender.test</header_from>");
        assertThat(james.harness().subjects("bob@mailsec.test", "secret")).hasSize(5);
        // one Authentication-Results field of ours, written by VerifySpf and VerifyDmarc in turn
        String[] passed =
                james.harness()
                        .awaitMessage("bob@mailsec.test", "secret", "news 0")
                        .getHeader("Authentication-Results");
        assertThat(passed).hasSize(1);
        assertThat(passed[0])
                .startsWith("mx.mailsec.test;")
                .contains("spf=pass", "smtp.mailfrom=news@sender.test", "dmarc=pass");
        String[] failed =
                james.harness()
                        .awaitMessage("bob@mailsec.test", "secret", "news 3")
                        .getHeader("Authentication-Results");
        assertThat(failed).hasSize(1);
        assertThat(failed[0])
                .contains("spf=none", "smtp.mailfrom=news@sub.sender.test", "dmarc=fail");
    }

    /** The report attachment's XML, after checking its name and the RFC schema. */
    static String read(MimeMessage m) throws Exception {
        Part attachment = ((Multipart) m.getContent()).getBodyPart(1);
        assertThat(attachment.getFileName())
                .matches("mailsec\\.test!sender\\.test![0-9]+![0-9]+\\.xml\\.gz");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPInputStream in =
                new GZIPInputStream(
                        new ByteArrayInputStream(attachment.getInputStream().readAllBytes()))) {
            in.transferTo(out);
        }
        RuaSchema.validate(out.toByteArray());
        String xml = out.toString(StandardCharsets.UTF_8);
        assertThat(xml).contains("<source_ip>127.0.0.1</source_ip>", "<p>reject</p>");
        return xml;
    }

    static long counts(String xml) {
        long n = 0;
        Matcher m = Pattern.compile("<count>([0-9]+)</count>").matcher(xml);
        while (m.find()) {
            n += Long.parseLong(m.group(1));
        }
        return n;
    }
}
