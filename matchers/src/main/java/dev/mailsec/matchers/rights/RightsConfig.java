package dev.mailsec.matchers.rights;

import java.nio.file.Path;
import java.util.Set;
import javax.mail.MessagingException;

/** Reads what the rights matchers need from the rights configuration ({@code conf/rights.xml}). */
final class RightsConfig {

    private RightsConfig() {
    }

    static Set<String> organisationDomains(Path config, String who) throws MessagingException {
        throw new MessagingException(who + ": reading " + config + " needs the rights engine");
    }
}
