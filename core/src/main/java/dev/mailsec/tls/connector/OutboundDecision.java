package dev.mailsec.tls.connector;

import dev.mailsec.tls.TlsProtocolVersion;
import java.util.Optional;

/**
 * The outcome of an {@link OutboundProbe}'s checks, as RemoteDelivery with the connector's
 * parameters would act on them: whether mail would go, and a line saying why. Immutable.
 */
final class OutboundDecision {
    final boolean deliver;
    final String text;

    OutboundDecision(boolean deliver, String text) {
        this.deliver = deliver;
        this.text = text;
    }

    /** What RemoteDelivery would do at {@code level} with what the probe saw of {@code host}. */
    static OutboundDecision decide(
            OutboundTlsLevel level,
            Optional<TlsProtocolVersion> minimum,
            boolean offered,
            Optional<String> handshakeError,
            Optional<String> protocol,
            Optional<String> trustError,
            Optional<String> matchedName,
            String host) {
        String hold = "mail would wait: ";
        String then = "; RemoteDelivery retries, then bounces (" + level + ")";
        // a host with TLSA records (the probe's DANE level) never gets clear text
        boolean mandatory = level.encryptionMandatory() || level == OutboundTlsLevel.DANE;
        if (!offered) {
            return mandatory
                    ? new OutboundDecision(false, hold + "STARTTLS not offered" + then)
                    : new OutboundDecision(
                            true, "mail would go IN CLEAR: STARTTLS not offered (opportunistic)");
        }
        if (handshakeError.isPresent()) {
            return new OutboundDecision(
                    false, hold + "TLS handshake failed: " + handshakeError.get() + then);
        }
        String negotiated = protocol.orElse("unknown");
        if (minimum.isPresent()) {
            boolean strongEnough =
                    protocol.flatMap(TlsProtocolVersion::fromJsseName)
                            .map(v -> v.isAtLeast(minimum.get()))
                            .orElse(false);
            if (!strongEnough) {
                return new OutboundDecision(
                        false,
                        hold
                                + "the host negotiates "
                                + negotiated
                                + ", the connector requires "
                                + minimum.get().jsseName()
                                + " or newer"
                                + then);
            }
        }
        if (level == OutboundTlsLevel.DANE) {
            if (trustError.isPresent()) {
                return new OutboundDecision(
                        false,
                        hold
                                + "certificate does not match the TLSA records: "
                                + trustError.get()
                                + then);
            }
            return new OutboundDecision(
                    true,
                    "mail would go over "
                            + negotiated
                            + ", certificate authenticated by TLSA (DANE)");
        }
        if (level == OutboundTlsLevel.VERIFY) {
            if (trustError.isPresent()) {
                return new OutboundDecision(
                        false, hold + "certificate chain not trusted: " + trustError.get() + then);
            }
            if (matchedName.isEmpty()) {
                return new OutboundDecision(
                        false, hold + "certificate not issued for " + host + then);
            }
            return new OutboundDecision(
                    true,
                    "mail would go over "
                            + negotiated
                            + ", certificate verified for "
                            + matchedName.get());
        }
        return new OutboundDecision(
                true,
                "mail would go over " + negotiated + " (" + level + ": certificate not checked)");
    }
}
