package dev.mailsec.matchers.rights;

import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.matchers.Conditions;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

/**
 * Matches mail carrying one of the listed sensitivity labels: the RFC 2156 {@code Sensitivity:}
 * header ({@code Personal}, {@code Private}, {@code Company-Confidential}) or a Microsoft
 * Information Protection label in {@code msip_labels:} ({@code MSIP_Label_<guid>_Name=<name>}, as
 * Outlook writes it). Labels are compared without regard to case. All recipients, or none.
 *
 * <pre>{@code
 * <mailet match="dev.mailsec.matchers.rights.HasSensitivityLabel=Company-Confidential,Highly Confidential" class="dev.mailsec.mailets.rights.ProtectMessage">
 *     <template>do-not-forward</template>
 * </mailet>
 * }</pre>
 *
 * The condition is a comma-separated list of labels; an empty condition fails the start. Only the
 * label's name is read: an MSIP label that is present but {@code _Enabled=false} does not count.
 */
public class HasSensitivityLabel extends GenericMatcher {

    static final String SENSITIVITY = "Sensitivity";
    static final String MSIP_LABELS = "msip_labels";

    private Set<String> labels;

    @Override
    public void init() throws MessagingException {
        labels =
                Conditions.read(
                        "HasSensitivityLabel",
                        getCondition(),
                        c -> {
                            Set<String> set = new LinkedHashSet<>();
                            for (String label :
                                    c.required("list labels", "Company-Confidential")
                                            .values(
                                                    "label",
                                                    v ->
                                                            v.indexOf(';') < 0
                                                                    && v.indexOf('=') < 0)) {
                                set.add(label.toLowerCase(Locale.ROOT));
                            }
                            return Collections.unmodifiableSet(set);
                        });
    }

    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        return PerMailGuard.call(getClass().getSimpleName(), () -> matchRecipients(mail));
    }

    private Collection<MailAddress> matchRecipients(Mail mail) throws MessagingException {
        return labelsOf(mail.getMessage()).stream().anyMatch(labels::contains)
                ? mail.getRecipients()
                : Collections.emptyList();
    }

    /**
     * Every label of the message, lower-cased: Sensitivity values and the names of enabled MSIP
     * labels.
     */
    static Set<String> labelsOf(MimeMessage message) throws MessagingException {
        Set<String> found = new LinkedHashSet<>();
        String[] sensitivity = message.getHeader(SENSITIVITY);
        if (sensitivity != null) {
            for (String s : sensitivity) {
                found.add(MimeUtility.unfold(s).trim().toLowerCase(Locale.ROOT));
            }
        }
        String[] msip = message.getHeader(MSIP_LABELS);
        if (msip != null) {
            for (String header : msip) {
                found.addAll(msipNames(MimeUtility.unfold(header)));
            }
        }
        return found;
    }

    /**
     * Names of the enabled labels in an {@code msip_labels} value: {@code
     * MSIP_Label_<guid>_Enabled=true; MSIP_Label_<guid>_Name=Confidential; ...}.
     */
    static Set<String> msipNames(String value) {
        Map<String, String> names = new LinkedHashMap<>();
        Set<String> disabled = new LinkedHashSet<>();
        for (String pair : value.split(";")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = pair.substring(0, eq).trim();
            String v = pair.substring(eq + 1).trim();
            String lower = key.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("msip_label_")) {
                continue;
            }
            if (lower.endsWith("_name")) {
                names.put(
                        lower.substring(0, lower.length() - "_name".length()),
                        v.toLowerCase(Locale.ROOT));
            } else if (lower.endsWith("_enabled") && "false".equalsIgnoreCase(v)) {
                disabled.add(lower.substring(0, lower.length() - "_enabled".length()));
            }
        }
        Set<String> result = new LinkedHashSet<>();
        for (Map.Entry<String, String> e : names.entrySet()) {
            if (!disabled.contains(e.getKey()) && !e.getValue().isEmpty()) {
                result.add(e.getValue());
            }
        }
        return result;
    }

    @Override
    public String getMatcherInfo() {
        return "HasSensitivityLabel: matches mail by its Sensitivity header or Microsoft Information Protection label";
    }
}
