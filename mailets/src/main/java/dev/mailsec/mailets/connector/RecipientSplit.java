package dev.mailsec.mailets.connector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;

/**
 * Sends the recipients whose domain a policy claims to another processor (RouteByMtaSts,
 * RouteByDane): all of them by moving the mail, some by a copy carrying only them; the others stay.
 * Each domain is asked once per mail.
 */
final class RecipientSplit {

    private RecipientSplit() {}

    static void toProcessor(
            Mail mail, Predicate<String> claimedDomain, String processor, MailetContext context)
            throws MessagingException {
        Map<String, Boolean> claimedByDomain = new HashMap<>();
        List<MailAddress> claimed = new ArrayList<>();
        List<MailAddress> others = new ArrayList<>();
        for (MailAddress recipient : mail.getRecipients()) {
            boolean claims =
                    claimedByDomain.computeIfAbsent(
                            recipient.getDomain().asString(), claimedDomain::test);
            (claims ? claimed : others).add(recipient);
        }
        if (claimed.isEmpty()) {
            return;
        }
        if (others.isEmpty()) {
            mail.setState(processor);
            return;
        }
        Mail copy = mail.duplicate();
        copy.setRecipients(claimed);
        context.sendMail(copy, processor);
        mail.setRecipients(others);
    }
}
