package dev.mailsec.rights;

import dev.mailsec.dkm.AccessRequest;
import dev.mailsec.dkm.Dkm;
import dev.mailsec.dkm.DkmAccessDeniedException;
import dev.mailsec.dkm.DkmException;
import dev.mailsec.dkm.DkmInvalidRequestException;
import dev.mailsec.dkm.DkmUnavailableException;
import dev.mailsec.dkm.IdentityType;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.SecretInfo;
import dev.mailsec.dkm.SecretKind;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * The eDiscovery role (docs/rights.md, "eDiscovery"): a DKM group of its own ({@value
 * #DEFAULT_GROUP}) holding one role secret ({@value #DEFAULT_SECRET}). Whoever DKM lets read that
 * secret holds the role: a person only through an approved, unexpired elevated-access grant (the
 * requester's reason, the policy's approvers, time-bound), a service (the journal) as a member of
 * the group. Every attempt is audited by DKM; the role opens any protected message, logged as
 * {@code discovery:<identity>} with a reason, never as a party.
 */
public final class DiscoveryRole {
    public static final String DEFAULT_GROUP = "rights-discovery";
    public static final String DEFAULT_SECRET = "rights-discovery/role";

    /** Longest reason kept (the access log and DKM's audit carry it). */
    static final int MAX_REASON = 500;

    private DiscoveryRole() {}

    /**
     * Creates the role's group and its secret (what {@code rights init --discovery-group} does);
     * existing ones are kept. Admin with the root key.
     *
     * @return true when the secret was created now
     */
    public static boolean create(KeyManager admin, String group, String secret)
            throws DkmException {
        for (SecretInfo i : admin.list()) {
            if (i.name().equals(secret)) {
                return false;
            }
        }
        try {
            admin.createGroup(group);
        } catch (DkmInvalidRequestException e) {
            // the group exists already (made by hand with dkm group create): keep it
        }
        admin.generate(secret, group, SecretKind.SYMMETRIC, null);
        return true;
    }

    /** The role secret of a role group: {@code <group>/role}. */
    public static String secretOf(String group) {
        return group + "/role";
    }

    /** {@code discovery:<identity>}: how the role appears in the rights access log. */
    public static String logAddress(String identity) {
        return "discovery:" + identity;
    }

    /**
     * The reason of a discovery opening, trimmed: required, one line of printable text, at most
     * {@value #MAX_REASON} characters.
     *
     * @throws IllegalArgumentException naming what is wrong (never echoing control characters)
     */
    public static String checkReason(String reason) {
        String r = reason == null ? "" : reason.trim();
        if (r.isEmpty()) {
            throw new IllegalArgumentException("reason: required (the legal-hold case or ticket)");
        }
        if (r.length() > MAX_REASON) {
            throw new IllegalArgumentException(
                    "reason: at most " + MAX_REASON + " characters, got " + r.length());
        }
        for (int i = 0; i < r.length(); i++) {
            if (Character.isISOControl(r.charAt(i))) {
                throw new IllegalArgumentException(
                        "reason: one line of text without control characters");
            }
        }
        return r;
    }

    /**
     * The role held by a person through an approved, unexpired DKM grant for the role secret
     * ({@code ./mailsec dkm access request rights-discovery/role ...}). The session's DKM audit
     * records name the reason. Services are refused here: they hold the role only as members,
     * through {@link #viaMembership}.
     */
    public static DiscoveryAuthority viaGrant(KeyManager person, String secret, Clock clock) {
        return new Grant(person, secret, clock);
    }

    /** The role held by a member service of the role's group (the journal), through its client. */
    public static DiscoveryAuthority viaMembership(Dkm service, String identity, String secret) {
        return new Membership(service, identity, secret);
    }

    static RightsDeniedException denied(String identity, String secret, String why) {
        return new RightsDeniedException(
                RightsDeniedException.Reason.NO_DISCOVERY_ACCESS,
                null,
                "refused: '"
                        + identity
                        + "' does not hold the discovery role ("
                        + secret
                        + "): "
                        + why);
    }

    static RightsException fault(String secret, DkmException e) {
        if (e instanceof DkmUnavailableException) {
            return new RightsKeyUnavailableException(
                    "discovery role " + secret + " unavailable: " + e.getMessage(), e);
        }
        return new RightsIntegrityException(
                "discovery role "
                        + secret
                        + ": "
                        + e.getClass().getSimpleName()
                        + ": "
                        + e.getMessage(),
                e);
    }

    private static final class Grant implements DiscoveryAuthority {
        private final KeyManager km;
        private final String secret;
        private final Clock clock;

        Grant(KeyManager km, String secret, Clock clock) {
            this.km = Objects.requireNonNull(km, "km");
            this.secret = Objects.requireNonNull(secret, "secret");
            this.clock = Objects.requireNonNull(clock, "clock");
        }

        @Override
        public String identity() {
            return km.identity();
        }

        @Override
        public DiscoveryAccess authorise(String reason) throws RightsException {
            String why = checkReason(reason);
            if (km.identityType() != IdentityType.PERSON) {
                throw denied(
                        identity(),
                        secret,
                        "a service holds the role only as a member of its group (the journal),"
                                + " not on the command line");
            }
            km.onBehalfOf("discovery opening, reason: " + why);
            try {
                km.get(secret);
                Instant now = clock.instant();
                for (AccessRequest r : km.listRequests()) {
                    if (r.requester().equals(identity())
                            && r.secret().equals(secret)
                            && r.status() == AccessRequest.Status.APPROVED
                            && r.expiresAt() != null
                            && r.expiresAt().isAfter(now)) {
                        return new DiscoveryAccess(identity(), "grant " + r.id(), r.expiresAt());
                    }
                }
                // DKM let the read through, so a grant ran; it ended in between
                throw denied(identity(), secret, "the elevated-access grant has just expired");
            } catch (DkmAccessDeniedException e) {
                throw denied(identity(), secret, e.getMessage());
            } catch (DkmInvalidRequestException e) {
                throw denied(
                        identity(),
                        secret,
                        e.getMessage() + " (create it with rights init --discovery-group)");
            } catch (DkmException e) {
                throw fault(secret, e);
            }
        }
    }

    private static final class Membership implements DiscoveryAuthority {
        private final Dkm dkm;
        private final String identity;
        private final String secret;

        Membership(Dkm dkm, String identity, String secret) {
            this.dkm = Objects.requireNonNull(dkm, "dkm");
            this.identity = Objects.requireNonNull(identity, "identity");
            this.secret = Objects.requireNonNull(secret, "secret");
        }

        @Override
        public String identity() {
            return identity;
        }

        @Override
        public DiscoveryAccess authorise(String reason) throws RightsException {
            checkReason(reason);
            try {
                return new DiscoveryAccess(
                        identity, "member of " + dkm.secret(secret).group(), null);
            } catch (DkmAccessDeniedException e) {
                throw denied(identity, secret, e.getMessage());
            } catch (DkmInvalidRequestException e) {
                throw denied(identity, secret, e.getMessage());
            } catch (DkmException e) {
                throw fault(secret, e);
            }
        }
    }
}
