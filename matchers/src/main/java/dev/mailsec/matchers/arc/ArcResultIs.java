package dev.mailsec.matchers.arc;

import dev.mailsec.arc.ArcAttributeNames;
import dev.mailsec.arc.ArcResult;
import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.matchers.Conditions;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

/**
 * Matches mail whose ARC chain verdict, as {@code VerifyArc} recorded it in {@value
 * ArcAttributeNames#RESULT}, is one of the given results. Mail that {@code VerifyArc} has not seen
 * never matches. Returns all recipients, or none.
 *
 * <pre>{@code
 * <mailet match="dev.mailsec.matchers.arc.ArcResultIs=fail" class="ToRepository">
 *     <repositoryPath>memory://var/mail/arc-failed/</repositoryPath>
 * </mailet>
 * }</pre>
 *
 * Condition: {@code result[,result...]} from {@code pass fail none}; anything else fails the start.
 */
public class ArcResultIs extends GenericMatcher {
    static final AttributeName RESULT = AttributeName.of(ArcAttributeNames.RESULT);

    private Set<ArcResult> results;

    @Override
    public void init() throws MessagingException {
        Conditions.read(
                "ArcResultIs",
                getCondition(),
                c -> {
                    results =
                            c.requiredOr("a condition is required, e.g. ArcResultIs=pass")
                                    .enumSet(
                                            ArcResult.class,
                                            ArcResultIs::result,
                                            "; use pass, fail or none");
                    return null;
                });
    }

    private static ArcResult result(String word) {
        ArcResult r = ArcResult.fromKeyword(word);
        if (r == null) {
            throw new IllegalArgumentException("unknown ARC result '" + word + "'");
        }
        return r;
    }

    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        return PerMailGuard.call(getClass().getSimpleName(), () -> matchRecipients(mail));
    }

    private Collection<MailAddress> matchRecipients(Mail mail) {
        Object value = mail.getAttribute(RESULT).map(a -> a.getValue().value()).orElse(null);
        if (value instanceof Map) {
            Object r = ((Map<?, ?>) value).get(ArcAttributeNames.RESULT_KEY);
            Object keyword = r instanceof AttributeValue ? ((AttributeValue<?>) r).value() : r;
            ArcResult result = ArcResult.fromKeyword(String.valueOf(keyword));
            if (result != null && results.contains(result)) {
                return mail.getRecipients();
            }
        }
        return Collections.emptyList();
    }

    @Override
    public String getMatcherInfo() {
        return "ArcResultIs: matches mail whose ARC chain verdict is among the given ones";
    }
}
