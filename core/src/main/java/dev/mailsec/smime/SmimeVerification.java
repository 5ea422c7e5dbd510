package dev.mailsec.smime;

import java.util.Optional;
import java.util.Set;

/** The typed outcome of {@link SmimeVerifier}: the result, why, and who signed. */
public final class SmimeVerification {

    private final SmimeResult result;
    private final String reason;
    private final Set<String> signerAddresses;
    private final String signerSubject;
    private final String signerSerial;
    private final PeerCapabilities capabilities;

    private SmimeVerification(
            SmimeResult result,
            String reason,
            Set<String> signerAddresses,
            String signerSubject,
            String signerSerial,
            PeerCapabilities capabilities) {
        this.result = result;
        this.reason = reason;
        this.signerAddresses = Set.copyOf(signerAddresses);
        this.signerSubject = signerSubject;
        this.signerSerial = signerSerial;
        this.capabilities = capabilities;
    }

    /** The verdict for a message that carries no S/MIME signature. */
    public static SmimeVerification none() {
        return of(SmimeResult.NONE, null);
    }

    static SmimeVerification of(SmimeResult result, String reason) {
        return new SmimeVerification(result, reason, Set.of(), null, null, null);
    }

    static SmimeVerification signed(
            SmimeResult result,
            String reason,
            Set<String> addresses,
            String subject,
            String serial,
            PeerCapabilities capabilities) {
        return new SmimeVerification(result, reason, addresses, subject, serial, capabilities);
    }

    public SmimeResult result() {
        return result;
    }

    /** Human-readable, free of secrets; e.g. {@code certificate revoked}. */
    public String reason() {
        return reason;
    }

    public Set<String> signerAddresses() {
        return signerAddresses;
    }

    public Optional<String> signerSubject() {
        return Optional.ofNullable(signerSubject);
    }

    /** Hex serial number of the signer's certificate. */
    public Optional<String> signerSerial() {
        return Optional.ofNullable(signerSerial);
    }

    /** The SMIMECapabilities the signer announced, when the signature is valid and lists them. */
    public Optional<PeerCapabilities> capabilities() {
        return Optional.ofNullable(capabilities);
    }

    /**
     * The {@code smime} entry of an Authentication-Results header (RFC 7281 section 3, RFC 8601
     * section 2.7): {@code smime=pass (reason) body.smime-identifier=alice@example.test}.
     */
    public String authenticationResultsEntry() {
        StringBuilder sb = new StringBuilder("smime=").append(result.keyword());
        if (reason != null && !reason.isEmpty()) {
            sb.append(" (")
                    .append(reason.replace('(', '[').replace(')', ']').replace('\\', '/'))
                    .append(')');
        }
        if (!signerAddresses.isEmpty()) {
            sb.append(" body.smime-identifier=").append(signerAddresses.iterator().next());
        }
        if (signerSerial != null) {
            sb.append(" body.smime-serial=").append(signerSerial);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "SmimeVerification{" + authenticationResultsEntry() + "}";
    }
}
