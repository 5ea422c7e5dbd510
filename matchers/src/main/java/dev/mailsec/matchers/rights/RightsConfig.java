package dev.mailsec.matchers.rights;

import dev.mailsec.rights.RightsSettings;
import java.nio.file.Path;
import java.util.Set;
import javax.mail.MessagingException;

/** Reads what the rights matchers need from the rights configuration ({@code conf/rights.xml}). */
final class RightsConfig {

    private RightsConfig() {}

    static Set<String> organisationDomains(Path config, String who) throws MessagingException {
        try {
            return RightsSettings.load(config).organisationDomains();
        } catch (IllegalArgumentException e) {
            throw new MessagingException(
                    who + ": rights configuration " + config + ": " + e.getMessage(), e);
        }
    }
}
