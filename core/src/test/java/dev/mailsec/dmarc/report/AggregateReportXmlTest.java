package dev.mailsec.dmarc.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.config.XmlDocuments;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

class AggregateReportXmlTest {

    private static final AggregateReportXml.Metadata META =
            new AggregateReportXml.Metadata(
                    "Mailsec Test", "dmarc-reports@mx.test", "1.example.com@mx.test", 0, 86399);

    @Test
    void reportShouldValidateAgainstTheRfcSchemaAndHoldTheCounts() throws Exception {
        Map<ReportRow, Long> rows = new LinkedHashMap<>();
        rows.put(ReportFixtures.row("192.0.2.1", "none", true), 7L);
        rows.put(ReportFixtures.row("2001:db8::25", "reject", false), 3L);
        byte[] xml =
                AggregateReportXml.write(
                        META, PublishedPolicy.parse("example.com", ReportFixtures.RECORD), rows);

        RuaSchema.validate(xml);
        Document doc = XmlDocuments.parse(xml, false);
        assertThat(text(doc, "count")).containsExactly("7", "3");
        assertThat(text(doc, "source_ip")).containsExactly("192.0.2.1", "2001:db8:0:0:0:0:0:25");
        assertThat(text(doc, "disposition")).containsExactly("none", "reject");
        assertThat(text(doc, "p")).containsExactly("reject");
        assertThat(text(doc, "sp")).containsExactly("quarantine");
        assertThat(text(doc, "adkim")).containsExactly("s");
        assertThat(text(doc, "pct")).containsExactly("50");
        assertThat(text(doc, "selector")).containsExactly("sel1", "sel1");
        assertThat(text(doc, "scope")).containsExactly("mfrom", "mfrom");
        assertThat(text(doc, "envelope_from"))
                .containsExactly("bounce.example.com", "bounce.example.com");
    }

    @Test
    void overrideReasonsShouldMapIntoTheSchemasVocabulary() throws Exception {
        Map<String, String> dmarc =
                new LinkedHashMap<>(ReportFixtures.dmarc("192.0.2.9", "none", false));
        dmarc.put("override", "arc");
        ReportRow arc = ReportRows.from(dmarc, List.of(), null, "").orElseThrow();
        dmarc.put("override", "sampled_out");
        ReportRow sampled = ReportRows.from(dmarc, List.of(), null, "").orElseThrow();
        Map<ReportRow, Long> rows = new LinkedHashMap<>();
        rows.put(arc, 1L);
        rows.put(sampled, 1L);
        byte[] xml =
                AggregateReportXml.write(
                        META, PublishedPolicy.parse("example.com", ReportFixtures.RECORD), rows);

        RuaSchema.validate(xml);
        Document doc = XmlDocuments.parse(xml, false);
        assertThat(text(doc, "type")).containsExactly("local_policy", "sampled_out");
        assertThat(text(doc, "comment")).containsExactly("arc=pass");
        // SPF not evaluated: the schema wants one spf result, so "none" for the From domain
        assertThat(text(doc, "domain")).contains("example.com");
    }

    @Test
    void hostileValuesShouldStayInsideTheirElements() throws Exception {
        Map<String, String> dmarc =
                new LinkedHashMap<>(ReportFixtures.dmarc("192.0.2.9", "none", false));
        dmarc.put("sourceIp", "<script>");
        ReportRow row =
                ReportRows.from(
                                dmarc,
                                List.of(
                                        Map.of(
                                                "d", "x.test",
                                                "s", "</selector><x>&\u0001\ud800",
                                                "result", "evil")),
                                Map.of("result", "bogus", "domain", "a\tb", "scope", "??"),
                                "")
                        .orElseThrow();
        byte[] xml =
                AggregateReportXml.write(
                        META,
                        PublishedPolicy.parse("example.com", ReportFixtures.RECORD),
                        Map.of(row, 1L));

        RuaSchema.validate(xml);
        Document doc = XmlDocuments.parse(xml, false);
        assertThat(text(doc, "selector")).containsExactly("</selector><x>& ?");
        assertThat(text(doc, "source_ip")).containsExactly("0.0.0.0");
        assertThat(text(doc, "result")).containsExactly("none", "none");
    }

    @Test
    void theSchemaShouldRefuseAReportWithoutRecords() {
        byte[] xml =
                AggregateReportXml.write(
                        META,
                        PublishedPolicy.parse("example.com", ReportFixtures.RECORD),
                        Map.of());
        assertThatThrownBy(() -> RuaSchema.validate(xml)).isInstanceOf(SAXException.class);
        assertThat(new String(xml, StandardCharsets.UTF_8)).contains("<policy_published>");
    }

    static List<String> text(Document doc, String tag) {
        NodeList nodes = doc.getElementsByTagName(tag);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent());
        }
        return out;
    }
}
