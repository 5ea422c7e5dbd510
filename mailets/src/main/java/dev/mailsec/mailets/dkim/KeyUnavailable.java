package dev.mailsec.mailets.dkim;

import dev.mailsec.dkim.DomainSigner;
import javax.mail.MessagingException;
import org.apache.mailet.Mail;
import org.slf4j.Logger;

/**
 * What SignDkim and SealArc do when the key store fails: without {@code onKeyStoreFailure} the mail
 * fails (James retries it), with it the mail goes to that processor.
 */
public final class KeyUnavailable {

    private KeyUnavailable() {}

    /**
     * @param mailet the mailet's name, first in the exception's message
     * @param notDone what did not happen to the mail ("signed", "sealed")
     * @param failureProcessor the processor to send the mail to, or null to throw
     * @param log the mailet's logger
     */
    public static void handle(
            String mailet,
            String notDone,
            Mail mail,
            String failureProcessor,
            DomainSigner.KeyUnavailableException e,
            Logger log)
            throws MessagingException {
        if (failureProcessor == null) {
            throw new MessagingException(
                    mailet + ": " + e.getMessage() + "; mail " + mail.getName() + " not " + notDone,
                    e.getCause());
        }
        log.warn(
                "mail {} sent to processor {}: {}",
                mail.getName(),
                failureProcessor,
                e.getMessage());
        mail.setState(failureProcessor);
    }
}
