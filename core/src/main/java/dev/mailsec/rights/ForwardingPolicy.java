package dev.mailsec.rights;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Whether mail our users send may carry the protected messages it forwards, re-sends or refers to,
 * as the rights store recorded them (never as the mail's headers claim). Content whose licence does
 * not grant {@link Right#FORWARD} (Do-Not-Forward): a forward or re-send by anyone but its sender,
 * or any mail carrying it to someone who is not a party of the licence, is a violation and the mail
 * bounces. Otherwise it leaves protected again with the template of the strictest message carried
 * (fewest rights; the first one on a tie), so Encrypt-Only content forwarded stays protected and
 * replies to Do-Not-Forward mail stay Do-Not-Forward.
 */
public final class ForwardingPolicy {

    /** How a mail uses a protected message; the first is the strongest. */
    public enum Use {
        FORWARD,
        RESEND,
        REFERENCE
    }

    private final RightsSettings settings;

    /** With the configuration whose templates re-protect. */
    public ForwardingPolicy(RightsSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * The decision for mail from {@code sender} to {@code recipients} carrying these messages.
     *
     * @param recipients the envelope recipients' addresses
     */
    public Decision decide(Carried carried, String sender, Iterable<String> recipients) {
        if (carried.byLicence.isEmpty()) {
            return new Decision(Decision.Kind.ALLOW, null, Collections.emptyList());
        }
        List<Violation> violations = new ArrayList<>();
        Carried.Entry strictest = null;
        for (Carried.Entry c : carried.byLicence.values()) {
            String v = violation(c, sender, recipients);
            if (v != null) {
                violations.add(new Violation(c.message.licenceId(), v));
            }
            if (strictest == null
                    || c.message.rights().size() < strictest.message.rights().size()) {
                strictest = c;
            }
        }
        if (!violations.isEmpty()) {
            return new Decision(Decision.Kind.BOUNCE, null, violations);
        }
        return new Decision(
                Decision.Kind.REPROTECT, template(strictest.message), Collections.emptyList());
    }

    /** Why this mail may not carry that protected message, or null when it may. */
    private static String violation(Carried.Entry c, String sender, Iterable<String> recipients) {
        StoredMessage m = c.message;
        if (m.rights().contains(Right.FORWARD)) {
            return null;
        }
        boolean owner = sender.equalsIgnoreCase(m.sender());
        List<String> outside = new ArrayList<>();
        for (String r : recipients) {
            String a = r.toLowerCase(Locale.ROOT);
            if (!a.equalsIgnoreCase(m.sender()) && !m.recipients().contains(a)) {
                outside.add(a);
            }
        }
        String what =
                "The protected message <"
                        + m.messageId()
                        + "> (template "
                        + m.template()
                        + ", rights "
                        + tokens(m.rights())
                        + ") may not be forwarded";
        if (!outside.isEmpty()) {
            return what + " to anyone outside its recipients: " + String.join(", ", outside) + ".";
        }
        if (!owner && (c.uses.contains(Use.FORWARD) || c.uses.contains(Use.RESEND))) {
            return what + ", not even to its own recipients.";
        }
        return null;
    }

    /**
     * The message's template as configured now, or its issued rights if the template changed or
     * went.
     */
    private RightsTemplate template(StoredMessage m) {
        try {
            RightsTemplate t = settings.template(m.template());
            if (t.rights().equals(m.rights())) {
                return t;
            }
        } catch (IllegalArgumentException e) {
            // the template was renamed or removed since: keep the rights that were issued
        }
        return RightsTemplate.of(m.template(), m.rights(), null);
    }

    private static String tokens(Set<Right> rights) {
        List<String> t = new ArrayList<>();
        for (Right r : rights) {
            t.add(r.token());
        }
        return String.join(", ", t);
    }

    /**
     * The protected messages a mail carries, one per licence, each with every way the mail uses it.
     */
    public static final class Carried {
        private final Map<String, Entry> byLicence = new LinkedHashMap<>();

        /** Adds a use of a message found in the rights store. */
        public Carried add(StoredMessage message, Use use) {
            byLicence.computeIfAbsent(message.licenceId(), k -> new Entry(message)).uses.add(use);
            return this;
        }

        public boolean isEmpty() {
            return byLicence.isEmpty();
        }

        private static final class Entry {
            final StoredMessage message;
            final Set<Use> uses = EnumSet.noneOf(Use.class);

            Entry(StoredMessage message) {
                this.message = message;
            }
        }
    }

    /** One carried message the mail may not carry, and why, in words for the sender. */
    public static final class Violation {
        private final String licenceId;
        private final String reason;

        Violation(String licenceId, String reason) {
            this.licenceId = licenceId;
            this.reason = reason;
        }

        public String licenceId() {
            return licenceId;
        }

        public String reason() {
            return reason;
        }

        @Override
        public String toString() {
            return licenceId + ": " + reason;
        }
    }

    /**
     * Allow (nothing protected carried), re-protect with a template, or bounce with the violations.
     */
    public static final class Decision {
        public enum Kind {
            ALLOW,
            REPROTECT,
            BOUNCE
        }

        private final Kind kind;
        private final RightsTemplate template;
        private final List<Violation> violations;

        Decision(Kind kind, RightsTemplate template, List<Violation> violations) {
            this.kind = kind;
            this.template = template;
            this.violations = Collections.unmodifiableList(violations);
        }

        public Kind kind() {
            return kind;
        }

        /** The template to protect the mail with again; only for {@link Kind#REPROTECT}. */
        public RightsTemplate template() {
            if (kind != Kind.REPROTECT) {
                throw new IllegalStateException("no template: the decision is " + kind);
            }
            return template;
        }

        /** Why the mail bounces, in the order found; empty unless {@link Kind#BOUNCE}. */
        public List<Violation> violations() {
            return violations;
        }

        /** The bounce text for the sender: every violation. */
        public String bounceReason() {
            List<String> r = new ArrayList<>();
            for (Violation v : violations) {
                r.add(v.reason());
            }
            return "Your message was not sent. " + String.join(" ", r);
        }

        @Override
        public String toString() {
            return kind == Kind.REPROTECT
                    ? "REPROTECT " + template.name()
                    : kind + (violations.isEmpty() ? "" : " " + violations);
        }
    }
}
