package dev.mailsec.rights;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the rights store knows of one protected message (without its package). Kept as the record
 * {@code m/<jti>}: {@code lid, mid, sub, rcpt, tpl, rights, created, exp} and, once revoked, {@code revoked}
 * ({@code at, by, reason}).
 */
public final class StoredMessage {
    static final RecordCodec<StoredMessage> CODEC = new RecordCodec<>() {
        @Override
        public byte[] encode(StoredMessage sm) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lid", sm.licenceId);
            m.put("mid", sm.messageId);
            m.put("sub", sm.sender);
            m.put("rcpt", new ArrayList<>(sm.recipients));
            m.put("tpl", sm.template);
            m.put("rights", Rights.tokenList(sm.rights));
            m.put("created", sm.created.toEpochMilli());
            if (sm.expires != null) {
                m.put("exp", sm.expires.toEpochMilli());
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
                rev = new Revocation(Instant.ofEpochMilli(RecordCodec.num(rm.get("at"))), RecordCodec.str(rm.get("by")),
                        RecordCodec.str(rm.get("reason")));
            }
            return new StoredMessage(RecordCodec.str(m.get("lid")), RecordCodec.str(m.get("mid")),
                    RecordCodec.str(m.get("sub")), new LinkedHashSet<>(RecordCodec.strings(m.get("rcpt"))),
                    RecordCodec.str(m.get("tpl")), Rights.parseList(RecordCodec.strings(m.get("rights"))),
                    Instant.ofEpochMilli(RecordCodec.num(m.get("created"))),
                    m.get("exp") == null ? null : Instant.ofEpochMilli(RecordCodec.num(m.get("exp"))), rev);
        }
    };

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

    /** What the store records of a freshly protected message. */
    static StoredMessage of(UseLicence l) {
        return new StoredMessage(l.licenceId(), l.messageId(), l.sender(), l.recipients(), l.template(), l.rights(),
                l.issuedAt(), l.expiresAt().orElse(null), null);
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
