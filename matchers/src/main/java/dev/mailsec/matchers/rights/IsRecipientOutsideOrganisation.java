package dev.mailsec.matchers.rights;

import dev.mailsec.config.PackPaths;
import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.mail.DomainName;
import dev.mailsec.mail.DomainName.Option;
import dev.mailsec.rights.RightsSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

/**
 * Returns the recipients whose domain is not one of the organisation's domains, so a pipeline can
 * treat them apart (protect mail to them, or decrypt only for the others with {@code Not}). A
 * domain matches exactly (case-insensitive); a subdomain of an organisation domain is outside
 * unless listed. Whether a domain is hosted by this James does not matter: the demo's {@code
 * external.test} is local but outside.
 *
 * <pre>{@code
 * <mailet match="dev.mailsec.matchers.rights.IsRecipientOutsideOrganisation" class="dev.mailsec.mailets.rights.ProtectMessage">
 *     <template>encrypt-only</template>
 * </mailet>
 * }</pre>
 *
 * Condition: a comma-separated list of domains ({@code =mailsec.test,example.com}); or {@code
 * config=FILE}, the {@code organisationDomains} of that rights configuration (the file the rights
 * mailets' {@code <config>} names; a path by docs/paths.md); without a condition, those of {@code
 * conf/rights.xml}, the rights mailets' default. A malformed domain or an unreadable rights file
 * fails the start.
 */
public class IsRecipientOutsideOrganisation extends GenericMatcher {

    /**
     * Condition prefix naming the rights configuration, as the rights mailets' {@code config}
     * parameter.
     */
    static final String CONFIG_PREFIX = "config=";

    private Set<String> organisation;

    @Override
    public void init() throws MessagingException {
        String condition = getCondition();
        String c = condition == null ? "" : condition.trim();
        if (c.isEmpty() || c.startsWith(CONFIG_PREFIX)) {
            String file =
                    c.isEmpty()
                            ? RightsSettings.DEFAULT_CONFIG
                            : c.substring(CONFIG_PREFIX.length());
            Path config;
            try {
                config = PackPaths.resolve(file);
            } catch (IllegalArgumentException e) {
                throw new MessagingException(
                        "IsRecipientOutsideOrganisation: config: " + e.getMessage(), e);
            }
            organisation =
                    RightsConfig.organisationDomains(config, "IsRecipientOutsideOrganisation");
            return;
        }
        organisation = domains(condition);
    }

    static Set<String> domains(String condition) throws MessagingException {
        Set<String> set = new LinkedHashSet<>();
        for (String part : condition.split(",")) {
            String d = DomainName.normalize(part, Option.TRIM).orElse(null);
            if (d == null) {
                throw new MessagingException(
                        "IsRecipientOutsideOrganisation: not a domain name: '"
                                + part.trim()
                                + "' in '"
                                + condition
                                + "'");
            }
            set.add(d);
        }
        return Collections.unmodifiableSet(set);
    }

    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        return PerMailGuard.call(getClass().getSimpleName(), () -> matchRecipients(mail));
    }

    private Collection<MailAddress> matchRecipients(Mail mail) {
        List<MailAddress> outside = new ArrayList<>();
        for (MailAddress r : mail.getRecipients()) {
            if (!organisation.contains(r.getDomain().asString().toLowerCase(Locale.ROOT))) {
                outside.add(r);
            }
        }
        return outside;
    }

    /** The organisation's domains (lower case). */
    Set<String> organisation() {
        return organisation;
    }

    @Override
    public String getMatcherInfo() {
        return "IsRecipientOutsideOrganisation: matches the recipients outside the organisation's domains";
    }
}
