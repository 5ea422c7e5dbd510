package dev.mailsec.matchers.rights;

import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.mail.DomainName.Option;
import dev.mailsec.matchers.Conditions;
import dev.mailsec.rights.RightsSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
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
        organisation =
                Conditions.read(
                        "IsRecipientOutsideOrganisation",
                        getCondition(),
                        c -> {
                            String text = c.text();
                            if (!text.isEmpty() && !text.startsWith(CONFIG_PREFIX)) {
                                return c.domains(Option.TRIM);
                            }
                            Path config =
                                    c.path(
                                            "config",
                                            text.isEmpty()
                                                    ? RightsSettings.DEFAULT_CONFIG
                                                    : text.substring(CONFIG_PREFIX.length()));
                            return RightsConfig.organisationDomains(
                                    config, "IsRecipientOutsideOrganisation");
                        });
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
