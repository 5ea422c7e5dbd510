package dev.mailsec.rights;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The protected messages of the {@link RightsStore}: each message's record ({@code m/<jti>}) and
 * package (on the {@link PackageShelf}), the licence ids of a Message-ID ({@code i/<sha256(mid)>}),
 * revocation, and the one answer for a message that is not live. Thread-safe.
 */
final class MessageRecords {
    private static final Pattern LICENCE_ID = Pattern.compile("[A-Za-z0-9_-]{16,64}");

    private final RightsRecords records;
    private final PackageShelf packages;
    private final AccessLog accessLog;

    MessageRecords(RightsRecords records, PackageShelf packages, AccessLog accessLog) {
        this.records = records;
        this.packages = packages;
        this.accessLog = accessLog;
    }

    /** Records a freshly protected message. A licence id can be recorded once. */
    void record(UseLicence licence, ProtectedPackage pkg) throws RightsStoreUnavailableException {
        String jti = licence.licenceId();
        String messageKey = "m/" + jti;
        String indexKey = "i/" + hash(licence.messageId());
        StoredMessage message = StoredMessage.of(licence);
        records.update(
                "record " + jti,
                (tx, attempt) -> {
                    if (attempt > 0 && records.exists(messageKey)) {
                        throw new IllegalStateException("licence " + jti + " is recorded already");
                    }
                    MessageIndex index =
                            tx.read(indexKey, MessageIndex.CODEC).orElse(MessageIndex.EMPTY);
                    tx.put(messageKey, StoredMessage.CODEC, message);
                    packages.put(tx, attempt, jti, pkg);
                    tx.put(indexKey, MessageIndex.CODEC, index.with(jti));
                    if (message.sender() != null && !message.sender().isEmpty()) {
                        SenderIndex.add(tx, message.sender(), jti);
                    }
                    return null;
                });
    }

    /** The package of a licence id. */
    Optional<ProtectedPackage> packageOf(String licenceId) throws RightsStoreUnavailableException {
        if (!isLicenceId(licenceId)) {
            return Optional.empty();
        }
        Optional<byte[]> bytes = packages.get(records, licenceId);
        if (!bytes.isPresent()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ProtectedPackage.decode(bytes.get()));
        } catch (RightsFormatException e) {
            throw new IllegalStateException(
                    "rights store record p/" + licenceId + " is corrupt", e);
        }
    }

    /**
     * The message of a licence id, or the latest one protected under a Message-ID (with or without
     * angle brackets).
     */
    Optional<StoredMessage> find(String licenceIdOrMessageId)
            throws RightsStoreUnavailableException {
        List<StoredMessage> all = findAll(licenceIdOrMessageId);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /**
     * Every message of a licence id (one) or of a Message-ID (one per protection), oldest first.
     */
    List<StoredMessage> findAll(String licenceIdOrMessageId)
            throws RightsStoreUnavailableException {
        List<StoredMessage> out = new ArrayList<>();
        if (licenceIdOrMessageId == null || licenceIdOrMessageId.trim().isEmpty()) {
            return out;
        }
        String id = licenceIdOrMessageId.trim();
        if (isLicenceId(id)) {
            Optional<StoredMessage> m = records.get("m/" + id, StoredMessage.CODEC);
            if (m.isPresent()) {
                out.add(m.get());
                return out;
            }
        }
        Optional<MessageIndex> idx =
                records.get("i/" + hash(Rights.messageId(id)), MessageIndex.CODEC);
        if (idx.isPresent()) {
            for (String jti : idx.get().licenceIds()) {
                records.get("m/" + jti, StoredMessage.CODEC).ifPresent(out::add);
            }
        }
        return out;
    }

    /** The revocation of a licence id, if revoked. */
    Optional<Revocation> revocation(String licenceId) throws RightsStoreUnavailableException {
        if (!isLicenceId(licenceId)) {
            return Optional.empty();
        }
        return records.get("m/" + licenceId, StoredMessage.CODEC)
                .flatMap(StoredMessage::revocation);
    }

    /**
     * Revokes the message of a licence id, or every message protected under a Message-ID, and logs
     * {@link EventType#REVOKED}.
     *
     * @return true if at least one message was newly revoked (false: unknown, or revoked already)
     */
    boolean revoke(String licenceIdOrMessageId, String by, String reason)
            throws RightsStoreUnavailableException {
        return revoke(licenceIdOrMessageId, by, reason, null, "");
    }

    /**
     * As {@link #revoke(String, String, String)}, logged with the channel and client of the revoker
     * (the portal's sender pages).
     */
    boolean revoke(
            String licenceIdOrMessageId, String by, String reason, Channel channel, String client)
            throws RightsStoreUnavailableException {
        boolean any = false;
        for (StoredMessage sm : findAll(licenceIdOrMessageId)) {
            String key = "m/" + sm.licenceId();
            Revocation done =
                    records.update(
                            "revoke " + sm.licenceId(),
                            (tx, attempt) -> {
                                StoredMessage m =
                                        tx.read(key, StoredMessage.CODEC)
                                                .orElseThrow(
                                                        () ->
                                                                new IllegalStateException(
                                                                        "vanished: " + key));
                                if (m.isRevoked()) {
                                    return null;
                                }
                                Revocation rev = new Revocation(Instant.now(), by, reason);
                                tx.put(key, StoredMessage.CODEC, m.revoked(rev));
                                return rev;
                            });
            if (done != null) {
                any = true;
                accessLog.append(
                        new AccessEvent(
                                done.at(),
                                sm.licenceId(),
                                by,
                                EventType.REVOKED,
                                channel,
                                client == null ? "" : client,
                                reason));
            }
        }
        return any;
    }

    /**
     * The live message of a licence id: unknown, revoked and expired are the same answer for
     * anyone.
     */
    StoredMessage live(String licenceId, Instant now) throws RightsException {
        Optional<StoredMessage> sm = isLicenceId(licenceId) ? find(licenceId) : Optional.empty();
        if (!sm.isPresent() || !sm.get().licenceId().equals(licenceId)) {
            throw new RightsDeniedException(
                    RightsDeniedException.Reason.UNKNOWN_MESSAGE,
                    null,
                    "unknown protected message");
        }
        StoredMessage m = sm.get();
        if (m.isRevoked()) {
            throw new RightsDeniedException(
                    RightsDeniedException.Reason.REVOKED, licenceId, "the message was revoked");
        }
        if (m.expires().isPresent() && !now.isBefore(m.expires().get())) {
            throw new RightsDeniedException(
                    RightsDeniedException.Reason.EXPIRED, licenceId, "the message has expired");
        }
        return m;
    }

    static boolean isLicenceId(String s) {
        return s != null && LICENCE_ID.matcher(s).matches();
    }

    private static String hash(String s) {
        return RightsRecords.hash(s);
    }
}
