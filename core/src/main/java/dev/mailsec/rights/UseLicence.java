package dev.mailsec.rights;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A use licence whose ES256 signature has been verified (or that we just signed): who may open the message
 * and what they may do. Claims as in docs/rights.md: {@code iss, jti, mid, sub, rcpt, tpl, rights, iat,
 * exp, cth}. Immutable.
 */
public final class UseLicence {
    private final String licenceId;
    private final String messageId;
    private final String issuer;
    private final String sender;
    private final Set<String> recipients;
    private final String template;
    private final Set<Right> rights;
    private final Instant issuedAt;
    private final Instant expiresAt;
    private final String contentHash;
    private final String signingKeyId;
    private final String compact;

    UseLicence(String licenceId, String messageId, String issuer, String sender, List<String> recipients,
            String template, Set<Right> rights, Instant issuedAt, Instant expiresAt, String contentHash,
            String signingKeyId, String compact) {
        this.licenceId = licenceId;
        this.messageId = messageId;
        this.issuer = issuer;
        this.sender = sender;
        Set<String> r = new LinkedHashSet<>();
        for (String a : recipients) {
            r.add(Rights.address(a));
        }
        this.recipients = Collections.unmodifiableSet(r);
        this.template = template;
        EnumSet<Right> rs = rights.isEmpty() ? EnumSet.noneOf(Right.class) : EnumSet.copyOf(rights);
        this.rights = Collections.unmodifiableSet(rs);
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
        this.contentHash = contentHash;
        this.signingKeyId = signingKeyId;
        this.compact = compact;
    }

    /** {@code jti}: 128 random bits, base64url; also the portal link's id. */
    public String licenceId() {
        return licenceId;
    }

    /** {@code mid}: the original Message-ID without angle brackets. */
    public String messageId() {
        return messageId;
    }

    /** {@code iss}. */
    public String issuer() {
        return issuer;
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

    /** {@code iat}. */
    public Instant issuedAt() {
        return issuedAt;
    }

    /** {@code exp}, only when the template has an expiry. */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    /** True when the address (any case, with or without angle brackets) is the sender or a recipient. */
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

    /** {@code cth}: base64url SHA-256 of the JWE compact string this licence covers. */
    public String contentHash() {
        return contentHash;
    }

    /** The key id that signed the licence, {@code rights/signing#<version>}. */
    public String signingKeyId() {
        return signingKeyId;
    }

    /** The licence as signed (JWS compact). */
    public String compact() {
        return compact;
    }

    /** The rights as tokens, e.g. {@code view,reply,reply-all}. */
    public String rightsTokens() {
        return Rights.tokens(rights);
    }

    @Override
    public String toString() {
        return "UseLicence[" + licenceId + " mid " + messageId + " from " + sender + " to " + recipients + " " + template
                + " " + rightsTokens() + (expiresAt == null ? "" : " until " + expiresAt) + "]";
    }
}
