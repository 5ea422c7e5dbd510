package dev.mailsec.dmarc.report;

import dev.mailsec.config.XmlDocuments;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.mail.BodyPart;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Reads incoming aggregate reports, as receivers send them: XML, gzipped XML, a zip holding the
 * XML, or a whole mail (.eml) carrying one of those. Hostile input is bounded: at most {@value
 * #MAX_XML} bytes of XML after decompression (a gzip or zip bomb stops there), {@value
 * #MAX_ZIP_ENTRIES} zip entries, {@value #MAX_PARTS} MIME parts, {@value #MAX_ROWS} records; the
 * XML reader refuses any DOCTYPE (no external entities, no entity expansion: no XXE, no billion
 * laughs). Anything else is a {@link ReportFormatException}.
 */
public final class ReceivedReports {

    public static final int MAX_XML = 32 << 20;
    public static final int MAX_ZIP_ENTRIES = 16;
    public static final int MAX_PARTS = 64;
    public static final int MAX_ROWS = 200_000;
    private static final int MAX_DEPTH = 8;

    private ReceivedReports() {}

    /** Reads one report from {@code data}, whatever its wrapping. */
    public static ReceivedReport read(byte[] data) throws ReportFormatException {
        return parseXml(unwrap(data, true));
    }

    private static byte[] unwrap(byte[] data, boolean mailAllowed) throws ReportFormatException {
        if (data.length >= 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
                return bounded(in, "gzip");
            } catch (IOException e) {
                throw new ReportFormatException("broken gzip: " + e.getMessage(), e);
            }
        }
        if (data.length >= 4 && data[0] == 'P' && data[1] == 'K' && data[2] == 3 && data[3] == 4) {
            return unzip(data);
        }
        if (looksLikeXml(data)) {
            if (data.length > MAX_XML) {
                throw new ReportFormatException("XML over " + MAX_XML + " bytes");
            }
            return data;
        }
        if (mailAllowed) {
            return fromMail(data);
        }
        throw new ReportFormatException("neither XML, gzip nor zip");
    }

    private static boolean looksLikeXml(byte[] data) {
        int i = 0;
        if (data.length >= 3 && (data[0] & 0xff) == 0xef && (data[1] & 0xff) == 0xbb) {
            i = 3;
        }
        while (i < data.length
                && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t')) {
            i++;
        }
        return i < data.length && data[i] == '<';
    }

    private static byte[] unzip(byte[] data) throws ReportFormatException {
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(data))) {
            ZipEntry e;
            int entries = 0;
            while ((e = zip.getNextEntry()) != null) {
                if (++entries > MAX_ZIP_ENTRIES) {
                    throw new ReportFormatException(
                            "zip with over " + MAX_ZIP_ENTRIES + " entries");
                }
                if (!e.isDirectory() && e.getName().toLowerCase(Locale.ROOT).endsWith(".xml")) {
                    return bounded(zip, "zip entry");
                }
            }
            throw new ReportFormatException("zip without an .xml entry");
        } catch (IOException | IllegalArgumentException e) {
            throw new ReportFormatException("broken zip: " + e.getMessage(), e);
        }
    }

    /** Reads at most MAX_XML bytes, counting what the stream really gives, not what it declares. */
    private static byte[] bounded(InputStream in, String what)
            throws IOException, ReportFormatException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            if (out.size() + n > MAX_XML) {
                throw new ReportFormatException(what + " expands beyond " + MAX_XML + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static byte[] fromMail(byte[] data) throws ReportFormatException {
        try {
            MimeMessage m =
                    new MimeMessage(
                            Session.getInstance(new Properties()), new ByteArrayInputStream(data));
            byte[] found = find(m, 0, new int[] {0});
            if (found == null) {
                throw new ReportFormatException("no report attachment in the message");
            }
            return unwrap(found, false);
        } catch (MessagingException | IOException | RuntimeException e) {
            throw new ReportFormatException("unreadable message: " + e, e);
        }
    }

    private static byte[] find(Part part, int depth, int[] parts)
            throws MessagingException, IOException, ReportFormatException {
        if (depth > MAX_DEPTH || ++parts[0] > MAX_PARTS) {
            throw new ReportFormatException("message nested too deep or with too many parts");
        }
        if (part.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) part.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart p = mp.getBodyPart(i);
                byte[] found = find(p, depth + 1, parts);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        String name = part.getFileName() == null ? "" : part.getFileName().toLowerCase(Locale.ROOT);
        if (part.isMimeType("application/gzip")
                || part.isMimeType("application/x-gzip")
                || part.isMimeType("application/zip")
                || part.isMimeType("application/x-zip-compressed")
                || part.isMimeType("text/xml")
                || part.isMimeType("application/xml")
                || name.endsWith(".xml")
                || name.endsWith(".xml.gz")
                || name.endsWith(".zip")) {
            try (InputStream in = part.getInputStream()) {
                return bounded(in, "attachment");
            }
        }
        return null;
    }

    private static ReceivedReport parseXml(byte[] xml) throws ReportFormatException {
        Document doc;
        try {
            doc = XmlDocuments.parse(xml, false);
        } catch (SAXException | IOException e) {
            throw new ReportFormatException("not well-formed XML: " + e.getMessage(), e);
        }
        Element root = doc.getDocumentElement();
        if (!"feedback".equals(name(root))) {
            throw new ReportFormatException("not a DMARC aggregate report (no <feedback>)");
        }
        Element meta = child(root, "report_metadata");
        Element range = meta == null ? null : child(meta, "date_range");
        Element policy = child(root, "policy_published");
        List<ReceivedReport.Row> rows = new ArrayList<>();
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element && "record".equals(name(n))) {
                if (rows.size() >= MAX_ROWS) {
                    throw new ReportFormatException("over " + MAX_ROWS + " records");
                }
                rows.add(row((Element) n));
            }
        }
        return new ReceivedReport(
                text(meta, "org_name"),
                text(meta, "report_id"),
                number(text(range, "begin")),
                number(text(range, "end")),
                text(policy, "domain"),
                text(policy, "p"),
                rows);
    }

    private static ReceivedReport.Row row(Element record) {
        Element row = child(record, "row");
        Element evaluated = row == null ? null : child(row, "policy_evaluated");
        return new ReceivedReport.Row(
                text(row, "source_ip"),
                Math.max(0, number(text(row, "count"))),
                text(evaluated, "disposition"),
                "pass".equals(text(evaluated, "dkim")),
                "pass".equals(text(evaluated, "spf")),
                text(child(record, "identifiers"), "header_from"));
    }

    private static String name(Node n) {
        String local = n.getLocalName();
        String name = local != null ? local : n.getNodeName();
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(colon + 1);
    }

    private static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element && name.equals(name(n))) {
                return (Element) n;
            }
        }
        return null;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        if (e == null) {
            return "";
        }
        String t = e.getTextContent().trim();
        return ReportRow.clean(t, 255);
    }

    private static long number(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
