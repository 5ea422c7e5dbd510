package dev.mailsec.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.it.harness.Delivery;
import dev.mailsec.it.harness.JamesExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Issue 13, finding 7: the sample's rules, taken as written from conf/mailetcontainer.xml's root
 * processor, in a real James 3.8.1. {@code [ENCRYPT]}, {@code [Encrypt]}, {@code Re: [encrypt]} and
 * {@code [DNF]} stepped around {@code SubjectStartsWith}; {@code From: ceo@bank.test} with another
 * envelope sender (or {@code <>}) stepped around the must-be-signed rule keyed on the envelope
 * sender. Each named matcher here marks the mail with a header instead of protecting or
 * quarantining it, so bob's INBOX shows which rules fired.
 */
class SampleRulesTest {

    private static final List<String> RULES =
            List.of(
                    "must-be-signed-but-is-not",
                    "wants-do-not-forward",
                    "wants-encrypt-only",
                    "wants-smime");
    private static final Path ZONE = emptyZoneFile();

    @RegisterExtension
    static JamesExtension james =
            JamesExtension.builder()
                    .user("alice@mailsec.test", "secret")
                    .user("bob@mailsec.test", "secret")
                    .rootMailets(rootMailets())
                    .build();

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "[ENCRYPT] upper case|wants-encrypt-only",
                "[Encrypt] mixed case|wants-encrypt-only",
                "Re: [encrypt] a reply|wants-encrypt-only",
                "RE: Fwd: AW: [encrypt] forwarded reply|wants-encrypt-only",
                "=?utf-8?q?=5Bencrypt=5D_encoded?=|wants-encrypt-only",
                "[DNF] upper case|wants-do-not-forward",
                "Fw: [Dnf] forwarded|wants-do-not-forward",
                "[SMIME] upper case|wants-smime",
            })
    void aTaggedSubjectFromAUserTriggersItsRuleInAnyForm(String subject, String rule)
            throws Exception {
        send("alice@mailsec.test", "From: alice@mailsec.test", subject);

        assertThat(rulesFired(subject)).containsExactly(rule);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "other envelope sender|attacker@client.test|From: ceo@bank.test",
                "null envelope sender||From: ceo@bank.test",
                "display name and comment|attacker@client.test|From: \"Bank CEO\" <ceo@BANK.test> (urgent)",
                "subdomain|attacker@client.test|From: ceo@payments.bank.test",
                "two addresses|attacker@client.test|From: x@client.test, ceo@bank.test",
                "encoded word|attacker@client.test|From: =?utf-8?q?ceo=40bank=2Etest?=",
            })
    void unsignedMailClaimingTheDomainInFromIsCaught(
            String subject, String envelopeSender, String from) throws Exception {
        send(envelopeSender == null ? "" : envelopeSender, from, subject);

        assertThat(rulesFired(subject)).containsExactly("must-be-signed-but-is-not");
    }

    @Test
    void ordinaryMailTriggersNoRule() throws Exception {
        send("someone@client.test", "From: someone@client.test", "hello, no tag [encrypt]");
        send("alice@mailsec.test", "From: alice@mailsec.test", "about encryption");

        assertThat(rulesFired("hello, no tag [encrypt]")).isEmpty();
        assertThat(rulesFired("about encryption")).isEmpty();
    }

    private static List<String> rulesFired(String subject) throws Exception {
        MimeMessage read = james.awaitMessage("bob@mailsec.test", "secret", decoded(subject));
        String[] rules = read.getHeader("X-Rule");
        return rules == null ? List.of() : List.of(rules);
    }

    private static String decoded(String subject) throws Exception {
        return MimeUtility.decodeText(subject);
    }

    /** Plain SMTP by hand, so the envelope sender can differ from From: or be empty. */
    private static void send(String envelopeSender, String fromField, String subject)
            throws Exception {
        String message =
                fromField
                        + "\r\nTo: bob@mailsec.test\r\nSubject: "
                        + subject
                        + "\r\n\r\nwire money now\r\n";
        try (Socket socket =
                new Socket("127.0.0.1", james.harness().smtpPort(Delivery.Mode.PLAIN))) {
            socket.setSoTimeout(15_000);
            BufferedReader in =
                    new BufferedReader(
                            new InputStreamReader(
                                    socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            expect(in, "220");
            command(out, in, "EHLO client.test", "250");
            command(out, in, "MAIL FROM:<" + envelopeSender + ">", "250");
            command(out, in, "RCPT TO:<bob@mailsec.test>", "250");
            command(out, in, "DATA", "354");
            command(out, in, message + ".", "250");
            command(out, in, "QUIT", "221");
        }
    }

    private static void command(OutputStream out, BufferedReader in, String line, String code)
            throws Exception {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        expect(in, code);
    }

    private static void expect(BufferedReader in, String code) throws Exception {
        String line;
        do {
            line = in.readLine();
            assertThat(line).as("SMTP reply").isNotNull().startsWith(code);
        } while (line.charAt(3) == '-');
    }

    /** VerifyDkim, the sample's named rules as written, and a marker mailet per rule. */
    private static String rootMailets() {
        StringBuilder xml =
                new StringBuilder()
                        .append(
                                "<mailet match=\"All\" class=\"dev.mailsec.mailets.dkim.VerifyDkim\">\n")
                        .append("  <authservId>mailsec.test</authservId>\n")
                        .append("  <zoneFile>")
                        .append(ZONE)
                        .append("</zoneFile>\n")
                        .append("</mailet>\n");
        for (String rule : sampleRules()) {
            xml.append(rule).append('\n');
        }
        for (String rule : RULES) {
            xml.append("<mailet match=\"")
                    .append(rule)
                    .append("\" class=\"SetMimeHeader\"><name>X-Rule</name><value>")
                    .append(rule)
                    .append("</value></mailet>\n");
        }
        return xml.toString();
    }

    private static List<String> sampleRules() {
        try {
            Path sample =
                    Paths.get(System.getProperty("mailsec.conf.dir", "../conf"))
                            .resolve("mailetcontainer.xml");
            Document doc =
                    DocumentBuilderFactory.newInstance()
                            .newDocumentBuilder()
                            .parse(sample.toFile());
            List<String> found = new ArrayList<>();
            NodeList processors = doc.getElementsByTagName("processor");
            for (int i = 0; i < processors.getLength(); i++) {
                Element processor = (Element) processors.item(i);
                if (!"root".equals(processor.getAttribute("state"))) {
                    continue;
                }
                for (Node n = processor.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (n instanceof Element
                            && "matcher".equals(n.getNodeName())
                            && Set.copyOf(RULES).contains(((Element) n).getAttribute("name"))) {
                        found.add(xml(n));
                    }
                }
            }
            assertThat(found)
                    .as("named rules in the sample's root processor")
                    .hasSize(RULES.size());
            return found;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the sample's rules", e);
        }
    }

    private static String xml(Node node) throws Exception {
        var transformer = TransformerFactory.newInstance().newTransformer();
        transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
        StringWriter out = new StringWriter();
        transformer.transform(new DOMSource(node), new StreamResult(out));
        return out.toString();
    }

    private static Path emptyZoneFile() {
        try {
            Path dir = Files.createTempDirectory("mailsec-sample-rules");
            return Files.writeString(dir.resolve("empty.zone"), "; no keys\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
