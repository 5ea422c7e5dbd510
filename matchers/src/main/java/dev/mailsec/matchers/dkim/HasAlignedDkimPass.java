package dev.mailsec.matchers.dkim;

import dev.mailsec.dkim.Alignment;
import dev.mailsec.dkim.DkimResult;
import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.matchers.Conditions;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

/**
 * Matches mail with a passing DKIM signature aligned with the From: domain in the DMARC sense (RFC
 * 7489 section 3.1.1), as recorded by {@code VerifyDkim}: {@code relaxed} (default; same
 * organizational domain per the Public Suffix List) or {@code strict} (same domain). Use it negated
 * to catch mail that claims a domain but is not signed by it. Returns all recipients, or none.
 *
 * <pre>{@code
 * <mailet match="dev.mailsec.matchers.dkim.HasAlignedDkimPass=strict" class="SetMimeHeader">
 *     <name>X-Aligned</name>
 *     <value>strict</value>
 * </mailet>
 * <matcher name="not-aligned" match="org.apache.james.mailetcontainer.impl.matchers.Not">
 *     <matcher match="dev.mailsec.matchers.dkim.HasAlignedDkimPass"/>
 * </matcher>
 * }</pre>
 *
 * (James 3.8.1 negates with the composite {@code Not} above; it has no {@code Not=} matcher.) A
 * condition other than {@code relaxed} or {@code strict} fails the start.
 */
public class HasAlignedDkimPass extends GenericMatcher {

    private Alignment mode;

    @Override
    public void init() throws MessagingException {
        Map<String, Alignment> words = new LinkedHashMap<>();
        words.put("relaxed", Alignment.RELAXED);
        words.put("strict", Alignment.STRICT);
        mode =
                Conditions.read(
                        "HasAlignedDkimPass",
                        getCondition(),
                        c -> c.oneOf(words, Alignment.RELAXED));
    }

    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        return PerMailGuard.call(getClass().getSimpleName(), () -> matchRecipients(mail));
    }

    private Collection<MailAddress> matchRecipients(Mail mail) {
        for (DkimAttribute.Entry e : DkimAttribute.read(mail)) {
            if (e.result.result() == DkimResult.PASS && e.alignment.satisfies(mode)) {
                return mail.getRecipients();
            }
        }
        return Collections.emptyList();
    }

    @Override
    public String getMatcherInfo() {
        return "HasAlignedDkimPass: matches mail with a passing DKIM signature aligned with From:";
    }
}
