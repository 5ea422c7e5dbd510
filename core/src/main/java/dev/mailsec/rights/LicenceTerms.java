package dev.mailsec.rights;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The terms of one use licence: which message, who may open it, what they may do, until when. The
 * one licence value shared by the engine ({@link UseLicence}: the terms as signed), the store
 * ({@link StoredMessage}: the terms as recorded, with their revocation) and the portal (what it
 * shows and checks). Immutable.
 */
public final class LicenceTerms {
    private final String licenceId;
    private final String messageId;
    private final String sender;
    private final Set<String> recipients;
    private final String template;
    private final Set<Right> rights;
    private final Instant issuedAt;
    private final Instant expiresAt;

    /**
     * @param sender, recipients addresses, kept lower-case without angle brackets
     * @param expiresAt null when the template has no expiry
     */
    public LicenceTerms(
            String licenceId,
            String messageId,
            String sender,
            Collection<String> recipients,
            String template,
            Set<Right> rights,
            Instant issuedAt,
            Instant expiresAt) {
        this.licenceId = Objects.requireNonNull(licenceId, "licenceId");
        this.messageId = messageId;
        this.sender = sender;
        Set<String> r = new LinkedHashSet<>();
        for (String a : recipients) {
            r.add(Rights.address(a));
        }
        this.recipients = Collections.unmodifiableSet(r);
        this.template = template;
        this.rights =
                Collections.unmodifiableSet(
                        rights.isEmpty() ? EnumSet.noneOf(Right.class) : EnumSet.copyOf(rights));
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
    }

    /** {@code jti}: 128 random bits, base64url; also the portal link's id. */
    public String licenceId() {
        return licenceId;
    }

    /** {@code mid}: the original Message-ID without angle brackets. */
    public String messageId() {
        return messageId;
    }

    /** {@code sub}: the sender's address (lower-case). */
    public String sender() {
        return sender;
    }

    /** {@code rcpt}: the recipients' addresses (lower-case). */
    public Set<String> recipients() {
        return recipients;
    }

    /** {@code tpl}: the template's name. */
    public String template() {
        return template;
    }

    /** {@code rights}. */
    public Set<Right> rights() {
        return rights;
    }

    public boolean allows(Right right) {
        return rights.contains(right);
    }

    /** {@code iat}: when the message was protected. */
    public Instant issuedAt() {
        return issuedAt;
    }

    /** {@code exp}, only when the template has an expiry. */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    /**
     * True when the address (any case, with or without angle brackets) is the sender or a
     * recipient.
     */
    public boolean isParty(String address) {
        if (address == null || address.trim().isEmpty()) {
            return false;
        }
        String a = Rights.address(address);
        return a.equals(sender) || recipients.contains(a);
    }

    /** True once {@code now} is at or after the expiry. */
    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** The rights as tokens, e.g. {@code view,reply,reply-all}. */
    public String rightsTokens() {
        return Rights.tokens(rights);
    }

    @Override
    public String toString() {
        return "LicenceTerms["
                + licenceId
                + " mid "
                + messageId
                + " from "
                + sender
                + " to "
                + recipients
                + " "
                + template
                + " "
                + rightsTokens()
                + (expiresAt == null ? "" : " until " + expiresAt)
                + "]";
    }
}
