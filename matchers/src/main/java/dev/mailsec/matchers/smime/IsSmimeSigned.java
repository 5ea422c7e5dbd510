package dev.mailsec.matchers.smime;

import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.smime.SmimeMessages;
import java.util.Collection;
import java.util.Collections;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

/**
 * Matches mail whose top-level Content-Type is an S/MIME signature: {@code multipart/signed} with
 * protocol {@code application/pkcs7-signature}, or {@code application/pkcs7-mime;
 * smime-type=signed-data}. Whether the signature is valid is {@code VerifySmime}'s job. All
 * recipients, or none.
 *
 * <pre>{@code
 * <mailet match="dev.mailsec.matchers.smime.IsSmimeSigned" class="dev.mailsec.mailets.smime.VerifySmime">
 *     <trustAnchors>/etc/james/smime/ca.pem</trustAnchors>
 * </mailet>
 * }</pre>
 */
public class IsSmimeSigned extends GenericMatcher {

    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        return PerMailGuard.call(getClass().getSimpleName(), () -> matchRecipients(mail));
    }

    private Collection<MailAddress> matchRecipients(Mail mail) throws MessagingException {
        return SmimeMessages.classify(mail.getMessage().getContentType()).isSigned()
                ? mail.getRecipients()
                : Collections.emptyList();
    }

    @Override
    public String getMatcherInfo() {
        return "IsSmimeSigned: matches S/MIME signed mail";
    }
}
