package dev.mailsec.matchers.spf;

import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.matchers.Conditions;
import dev.mailsec.spf.SpfAttributeNames;
import dev.mailsec.spf.SpfResult;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

/**
 * Matches mail whose SPF result ({@value SpfAttributeNames#RESULT}, set by {@code VerifySpf}) is
 * one of the given ones. Mail {@code VerifySpf} has not seen never matches. Returns all recipients,
 * or none.
 *
 * <pre>{@code
 * <mailet match="dev.mailsec.matchers.spf.SpfResultIs=fail" class="ToRepository">
 *     <repositoryPath>memory://var/mail/spf-failed/</repositoryPath>
 * </mailet>
 * }</pre>
 *
 * Condition: {@code result[,result...]} from {@code pass fail softfail neutral none temperror
 * permerror}; anything else fails the start.
 */
public class SpfResultIs extends GenericMatcher {

    private static final AttributeName RESULT = AttributeName.of(SpfAttributeNames.RESULT);

    private Set<SpfResult.Code> results;

    @Override
    public void init() throws MessagingException {
        results =
                Conditions.read(
                        "SpfResultIs",
                        getCondition(),
                        c ->
                                c.requiredOr("a condition is required, e.g. SpfResultIs=fail")
                                        .enumSet(
                                                SpfResult.Code.class,
                                                SpfResult.Code::fromKeyword,
                                                "; use pass, fail, softfail, neutral, none,"
                                                        + " temperror or permerror"));
    }

    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        return PerMailGuard.call(getClass().getSimpleName(), () -> matchRecipients(mail));
    }

    private Collection<MailAddress> matchRecipients(Mail mail) {
        Optional<?> value = AttributeUtils.getAttributeValueFromMail(mail, RESULT);
        if (value.isEmpty() || !(value.get() instanceof Map)) {
            return Collections.emptyList();
        }
        Object result = ((Map<?, ?>) value.get()).get(SpfAttributeNames.RESULT_KEY);
        if (result instanceof AttributeValue) {
            result = ((AttributeValue<?>) result).value();
        }
        for (SpfResult.Code code : results) {
            if (code.keyword().equals(result)) {
                return mail.getRecipients();
            }
        }
        return Collections.emptyList();
    }

    @Override
    public String getMatcherInfo() {
        return "SpfResultIs: matches mail whose SPF result is among the given ones";
    }
}
