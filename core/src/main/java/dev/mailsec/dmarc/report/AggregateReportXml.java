package dev.mailsec.dmarc.report;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes an aggregate report as RFC 7489 appendix C's XML ({@code feedback} with {@code version},
 * {@code report_metadata}, {@code policy_published} and one {@code record} per row), in the
 * schema's element order, without a namespace (as reports in the wild are; the appendix's schema
 * declares one its own type references do not resolve in). Every value goes through the StAX
 * writer's escaping.
 */
public final class AggregateReportXml {

    /** The report's header: who reports, which report, which period (epoch seconds). */
    public static final class Metadata {
        final String orgName;
        final String email;
        final String reportId;
        final long begin;
        final long end;

        public Metadata(String orgName, String email, String reportId, long begin, long end) {
            this.orgName = orgName;
            this.email = email;
            this.reportId = reportId;
            this.begin = begin;
            this.end = end;
        }
    }

    private AggregateReportXml() {}

    /** The report's XML, UTF-8. */
    public static byte[] write(Metadata meta, PublishedPolicy policy, Map<ReportRow, Long> rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            XMLStreamWriter w =
                    XMLOutputFactory.newFactory()
                            .createXMLStreamWriter(out, StandardCharsets.UTF_8.name());
            w.writeStartDocument(StandardCharsets.UTF_8.name(), "1.0");
            w.writeCharacters("\n");
            w.writeStartElement("feedback");
            text(w, "version", "1.0");
            w.writeStartElement("report_metadata");
            text(w, "org_name", meta.orgName);
            text(w, "email", meta.email);
            text(w, "report_id", meta.reportId);
            w.writeStartElement("date_range");
            text(w, "begin", Long.toString(meta.begin));
            text(w, "end", Long.toString(meta.end));
            w.writeEndElement();
            w.writeEndElement();
            w.writeStartElement("policy_published");
            text(w, "domain", policy.domain());
            text(w, "adkim", policy.adkim());
            text(w, "aspf", policy.aspf());
            text(w, "p", policy.p());
            text(w, "sp", policy.sp());
            text(w, "pct", Integer.toString(policy.pct()));
            text(w, "fo", policy.fo());
            w.writeEndElement();
            for (Map.Entry<ReportRow, Long> e : rows.entrySet()) {
                record(w, e.getKey(), e.getValue());
            }
            w.writeEndElement();
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write a DMARC report", e);
        }
        return out.toByteArray();
    }

    private static void record(XMLStreamWriter w, ReportRow r, long count)
            throws XMLStreamException {
        w.writeStartElement("record");
        w.writeStartElement("row");
        text(w, "source_ip", sourceIp(r.sourceIp));
        text(w, "count", Long.toString(count));
        w.writeStartElement("policy_evaluated");
        text(w, "disposition", r.disposition);
        text(w, "dkim", r.dkimAligned ? "pass" : "fail");
        text(w, "spf", r.spfAligned ? "pass" : "fail");
        if (!r.override.isEmpty()) {
            w.writeStartElement("reason");
            switch (r.override) {
                case "sampled_out":
                case "trusted_forwarder":
                case "local_policy":
                case "forwarded":
                case "mailing_list":
                    text(w, "type", r.override);
                    break;
                case "arc":
                    // RFC 7489 has no ARC override type; receivers report it as local policy
                    text(w, "type", "local_policy");
                    text(w, "comment", "arc=pass");
                    break;
                default:
                    text(w, "type", "other");
                    text(w, "comment", r.override);
                    break;
            }
            w.writeEndElement();
        }
        w.writeEndElement();
        w.writeEndElement();
        w.writeStartElement("identifiers");
        text(w, "envelope_from", r.envelopeFrom);
        text(w, "header_from", r.headerFrom);
        w.writeEndElement();
        w.writeStartElement("auth_results");
        for (ReportRow.Dkim d : r.dkim) {
            w.writeStartElement("dkim");
            text(w, "domain", d.domain);
            if (!d.selector.isEmpty()) {
                text(w, "selector", d.selector);
            }
            text(w, "result", d.result);
            w.writeEndElement();
        }
        w.writeStartElement("spf");
        text(w, "domain", r.spfDomain);
        text(w, "scope", r.spfScope);
        text(w, "result", r.spfResult);
        w.writeEndElement();
        w.writeEndElement();
        w.writeEndElement();
    }

    /**
     * Dotted IPv4 or uncompressed IPv6, the two forms the schema's pattern takes; "0.0.0.0" for a
     * value that is no address.
     */
    static String sourceIp(String ip) {
        String bare =
                ip.startsWith("[") && ip.endsWith("]") ? ip.substring(1, ip.length() - 1) : ip;
        // only literals reach InetAddress (a name would be looked up in DNS)
        boolean v4 = bare.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        boolean v6 = bare.indexOf(':') >= 0 && bare.matches("[0-9A-Fa-f:.]{2,45}");
        if (!v4 && !v6) {
            return "0.0.0.0";
        }
        try {
            return InetAddress.getByName(bare).getHostAddress();
        } catch (UnknownHostException e) {
            return "0.0.0.0";
        }
    }

    private static void text(XMLStreamWriter w, String name, String value)
            throws XMLStreamException {
        w.writeStartElement(name);
        w.writeCharacters(value);
        w.writeEndElement();
    }
}
