package dev.mailsec.tls.report;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.mailsec.dmarc.report.ReportFormatException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.zip.GZIPInputStream;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

/**
 * Reads incoming TLS reports (RFC 8460) as senders deliver them: JSON, gzipped JSON, or a whole
 * mail (.eml) whose {@code application/tlsrpt+gzip} or {@code application/tlsrpt+json} attachment
 * holds one. Hostile input is bounded: at most {@value #MAX_JSON} bytes of JSON after
 * decompression, {@value #MAX_PARTS} MIME parts, {@value #MAX_POLICIES} policies and {@value
 * #MAX_DETAILS} failure details each; counts must be whole numbers from 0 to 2^53. Anything else is
 * a {@link ReportFormatException}.
 */
public final class ReceivedTlsReports {

    public static final int MAX_JSON = 8 << 20;
    public static final int MAX_PARTS = 64;
    public static final int MAX_POLICIES = 10_000;
    public static final int MAX_DETAILS = 10_000;
    private static final double MAX_COUNT = 9_007_199_254_740_992d;

    private ReceivedTlsReports() {}

    /** Reads one report from {@code data}, whatever its wrapping. */
    public static ReceivedTlsReport read(byte[] data) throws ReportFormatException {
        return parse(unwrap(data, true));
    }

    private static byte[] unwrap(byte[] data, boolean mailAllowed) throws ReportFormatException {
        if (data.length >= 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
                return bounded(in);
            } catch (IOException e) {
                throw new ReportFormatException("broken gzip: " + e.getMessage(), e);
            }
        }
        int i = 0;
        while (i < data.length && Character.isWhitespace(data[i])) {
            i++;
        }
        if (i < data.length && data[i] == '{') {
            if (data.length > MAX_JSON) {
                throw new ReportFormatException("JSON over " + MAX_JSON + " bytes");
            }
            return data;
        }
        if (!mailAllowed) {
            throw new ReportFormatException("neither JSON nor gzip");
        }
        try {
            MimeMessage m =
                    new MimeMessage(
                            Session.getInstance(new Properties()), new ByteArrayInputStream(data));
            byte[] found = attachment(m, 0, new int[] {0});
            if (found == null) {
                throw new ReportFormatException("no TLS report attachment in the message");
            }
            return unwrap(found, false);
        } catch (MessagingException | IOException | RuntimeException e) {
            throw new ReportFormatException("unreadable message: " + e, e);
        }
    }

    private static byte[] attachment(Part part, int depth, int[] parts)
            throws MessagingException, IOException, ReportFormatException {
        if (depth > 8 || ++parts[0] > MAX_PARTS) {
            throw new ReportFormatException("message nested too deep or with too many parts");
        }
        if (part.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) part.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                byte[] found = attachment(mp.getBodyPart(i), depth + 1, parts);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        String name = part.getFileName() == null ? "" : part.getFileName().toLowerCase(Locale.ROOT);
        if (part.isMimeType("application/tlsrpt+gzip")
                || part.isMimeType("application/tlsrpt+json")
                || name.endsWith(".json")
                || name.endsWith(".json.gz")) {
            try (InputStream in = part.getInputStream()) {
                return bounded(in);
            }
        }
        return null;
    }

    private static byte[] bounded(InputStream in) throws IOException, ReportFormatException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            if (out.size() + n > MAX_JSON) {
                throw new ReportFormatException("report expands beyond " + MAX_JSON + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static ReceivedTlsReport parse(byte[] json) throws ReportFormatException {
        Map<String, Object> root;
        try {
            root = JSONObjectUtils.parse(new String(json, StandardCharsets.UTF_8), MAX_JSON);
        } catch (ParseException | RuntimeException e) {
            throw new ReportFormatException("not a JSON object: " + e.getMessage(), e);
        }
        Map<String, Object> range = object(root.get("date-range"), "date-range");
        List<?> policies = list(root.get("policies"), "policies", MAX_POLICIES);
        List<ReceivedTlsReport.Policy> out = new ArrayList<>();
        for (Object p : policies) {
            Map<String, Object> entry = object(p, "policies[]");
            Map<String, Object> policy = object(entry.get("policy"), "policy");
            Map<String, Object> summary = object(entry.get("summary"), "summary");
            Map<String, Long> byType = new LinkedHashMap<>();
            Object details = entry.get("failure-details");
            if (details != null) {
                for (Object d : list(details, "failure-details", MAX_DETAILS)) {
                    Map<String, Object> detail = object(d, "failure-details[]");
                    byType.merge(
                            text(detail.get("result-type"), "result-type"),
                            count(detail.get("failed-session-count"), "failed-session-count"),
                            (a, b) -> Math.min(a + b, (long) MAX_COUNT));
                }
            }
            out.add(
                    new ReceivedTlsReport.Policy(
                            text(policy.get("policy-domain"), "policy-domain")
                                    .toLowerCase(Locale.ROOT),
                            text(policy.get("policy-type"), "policy-type"),
                            count(
                                    summary.get("total-successful-session-count"),
                                    "total-successful-session-count"),
                            count(
                                    summary.get("total-failure-session-count"),
                                    "total-failure-session-count"),
                            byType));
        }
        return new ReceivedTlsReport(
                text(root.get("organization-name"), "organization-name"),
                text(root.get("report-id"), "report-id"),
                text(range.get("start-datetime"), "start-datetime"),
                text(range.get("end-datetime"), "end-datetime"),
                out);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object o, String field) throws ReportFormatException {
        if (!(o instanceof Map)) {
            throw new ReportFormatException(field + ": not an object");
        }
        return (Map<String, Object>) o;
    }

    private static List<?> list(Object o, String field, int max) throws ReportFormatException {
        if (!(o instanceof List)) {
            throw new ReportFormatException(field + ": not an array");
        }
        if (((List<?>) o).size() > max) {
            throw new ReportFormatException(field + ": over " + max + " entries");
        }
        return (List<?>) o;
    }

    private static String text(Object o, String field) throws ReportFormatException {
        if (!(o instanceof String) || ((String) o).isEmpty()) {
            throw new ReportFormatException(field + ": not a string");
        }
        String s = (String) o;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 255; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }

    private static long count(Object o, String field) throws ReportFormatException {
        if (!(o instanceof Number)) {
            throw new ReportFormatException(field + ": not a number");
        }
        double d = ((Number) o).doubleValue();
        if (!(d >= 0 && d <= MAX_COUNT) || d != Math.rint(d)) {
            throw new ReportFormatException(field + ": not a count");
        }
        return (long) d;
    }
}
