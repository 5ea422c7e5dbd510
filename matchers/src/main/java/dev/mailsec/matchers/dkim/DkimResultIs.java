package dev.mailsec.matchers.dkim;

import dev.mailsec.dkim.DkimResult;
import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.mail.DomainName;
import dev.mailsec.matchers.Conditions;
import java.util.Collection;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

/**
 * Matches mail for which {@code VerifyDkim} recorded at least one signature with one of the given
 * results, optionally only signatures of one signing domain ({@code d=}, exact, case-insensitive).
 * {@code none} matches a mail without any signature. Mail that {@code VerifyDkim} has not seen
 * never matches. Returns all recipients, or none.
 *
 * <pre>{@code
 * <mailet match="dev.mailsec.matchers.dkim.DkimResultIs=fail,permerror" class="ToRepository">
 *     <repositoryPath>memory://var/mail/dkim-failed/</repositoryPath>
 * </mailet>
 * <mailet match="dev.mailsec.matchers.dkim.DkimResultIs=pass@bank.example" class="SetMimeHeader">
 *     <name>X-Bank-Verified</name>
 *     <value>yes</value>
 * </mailet>
 * }</pre>
 *
 * Condition: {@code result[,result...][@domain]} with results from {@code pass fail neutral policy
 * temperror permerror none}; anything else fails the start.
 */
public class DkimResultIs extends GenericMatcher {

    private Set<DkimResult> results;
    private String domain;

    @Override
    public void init() throws MessagingException {
        Conditions.read(
                "DkimResultIs",
                getCondition(),
                c -> {
                    String text =
                            c.requiredOr(
                                            "a condition is required, e.g."
                                                    + " DkimResultIs=fail,permerror")
                                    .text();
                    int at = text.indexOf('@');
                    if (at >= 0) {
                        String written = text.substring(at + 1).trim().toLowerCase(Locale.ROOT);
                        domain =
                                DomainName.normalize(written)
                                        .orElseThrow(
                                                () ->
                                                        c.fail(
                                                                "'"
                                                                        + written
                                                                        + "' after '@' is not a domain name"));
                    } else {
                        domain = null;
                    }
                    results =
                            c.part(at < 0 ? text : text.substring(0, at))
                                    .enumSet(
                                            DkimResult.class,
                                            DkimResult::fromKeyword,
                                            "; use pass, fail, neutral, policy, temperror,"
                                                    + " permerror or none");
                    return null;
                });
    }

    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        return PerMailGuard.call(getClass().getSimpleName(), () -> matchRecipients(mail));
    }

    private Collection<MailAddress> matchRecipients(Mail mail) {
        for (DkimAttribute.Entry e : DkimAttribute.read(mail)) {
            boolean domainMatches = domain == null || domain.equals(e.result.domain());
            if (domainMatches && results.contains(e.result.result())) {
                return mail.getRecipients();
            }
        }
        return Collections.emptyList();
    }

    @Override
    public String getMatcherInfo() {
        return "DkimResultIs: matches mail with a DKIM signature result among the given ones";
    }
}
