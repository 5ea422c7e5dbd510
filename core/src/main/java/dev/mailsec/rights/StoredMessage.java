package dev.mailsec.rights;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/** What the rights store knows of one protected message (without its package). */
public final class StoredMessage {
    private final String licenceId;
    private final String messageId;
    private final String sender;
    private final Set<String> recipients;
    private final String template;
    private final Set<Right> rights;
    private final Instant created;
    private final Instant expires;
    private final Revocation revocation;

    StoredMessage(String licenceId, String messageId, String sender, Set<String> recipients, String template,
            Set<Right> rights, Instant created, Instant expires, Revocation revocation) {
        this.licenceId = licenceId;
        this.messageId = messageId;
        this.sender = sender;
        this.recipients = Collections.unmodifiableSet(new LinkedHashSet<>(recipients));
        this.template = template;
        this.rights = Collections.unmodifiableSet(rights.isEmpty() ? EnumSet.noneOf(Right.class) : EnumSet.copyOf(rights));
        this.created = created;
        this.expires = expires;
        this.revocation = revocation;
    }

    public String licenceId() {
        return licenceId;
    }

    /** The original Message-ID without angle brackets. */
    public String messageId() {
        return messageId;
    }

    public String sender() {
        return sender;
    }

    public Set<String> recipients() {
        return recipients;
    }

    public String template() {
        return template;
    }

    public Set<Right> rights() {
        return rights;
    }

    public Instant created() {
        return created;
    }

    public Optional<Instant> expires() {
        return Optional.ofNullable(expires);
    }

    public Optional<Revocation> revocation() {
        return Optional.ofNullable(revocation);
    }

    public boolean isRevoked() {
        return revocation != null;
    }

    StoredMessage revoked(Revocation r) {
        return new StoredMessage(licenceId, messageId, sender, recipients, template, rights, created, expires, r);
    }

    @Override
    public String toString() {
        return "StoredMessage[" + licenceId + " mid " + messageId + " from " + sender + " " + template
                + (revocation == null ? "" : " revoked") + "]";
    }
}
