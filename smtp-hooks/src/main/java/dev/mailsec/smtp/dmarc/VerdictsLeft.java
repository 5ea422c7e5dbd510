package dev.mailsec.smtp.dmarc;

import dev.mailsec.authentication.SmtpVerdicts;
import dev.mailsec.authentication.Verdicts;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.mail.MessagingException;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

/**
 * Leaves the SMTP-time verdicts on the accepted mail as {@link SmtpVerdicts#ATTRIBUTE}, with the
 * fingerprint of the message as James stored it, for the mailets to write instead of evaluating
 * again.
 */
final class VerdictsLeft {

    static final AttributeName NAME = AttributeName.of(SmtpVerdicts.ATTRIBUTE);

    private VerdictsLeft() {}

    static void put(Mail mail, Verdicts v) throws MessagingException {
        String fingerprint = SmtpVerdicts.fingerprint(mail.getMessage());
        mail.setAttribute(new Attribute(NAME, value(SmtpVerdicts.of(v, fingerprint))));
    }

    /** Plain strings, lists and maps as attribute values. */
    static AttributeValue<?> value(Object o) {
        if (o instanceof Map) {
            Map<String, AttributeValue<?>> map = new HashMap<>();
            ((Map<?, ?>) o).forEach((k, v) -> map.put(String.valueOf(k), value(v)));
            return AttributeValue.of(map);
        }
        if (o instanceof Collection) {
            List<AttributeValue<?>> list = new ArrayList<>();
            ((Collection<?>) o).forEach(v -> list.add(value(v)));
            return AttributeValue.of(list);
        }
        return AttributeValue.of(String.valueOf(o));
    }
}
