package dev.mailsec.smime;

import java.security.cert.X509Certificate;
import java.util.Set;

/**
 * Who signed, as the verdict reports it: the signer certificate's e-mail addresses, subject and
 * serial (hex); every verdict on one signer is made here. Immutable.
 */
final class SignerIdentity {
    final Set<String> addresses;
    private final String subject;
    private final String serial;

    SignerIdentity(X509Certificate cert) {
        this.addresses = CertificateAddresses.of(cert);
        this.subject = cert.getSubjectX500Principal().getName();
        this.serial = cert.getSerialNumber().toString(16);
    }

    /** A verdict on this signer, without peer capabilities. */
    SmimeVerification verdict(SmimeResult result, String reason) {
        return verdict(result, reason, null);
    }

    /** A verdict on this signer; {@code capabilities} may be null. */
    SmimeVerification verdict(SmimeResult result, String reason, PeerCapabilities capabilities) {
        return SmimeVerification.signed(result, reason, addresses, subject, serial, capabilities);
    }
}
