package dev.mailsec.it.guard;

import dev.mailsec.guard.PerMailGuard;
import javax.mail.MessagingException;
import org.apache.mailet.Attribute;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * Test-only mailet built like ours (its work inside {@link PerMailGuard}): for a mail whose subject
 * starts with {@code overflow} it recurses until the stack overflows, as Bouncy Castle did on a
 * nested signature. {@code guarded=false} leaves the guard out, to show what James does without it.
 *
 * <pre>{@code <mailet match="All" class="dev.mailsec.it.guard.OverflowingMailet"/>}</pre>
 */
public class OverflowingMailet extends GenericMailet {

    private boolean guarded;

    @Override
    public void init() throws MessagingException {
        guarded = Boolean.parseBoolean(getInitParameter("guarded", "true"));
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        if (guarded) {
            PerMailGuard.run(getMailetName(), () -> process(mail));
        } else {
            process(mail);
        }
    }

    private void process(Mail mail) throws MessagingException {
        String subject = mail.getMessage().getSubject();
        if (subject != null && subject.startsWith("overflow")) {
            mail.setAttribute(Attribute.convertToAttribute("depth", depth(0)));
        }
    }

    private static int depth(int n) {
        return depth(n + 1) + 1;
    }
}
