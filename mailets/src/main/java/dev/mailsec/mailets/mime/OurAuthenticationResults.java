package dev.mailsec.mailets.mime;

import dev.mailsec.authres.AuthenticationResults;
import dev.mailsec.authres.MethodResult;
import java.util.ArrayList;
import java.util.List;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our one {@code Authentication-Results} field per mail, shared by every check of the pack (DKIM,
 * SPF, ARC, DMARC): the first check that writes removes the fields a sender forged with our
 * authserv-id (RFC 8601 section 5) and adds ours; each later check appends its results to that
 * field. Which field is ours is remembered on the mail ({@link #WRITTEN}, holding the authserv-id),
 * so a forged field can never be mistaken for it, whatever order the checks run in.
 */
public final class OurAuthenticationResults {

    private static final Logger LOG = LoggerFactory.getLogger(OurAuthenticationResults.class);

    /** Set on the mail once our field is in its message; its value is the authserv-id. */
    public static final AttributeName WRITTEN = AttributeName.of("dev.mailsec.authres.written");

    private OurAuthenticationResults() {}

    /**
     * Adds these results to the mail's message under this authserv-id and saves the header change.
     */
    public static void add(Mail mail, String authservId, List<MethodResult> results)
            throws MessagingException {
        MimeMessage message = mail.getMessage();
        AuthenticationResults ours = AuthenticationResults.of(authservId, results);
        boolean written =
                mail.getAttribute(WRITTEN)
                        .map(a -> authservId.equalsIgnoreCase(String.valueOf(a.getValue().value())))
                        .orElse(false);
        String[] existing = message.getHeader(AuthenticationResults.HEADER_NAME);
        List<String> keep = new ArrayList<>();
        boolean appended = false;
        if (existing != null) {
            for (String value : existing) {
                if (!AuthenticationResults.claims(value, authservId)) {
                    keep.add(value);
                } else if (written && !appended) {
                    keep.add(ours.appendedTo(value));
                    appended = true;
                } else {
                    LOG.info(
                            "removed an Authentication-Results field claiming our authserv-id {}",
                            authservId);
                }
            }
        }
        if (!appended) {
            keep.add(0, ours.foldedValue());
        }
        message.removeHeader(AuthenticationResults.HEADER_NAME);
        for (String value : keep) {
            message.addHeader(AuthenticationResults.HEADER_NAME, value);
        }
        HeaderChanges.save(mail);
        mail.setAttribute(new Attribute(WRITTEN, AttributeValue.of(authservId)));
    }
}
