package dev.mailsec.matchers.smime;

import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.smime.SmimeKind;
import dev.mailsec.smime.SmimeMessages;
import java.util.Collection;
import java.util.Collections;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

/**
 * Matches mail whose top-level Content-Type is S/MIME encrypted: {@code application/pkcs7-mime}
 * with {@code smime-type=enveloped-data} or {@code authEnveloped-data} (or without smime-type). All
 * recipients, or none.
 *
 * <pre>{@code
 * <mailet match="dev.mailsec.matchers.smime.IsSmimeEncrypted" class="dev.mailsec.mailets.smime.DecryptSmime">
 *     <keyFolder>/etc/james/smime/keys</keyFolder>
 * </mailet>
 * }</pre>
 */
public class IsSmimeEncrypted extends GenericMatcher {

    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        return PerMailGuard.call(getClass().getSimpleName(), () -> matchRecipients(mail));
    }

    private Collection<MailAddress> matchRecipients(Mail mail) throws MessagingException {
        return SmimeMessages.classify(mail.getMessage().getContentType()) == SmimeKind.ENCRYPTED
                ? mail.getRecipients()
                : Collections.emptyList();
    }

    @Override
    public String getMatcherInfo() {
        return "IsSmimeEncrypted: matches S/MIME encrypted mail";
    }
}
