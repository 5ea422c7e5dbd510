package dev.mailsec.matchers.dkim;

import dev.mailsec.dkim.Alignment;
import dev.mailsec.dkim.DkimAttributeNames;
import dev.mailsec.dkim.DkimSignatureResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

/**
 * Reads back the per-signature results {@code VerifyDkim} stored; an absent or foreign value reads
 * as empty.
 */
final class DkimAttribute {

    static final AttributeName RESULTS = AttributeName.of(DkimAttributeNames.RESULTS);

    /** One stored signature result with its alignment. */
    static final class Entry {
        final DkimSignatureResult result;
        final Alignment alignment;

        Entry(DkimSignatureResult result, Alignment alignment) {
            this.result = result;
            this.alignment = alignment;
        }
    }

    private DkimAttribute() {}

    static List<Entry> read(Mail mail) {
        Optional<?> value = AttributeUtils.getAttributeValueFromMail(mail, RESULTS);
        if (value.isEmpty() || !(value.get() instanceof Collection)) {
            return Collections.emptyList();
        }
        List<Entry> out = new ArrayList<>();
        for (Object item : (Collection<?>) value.get()) {
            Object map = item instanceof AttributeValue ? ((AttributeValue<?>) item).value() : item;
            if (!(map instanceof Map)) {
                continue;
            }
            Map<String, String> strings = new HashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) map).entrySet()) {
                Object v =
                        e.getValue() instanceof AttributeValue
                                ? ((AttributeValue<?>) e.getValue()).value()
                                : e.getValue();
                if (v instanceof String) {
                    strings.put(String.valueOf(e.getKey()), (String) v);
                }
            }
            try {
                String aligned = strings.getOrDefault(DkimAttributeNames.ALIGNED_KEY, "none");
                out.add(
                        new Entry(
                                DkimSignatureResult.fromMap(strings),
                                Alignment.fromKeyword(aligned)));
            } catch (IllegalArgumentException notOurs) {
                // an entry someone else wrote under our name: it cannot match
            }
        }
        return out;
    }
}
