package dev.mailsec.rights;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What entitles a discovery opening: the DKM identity acting in the discovery role and how it holds
 * the role (a person's approved elevated-access grant, or a service's membership of the role's
 * group), with the grant's end.
 */
public final class DiscoveryAccess {
    private final String identity;
    private final String basis;
    private final Instant until;

    /**
     * @param identity the DKM identity (never a party's address)
     * @param basis e.g. {@code grant req-0a1b2c3d4e} or {@code member of rights-discovery}
     * @param until when the grant ends (null for a member service)
     */
    public DiscoveryAccess(String identity, String basis, Instant until) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.basis = Objects.requireNonNull(basis, "basis");
        this.until = until;
    }

    public String identity() {
        return identity;
    }

    public String basis() {
        return basis;
    }

    public Optional<Instant> until() {
        return Optional.ofNullable(until);
    }

    /** The access-log address of this role: {@code discovery:<identity>}, never a mail address. */
    public String logAddress() {
        return DiscoveryRole.logAddress(identity);
    }

    @Override
    public String toString() {
        return "DiscoveryAccess["
                + identity
                + ", "
                + basis
                + (until == null ? "" : " until " + until)
                + "]";
    }
}
