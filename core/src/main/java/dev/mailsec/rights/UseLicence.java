package dev.mailsec.rights;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A use licence whose ES256 signature has been verified (or that we just signed): who may open the
 * message and what they may do ({@link #terms()}), and what signed it. Claims as in docs/rights.md:
 * {@code iss, jti, mid, sub, rcpt, tpl, rights, iat, exp, cth}. Immutable.
 */
public final class UseLicence {
    private final LicenceTerms terms;
    private final String issuer;
    private final String contentHash;
    private final String signingKeyId;
    private final String compact;

    UseLicence(
            String licenceId,
            String messageId,
            String issuer,
            String sender,
            List<String> recipients,
            String template,
            Set<Right> rights,
            Instant issuedAt,
            Instant expiresAt,
            String contentHash,
            String signingKeyId,
            String compact) {
        this.terms =
                new LicenceTerms(
                        licenceId,
                        messageId,
                        sender,
                        recipients,
                        template,
                        rights,
                        issuedAt,
                        expiresAt);
        this.issuer = issuer;
        this.contentHash = contentHash;
        this.signingKeyId = signingKeyId;
        this.compact = compact;
    }

    /** The terms as signed: message, parties, template, rights, issue and expiry. */
    public LicenceTerms terms() {
        return terms;
    }

    /** {@code jti}: 128 random bits, base64url; also the portal link's id. */
    public String licenceId() {
        return terms.licenceId();
    }

    /** {@code mid}: the original Message-ID without angle brackets. */
    public String messageId() {
        return terms.messageId();
    }

    /** {@code iss}. */
    public String issuer() {
        return issuer;
    }

    /** {@code sub}: the sender's address (lower-case). */
    public String sender() {
        return terms.sender();
    }

    /** {@code rcpt}: the recipients' addresses (lower-case). */
    public Set<String> recipients() {
        return terms.recipients();
    }

    /** {@code tpl}: the template's name. */
    public String template() {
        return terms.template();
    }

    /** {@code rights}. */
    public Set<Right> rights() {
        return terms.rights();
    }

    public boolean allows(Right right) {
        return terms.allows(right);
    }

    /** {@code iat}. */
    public Instant issuedAt() {
        return terms.issuedAt();
    }

    /** {@code exp}, only when the template has an expiry. */
    public Optional<Instant> expiresAt() {
        return terms.expiresAt();
    }

    /**
     * True when the address (any case, with or without angle brackets) is the sender or a
     * recipient.
     */
    public boolean isParty(String address) {
        return terms.isParty(address);
    }

    /** True once {@code now} is at or after the expiry. */
    public boolean isExpired(Instant now) {
        return terms.isExpired(now);
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
        return terms.rightsTokens();
    }

    @Override
    public String toString() {
        return "UseLicence["
                + licenceId()
                + " mid "
                + messageId()
                + " from "
                + sender()
                + " to "
                + recipients()
                + " "
                + template()
                + " "
                + rightsTokens()
                + expiresAt().map(e -> " until " + e).orElse("")
                + "]";
    }
}
