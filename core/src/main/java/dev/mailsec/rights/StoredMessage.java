package dev.mailsec.rights;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the rights store knows of one protected message (without its package). Kept as the record
 * {@code m/<jti>}: {@code lid, mid, sub, rcpt, tpl, rights, created, exp} and, once revoked, {@code
 * revoked} ({@code at, by, reason}).
 */
public final class StoredMessage {
    static final RecordCodec<StoredMessage> CODEC =
            new RecordCodec<>() {
                @Override
                public byte[] encode(StoredMessage sm) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("lid", sm.licenceId());
                    m.put("mid", sm.messageId());
                    m.put("sub", sm.sender());
                    m.put("rcpt", new ArrayList<>(sm.recipients()));
                    m.put("tpl", sm.template());
                    m.put("rights", Rights.tokenList(sm.rights()));
                    m.put("created", sm.created().toEpochMilli());
                    if (sm.expires().isPresent()) {
                        m.put("exp", sm.expires().get().toEpochMilli());
                    }
                    if (sm.revocation != null) {
                        Map<String, Object> rev = new LinkedHashMap<>();
                        rev.put("at", sm.revocation.at().toEpochMilli());
                        rev.put("by", sm.revocation.by());
                        rev.put("reason", sm.revocation.reason());
                        m.put("revoked", rev);
                    }
                    return RecordCodec.json(m);
                }

                @Override
                public StoredMessage decode(String key, byte[] bytes) {
                    Map<String, Object> m = RecordCodec.parse(key, bytes);
                    Revocation rev = null;
                    if (m.get("revoked") instanceof Map) {
                        Map<?, ?> rm = (Map<?, ?>) m.get("revoked");
                        rev =
                                new Revocation(
                                        Instant.ofEpochMilli(RecordCodec.num(rm.get("at"))),
                                        RecordCodec.str(rm.get("by")),
                                        RecordCodec.str(rm.get("reason")));
                    }
                    return new StoredMessage(
                            RecordCodec.str(m.get("lid")),
                            RecordCodec.str(m.get("mid")),
                            RecordCodec.str(m.get("sub")),
                            new LinkedHashSet<>(RecordCodec.strings(m.get("rcpt"))),
                            RecordCodec.str(m.get("tpl")),
                            Rights.parseList(RecordCodec.strings(m.get("rights"))),
                            Instant.ofEpochMilli(RecordCodec.num(m.get("created"))),
                            m.get("exp") == null
                                    ? null
                                    : Instant.ofEpochMilli(RecordCodec.num(m.get("exp"))),
                            rev);
                }
            };

    private final LicenceTerms terms;
    private final Revocation revocation;

    StoredMessage(
            String licenceId,
            String messageId,
            String sender,
            Set<String> recipients,
            String template,
            Set<Right> rights,
            Instant created,
            Instant expires,
            Revocation revocation) {
        this(
                new LicenceTerms(
                        licenceId,
                        messageId,
                        sender,
                        recipients,
                        template,
                        rights,
                        created,
                        expires),
                revocation);
    }

    private StoredMessage(LicenceTerms terms, Revocation revocation) {
        this.terms = terms;
        this.revocation = revocation;
    }

    /** The terms as recorded when the message was protected. */
    public LicenceTerms terms() {
        return terms;
    }

    public String licenceId() {
        return terms.licenceId();
    }

    /** The original Message-ID without angle brackets. */
    public String messageId() {
        return terms.messageId();
    }

    public String sender() {
        return terms.sender();
    }

    public Set<String> recipients() {
        return terms.recipients();
    }

    public String template() {
        return terms.template();
    }

    public Set<Right> rights() {
        return terms.rights();
    }

    public Instant created() {
        return terms.issuedAt();
    }

    public Optional<Instant> expires() {
        return terms.expiresAt();
    }

    public Optional<Revocation> revocation() {
        return Optional.ofNullable(revocation);
    }

    public boolean isRevoked() {
        return revocation != null;
    }

    /** What the store records of a freshly protected message. */
    static StoredMessage of(UseLicence l) {
        return new StoredMessage(l.terms(), null);
    }

    StoredMessage revoked(Revocation r) {
        return new StoredMessage(terms, r);
    }

    @Override
    public String toString() {
        return "StoredMessage["
                + licenceId()
                + " mid "
                + messageId()
                + " from "
                + sender()
                + " "
                + template()
                + (revocation == null ? "" : " revoked")
                + "]";
    }
}
