package dev.mailsec.mailets.mime;

import dev.mailsec.authentication.SmtpVerdicts;
import dev.mailsec.authres.MethodResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.mail.MessagingException;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

/**
 * The verdicts {@code RefuseDmarcReject} evaluated at SMTP time and left on the mail ({@link
 * SmtpVerdicts}), taken by the mailet of each method instead of evaluating again: only while the
 * message is the one the hook judged (its fingerprint), and once (the part taken is removed, so
 * mail reprocessed later is evaluated anew).
 */
public final class HandedVerdicts {

    public static final AttributeName NAME = AttributeName.of(SmtpVerdicts.ATTRIBUTE);

    /** One method's part: its Authentication-Results entries and its contract attribute value. */
    public static final class Part {
        public final List<MethodResult> results;
        public final AttributeValue<?> attribute;
        public final Optional<String> fromDomain;

        Part(List<MethodResult> results, AttributeValue<?> attribute, Optional<String> fromDomain) {
            this.results = results;
            this.attribute = attribute;
            this.fromDomain = fromDomain;
        }
    }

    private HandedVerdicts() {}

    /**
     * The method's part ({@link SmtpVerdicts#DKIM}, ...), removed from the mail; empty when there
     * is none, or the message changed since (then every part is dropped).
     */
    public static Optional<Part> take(Mail mail, String method) throws MessagingException {
        Optional<Attribute> attribute = mail.getAttribute(NAME);
        if (attribute.isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue<?>> handed = map(attribute.get().getValue());
        String now = SmtpVerdicts.fingerprint(mail.getMessage());
        if (!now.equals(string(handed.get(SmtpVerdicts.FINGERPRINT)))) {
            mail.removeAttribute(NAME);
            return Optional.empty();
        }
        Map<String, AttributeValue<?>> part = map(handed.get(method));
        Map<String, AttributeValue<?>> rest = new HashMap<>(handed);
        rest.remove(method);
        mail.setAttribute(new Attribute(NAME, AttributeValue.of(rest)));
        AttributeValue<?> result = part.get(SmtpVerdicts.RESULT);
        List<MethodResult> results = new ArrayList<>();
        for (AttributeValue<?> entry : list(part.get(SmtpVerdicts.AR))) {
            Map<String, String> strings = new HashMap<>();
            map(entry).forEach((k, v) -> strings.put(k, string(v)));
            Optional<MethodResult> r = SmtpVerdicts.methodResult(strings);
            if (r.isEmpty()) {
                return Optional.empty();
            }
            results.add(r.get());
        }
        if (result == null || results.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                new Part(
                        results,
                        result,
                        Optional.ofNullable(string(part.get(SmtpVerdicts.FROM_DOMAIN)))));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, AttributeValue<?>> map(AttributeValue<?> v) {
        return v != null && v.value() instanceof Map
                ? (Map<String, AttributeValue<?>>) v.value()
                : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static Collection<AttributeValue<?>> list(AttributeValue<?> v) {
        return v != null && v.value() instanceof Collection
                ? (Collection<AttributeValue<?>>) v.value()
                : List.of();
    }

    private static String string(AttributeValue<?> v) {
        return v != null && v.value() instanceof String ? (String) v.value() : null;
    }
}
