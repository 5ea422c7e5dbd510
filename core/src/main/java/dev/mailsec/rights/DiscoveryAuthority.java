package dev.mailsec.rights;

/**
 * Decides whether the acting DKM identity holds the discovery role now. Implementations read the
 * role secret through DKM, so DKM decides (approved, unexpired grant; membership) and audits the
 * attempt either way: {@link DiscoveryRole#viaGrant} for a person, {@link
 * DiscoveryRole#viaMembership} for a service such as the journal.
 */
public interface DiscoveryAuthority {
    /** The DKM identity this authority acts as. */
    String identity();

    /**
     * Proves the role for one opening.
     *
     * @param reason the legal-hold reason of this opening (recorded by DKM where it can)
     * @throws RightsDeniedException with {@link RightsDeniedException.Reason#NO_DISCOVERY_ACCESS}
     *     when the identity does not hold the role now
     * @throws RightsKeyUnavailableException when DKM cannot be reached
     */
    DiscoveryAccess authorise(String reason) throws RightsException;
}
