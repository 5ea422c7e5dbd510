package dev.mailsec.matchers.dmarc;

import dev.mailsec.dmarc.DmarcAttributeNames;
import dev.mailsec.dmarc.DmarcPolicy;
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
 * Matches mail whose DMARC <em>disposition</em> ({@code VerifyDmarc}) is one of the given ones:
 * what to do after pct sampling, t=y and local overrides (allow-lists, trusted ARC sealers), not
 * the published policy. A pass, a none and an overridden fail all have disposition {@code none}.
 * Mail that {@code VerifyDmarc} has not seen never matches. Returns all recipients, or none.
 *
 * <pre>{@code
 * <mailet match="dev.mailsec.matchers.dmarc.DmarcPolicyIs=quarantine" class="ToRepository">
 *     <repositoryPath>memory://var/mail/dmarc-quarantine/</repositoryPath>
 * </mailet>
 * }</pre>
 *
 * Condition: {@code disposition[,disposition...]} from {@code none quarantine reject}.
 */
public class DmarcPolicyIs extends GenericMatcher {

    private Set<DmarcPolicy> dispositions;

    @Override
    public void init() throws MessagingException {
        dispositions =
                Conditions.read(
                        "DmarcPolicyIs",
                        getCondition(),
                        c ->
                                c.requiredOr("a condition is required, e.g. DmarcPolicyIs=reject")
                                        .enumSet(
                                                DmarcPolicy.class,
                                                DmarcPolicy::fromKeyword,
                                                "; use none, quarantine or reject"));
    }

    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        return PerMailGuard.call(getClass().getSimpleName(), () -> matchRecipients(mail));
    }

    private Collection<MailAddress> matchRecipients(Mail mail) {
        return DmarcAttribute.get(mail, DmarcAttributeNames.DISPOSITION)
                .filter(d -> dispositions.stream().anyMatch(x -> x.keyword().equals(d)))
                .map(d -> mail.getRecipients())
                .orElse(Collections.emptyList());
    }

    @Override
    public String getMatcherInfo() {
        return "DmarcPolicyIs: matches mail whose DMARC disposition is among the given ones";
    }
}
