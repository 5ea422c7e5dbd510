package dev.mailsec.matchers.smime;

import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.matchers.Conditions;
import dev.mailsec.smime.SmimeAttributeNames;
import dev.mailsec.smime.SmimeResult;
import java.util.Collection;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

/**
 * Matches mail whose S/MIME verification result (set by {@code VerifySmime}) is one of the listed
 * results. All recipients, or none; mail that was never verified does not match.
 *
 * <pre>{@code
 * <mailet match="dev.mailsec.matchers.smime.SmimeResultIs=fail,permerror" class="ToProcessor">
 *     <processor>smime-quarantine</processor>
 * </mailet>
 * }</pre>
 *
 * The condition is a comma-separated list of {@code none, pass, fail, policy, neutral, temperror,
 * permerror}; anything else fails the start.
 */
public class SmimeResultIs extends GenericMatcher {

    private static final AttributeName RESULT =
            AttributeName.of(SmimeAttributeNames.VERIFICATION_RESULT);

    private Set<SmimeResult> wanted;

    @Override
    public void init() throws MessagingException {
        wanted =
                Conditions.read(
                        "SmimeResultIs",
                        getCondition(),
                        c ->
                                c.required("list results", "fail,permerror")
                                        .enumSet(SmimeResult.class, SmimeResult::parse, ""));
    }

    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        return PerMailGuard.call(getClass().getSimpleName(), () -> matchRecipients(mail));
    }

    private Collection<MailAddress> matchRecipients(Mail mail) {
        Optional<String> result =
                AttributeUtils.getValueAndCastFromMail(mail, RESULT, String.class);
        if (result.isEmpty()) {
            return Collections.emptyList();
        }
        try {
            return wanted.contains(SmimeResult.parse(result.get()))
                    ? mail.getRecipients()
                    : Collections.emptyList();
        } catch (IllegalArgumentException e) {
            return Collections.emptyList();
        }
    }

    @Override
    public String getMatcherInfo() {
        return "SmimeResultIs: matches mail by its S/MIME verification result";
    }
}
