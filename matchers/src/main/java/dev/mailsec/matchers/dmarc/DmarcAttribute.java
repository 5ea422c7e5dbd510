package dev.mailsec.matchers.dmarc;

import dev.mailsec.dmarc.DmarcAttributeNames;
import java.util.Map;
import java.util.Optional;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

/** Reads one key of the verdict {@code VerifyDmarc} stored; absent or foreign reads as empty. */
final class DmarcAttribute {

    static final AttributeName RESULT = AttributeName.of(DmarcAttributeNames.RESULT);

    private DmarcAttribute() {}

    static Optional<String> get(Mail mail, String key) {
        Optional<?> value = AttributeUtils.getAttributeValueFromMail(mail, RESULT);
        if (value.isEmpty() || !(value.get() instanceof Map)) {
            return Optional.empty();
        }
        Object v = ((Map<?, ?>) value.get()).get(key);
        if (v instanceof AttributeValue) {
            v = ((AttributeValue<?>) v).value();
        }
        return v instanceof String ? Optional.of((String) v) : Optional.empty();
    }
}
