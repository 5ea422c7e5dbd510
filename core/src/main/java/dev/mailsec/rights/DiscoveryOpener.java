package dev.mailsec.rights;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Opens any protected message for the eDiscovery role (legal hold, the journal): the licence and
 * the content are checked as for every opening ({@link RightsOpener#verify}), but instead of the
 * party, revocation and expiry checks the caller must hold the discovery role now ({@link
 * DiscoveryAuthority}: an approved, unexpired DKM grant, or membership for the journal). A revoked
 * or expired message opens too (legal hold needs it); the log line says so. Every opening and every
 * refusal is in the access log as {@code discovery:<identity>} with the reason ({@link
 * EventType#DISCOVERY_OPENED}, {@link EventType#DISCOVERY_REFUSED}), never as a party. Thread-safe.
 */
public final class DiscoveryOpener {
    private final RightsOpener opener;
    private final RightsStore store;
    private final Clock clock;

    public DiscoveryOpener(
            RightsSettings settings, RightsKeyring keys, RightsStore store, Clock clock) {
        this.opener = new RightsOpener(settings, keys, store, clock);
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Opens a package for the discovery role.
     *
     * @param reason the legal-hold reason (required; see {@link DiscoveryRole#checkReason})
     * @param client the process or host, for the access log
     * @throws IllegalArgumentException a missing or malformed reason (nothing logged)
     * @throws RightsFormatException malformed or (as {@link RightsIntegrityException}) not
     *     authentic
     * @throws RightsDeniedException {@code NO_DISCOVERY_ACCESS}: the role is not held now (logged)
     * @throws RightsUnavailableException key store or rights store down (retry later)
     */
    public OpenedMessage open(
            ProtectedPackage pkg,
            DiscoveryAuthority authority,
            String reason,
            Channel channel,
            String client)
            throws RightsException {
        String why = DiscoveryRole.checkReason(reason);
        UseLicence licence = opener.verify(pkg);
        Instant now = clock.instant();
        DiscoveryAccess access;
        try {
            access = authority.authorise(why);
        } catch (RightsDeniedException e) {
            store.log(
                    new AccessEvent(
                            now,
                            licence.licenceId(),
                            DiscoveryRole.logAddress(authority.identity()),
                            EventType.DISCOVERY_REFUSED,
                            channel,
                            client,
                            "reason: " + why + "; " + e.reason()));
            throw new RightsDeniedException(e.reason(), licence.licenceId(), e.getMessage());
        }
        byte[] raw = opener.decrypt(pkg, licence);
        OpenedMessage opened = new OpenedMessage(licence, raw, opener.parse(raw));
        store.log(
                new AccessEvent(
                        clock.instant(),
                        licence.licenceId(),
                        access.logAddress(),
                        EventType.DISCOVERY_OPENED,
                        channel,
                        client,
                        "reason: "
                                + why
                                + "; "
                                + access.basis()
                                + access.until().map(u -> " until " + u).orElse("")
                                + state(licence, now)
                                + "; "
                                + raw.length
                                + " bytes"));
        return opened;
    }

    /** Opens the message the store holds under a licence id. */
    public OpenedMessage openById(
            String licenceId,
            DiscoveryAuthority authority,
            String reason,
            Channel channel,
            String client)
            throws RightsException {
        return open(opener.packageById(licenceId), authority, reason, channel, client);
    }

    /** What the party checks would have said, for the log: the role opens regardless. */
    private String state(UseLicence licence, Instant now) throws RightsException {
        Optional<StoredMessage> stored = store.find(licence.licenceId());
        if (!stored.isPresent()) {
            return "; not in this rights store";
        }
        if (stored.get().isRevoked()) {
            return "; message revoked";
        }
        return licence.isExpired(now) ? "; message expired" : "";
    }

    @Override
    public String toString() {
        return "DiscoveryOpener[" + opener + "]";
    }
}
