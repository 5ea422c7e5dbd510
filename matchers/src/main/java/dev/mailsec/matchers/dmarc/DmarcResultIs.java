package dev.mailsec.matchers.dmarc;

import dev.mailsec.dmarc.DmarcAttributeNames;
import dev.mailsec.dmarc.DmarcResult;
import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.matchers.Conditions;
import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

/**
 * Matches mail whose DMARC result ({@code VerifyDmarc}) is one of the given ones. Mail that {@code
 * VerifyDmarc} has not seen never matches. Returns all recipients, or none.
 *
 * <pre>{@code
 * <mailet match="dev.mailsec.matchers.dmarc.DmarcResultIs=temperror" class="ToProcessor">
 *     <processor>dmarc-retry</processor>
 * </mailet>
 * }</pre>
 *
 * Condition: {@code result[,result...]} from {@code pass fail none temperror permerror}.
 */
public class DmarcResultIs extends GenericMatcher {

    private Set<DmarcResult> results;

    @Override
    public void init() throws MessagingException {
        results =
                Conditions.read(
                        "DmarcResultIs",
                        getCondition(),
                        c ->
                                c.requiredOr("a condition is required, e.g. DmarcResultIs=fail")
                                        .enumSet(
                                                DmarcResult.class,
                                                DmarcResult::fromKeyword,
                                                "; use pass, fail, none, temperror or permerror"));
    }

    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        return PerMailGuard.call(getClass().getSimpleName(), () -> matchRecipients(mail));
    }

    private Collection<MailAddress> matchRecipients(Mail mail) {
        return DmarcAttribute.get(mail, DmarcAttributeNames.RESULT_KEY)
                .filter(r -> results.stream().anyMatch(x -> x.keyword().equals(r)))
                .map(r -> mail.getRecipients())
                .orElse(Collections.emptyList());
    }

    @Override
    public String getMatcherInfo() {
        return "DmarcResultIs: matches mail whose DMARC result is among the given ones";
    }
}
