package dev.mailsec.portal;

import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.helpers.MessageFormatter;

/**
 * Warnings that an operator must see (a passcode mail that could not be sent, an access-log write
 * that failed). They go to slf4j when a logging backend is bound; the command line binds none
 * (slf4j-nop), so there they go to stderr, which {@code ./mailsec run} keeps in {@code
 * logs/portal.log}. Never passed secrets.
 */
final class PortalLog {

    private PortalLog() {}

    static void warn(Logger log, String format, Object... args) {
        if (log.isWarnEnabled()) {
            log.warn(format, args);
        } else {
            System.err.println(
                    Instant.now()
                            + " mailsec portal: "
                            + MessageFormatter.arrayFormat(format, args).getMessage());
        }
    }
}
