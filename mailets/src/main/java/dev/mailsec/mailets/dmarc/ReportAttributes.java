package dev.mailsec.mailets.dmarc;

import dev.mailsec.dkim.DkimAttributeNames;
import dev.mailsec.dmarc.DmarcAttributeNames;
import dev.mailsec.spf.SpfAttributeNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

/**
 * Reads the verify mailets' results off a mail as plain maps for the report engine. The names are
 * issue 17's attribute contract (the same strings as {@code DmarcAttributeNames.RESULT} and {@code
 * SpfAttributeNames.RESULT} in core).
 */
final class ReportAttributes {

    static final AttributeName DMARC = AttributeName.of(DmarcAttributeNames.RESULT);
    static final AttributeName SPF = AttributeName.of(SpfAttributeNames.RESULT);
    static final AttributeName DKIM = AttributeName.of(DkimAttributeNames.RESULTS);

    private ReportAttributes() {}

    /** A string map attribute, or null when absent or of another shape. */
    static Map<String, String> map(Mail mail, AttributeName name) {
        Optional<Object> value =
                mail.getAttribute(name).map(Attribute::getValue).map(v -> v.value());
        return value.map(ReportAttributes::toMap).orElse(null);
    }

    /** A list of string maps, empty when absent. */
    static List<Map<String, String>> list(Mail mail, AttributeName name) {
        List<Map<String, String>> out = new ArrayList<>();
        Object value = mail.getAttribute(name).map(a -> a.getValue().value()).orElse(null);
        if (value instanceof List) {
            for (Object item : (List<?>) value) {
                Map<String, String> m = toMap(unwrap(item));
                if (m != null) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    private static Map<String, String> toMap(Object value) {
        if (!(value instanceof Map)) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        ((Map<?, ?>) value)
                .forEach(
                        (k, v) -> {
                            Object plain = unwrap(v);
                            if (k instanceof String && plain != null) {
                                out.put((String) k, plain.toString());
                            }
                        });
        return out;
    }

    private static Object unwrap(Object v) {
        return v instanceof AttributeValue ? ((AttributeValue<?>) v).value() : v;
    }
}
