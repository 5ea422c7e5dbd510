package dev.mailsec.cli.install;

import dev.mailsec.cli.UserException;
import java.util.Locale;

/**
 * {@code --dmarc-reject}: what the sample pipeline does with mail failing DMARC whose From domain
 * publishes {@code p=reject} (docs/dmarc.md, "Sample pipeline").
 */
enum DmarcReject {
    /**
     * Refused after DATA by the RefuseDmarcReject hook (550 5.7.1); mail it let through unjudged is
     * quarantined by the mailets.
     */
    SMTP("dmarc-quarantine"),
    /** Bounced with a DSN (processor dmarc-reject). */
    BOUNCE("dmarc-reject"),
    /** Held in var/mail/dmarc-quarantine. */
    QUARANTINE("dmarc-quarantine");

    /** The processor the mailets send a reject disposition to. */
    final String processor;

    DmarcReject(String processor) {
        this.processor = processor;
    }

    static DmarcReject of(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (DmarcReject r : values()) {
            if (r.name().toLowerCase(Locale.ROOT).equals(v)) {
                return r;
            }
        }
        throw new UserException(
                "--dmarc-reject: must be smtp, bounce or quarantine, got '" + value + "'", 2);
    }

    String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
