package dev.mailsec.mailets.dmarc;

import dev.mailsec.dkim.DkimAttributeNames;
import dev.mailsec.dmarc.DmarcInputs;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

/**
 * Reads the DKIM, SPF and ARC verdicts of the #17 contract from a mail into {@link DmarcInputs}; an
 * absent or foreign value reads as "not evaluated".
 */
final class AuthAttributes {

    static final AttributeName DKIM = AttributeName.of(DkimAttributeNames.RESULTS);
    // the SPF and ARC helpers' constant classes land with their engines; the names are the
    // contract's
    static final AttributeName SPF = AttributeName.of("dev.mailsec.spf.result");
    static final AttributeName ARC = AttributeName.of("dev.mailsec.arc.result");

    /** ARC sets read at most (RFC 8617 section 4.2.1 allows 50). */
    static final int MAX_ARC_SETS = 50;

    private AuthAttributes() {}

    static void read(Mail mail, DmarcInputs.Builder in) {
        Optional<?> dkim = AttributeUtils.getAttributeValueFromMail(mail, DKIM);
        if (dkim.isPresent() && dkim.get() instanceof Collection) {
            int n = 0;
            for (Object item : (Collection<?>) dkim.get()) {
                if (++n > 50) {
                    break;
                }
                Map<String, String> m = strings(item);
                in.dkim(m.getOrDefault("result", ""), m.getOrDefault("d", ""));
            }
        }
        Map<String, String> spf =
                strings(AttributeUtils.getAttributeValueFromMail(mail, SPF).orElse(null));
        if (!spf.isEmpty()) {
            in.spf(spf.get("result"), spf.get("domain"), spf.get("scope"));
        }
        Map<String, String> arc =
                strings(AttributeUtils.getAttributeValueFromMail(mail, ARC).orElse(null));
        if (!arc.isEmpty()) {
            in.arc(arc.get("result"));
            for (int i = 1; i <= MAX_ARC_SETS; i++) {
                String sealer = arc.get("sealer." + i);
                if (sealer == null) {
                    break;
                }
                in.arcSet(i, sealer, arc.getOrDefault("aar." + i, ""));
            }
        }
    }

    /** A map attribute value as strings; anything else as an empty map. */
    static Map<String, String> strings(Object value) {
        Object map = value instanceof AttributeValue ? ((AttributeValue<?>) value).value() : value;
        Map<String, String> out = new HashMap<>();
        if (!(map instanceof Map)) {
            return out;
        }
        for (Map.Entry<?, ?> e : ((Map<?, ?>) map).entrySet()) {
            Object v =
                    e.getValue() instanceof AttributeValue
                            ? ((AttributeValue<?>) e.getValue()).value()
                            : e.getValue();
            if (v instanceof String) {
                out.put(String.valueOf(e.getKey()), (String) v);
            }
        }
        return out;
    }
}
