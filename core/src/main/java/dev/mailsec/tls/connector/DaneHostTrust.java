package dev.mailsec.tls.connector;

import dev.mailsec.tls.connector.dane.DaneHost;
import dev.mailsec.tls.connector.dane.DanePolicy;
import dev.mailsec.tls.connector.dane.DaneTrustManager;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS trust of one DANE delivery attempt (RFC 7672 section 3): made from the recipient domain's
 * {@link DanePolicy} of {@link DanePolicy.Kind#DANE DANE} kind, it gives each MX host the policy
 * lets mail go to a context whose only trust is that host's TLSA records ({@link DaneTrustManager},
 * reference names the MX host and the recipient domain for DANE-TA(2)); a host whose TLSA records
 * are all unusable gets TLS without a certificate check (RFC 7672 section 2.2: still never clear
 * text). Any other host, and any host under another kind of policy, gets no context: the attempt
 * fails before a byte of the message is sent. When the connector has a client certificate ({@code
 * clientCertificate}), each context also presents it, as {@link ClientKeyCache} has it now (a new
 * DKM version after the refresh time); without a usable one (DKM unreachable after the refresh
 * time, the certificate expired) there is no context either: the mail waits, never sent without it.
 * Immutable.
 */
public final class DaneHostTrust implements ConnectorSocketFactory.HostTrust {

    private final DanePolicy policy;
    private final UnaryOperator<String> hostOfAddress;
    private final Clock clock;
    private final String connector;
    private final Optional<ClientKeyCache> clientKey;

    /**
     * The TLS versions allowed come from JavaMail's {@code mail.smtp.ssl.protocols}.
     *
     * @param hostOfAddress the MX host name an address the delivery connected to was resolved from
     *     (RemoteDelivery connects by address unless {@code verifyServerIdentity}), or the name
     *     itself
     */
    public DaneHostTrust(DanePolicy policy, UnaryOperator<String> hostOfAddress, Clock clock) {
        this(policy, hostOfAddress, clock, "", Optional.empty());
    }

    /**
     * As {@link #DaneHostTrust(DanePolicy, UnaryOperator, Clock)}, presenting a client certificate.
     *
     * @param connector the connector's name, for messages
     * @param clientKey the connector's client certificate, empty when it presents none
     */
    public DaneHostTrust(
            DanePolicy policy,
            UnaryOperator<String> hostOfAddress,
            Clock clock,
            String connector,
            Optional<ClientKeyCache> clientKey) {
        this.policy = policy;
        this.hostOfAddress = hostOfAddress;
        this.clock = clock;
        this.connector = connector;
        this.clientKey = clientKey;
    }

    @Override
    public SSLContext contextFor(String host) throws IOException {
        String name = hostOfAddress.apply(host).toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        Optional<DaneHost> entry = policy.host(name);
        if (policy.kind() != DanePolicy.Kind.DANE
                || entry.isEmpty()
                || !entry.get().tlsMandatory()) {
            throw new IOException(
                    "DANE: "
                            + name
                            + " is not a host DANE lets mail to "
                            + policy.domain()
                            + " go to ("
                            + policy.describe().replace('\n', ' ')
                            + ")");
        }
        TrustManager trust =
                entry.get().mode() == DaneHost.Mode.AUTHENTICATED
                        ? new DaneTrustManager(
                                entry.get().records(), List.of(name, policy.domain()), clock)
                        : new AnyCertificate();
        KeyManager[] keys = null;
        if (clientKey.isPresent()) {
            try {
                keys = clientKey.get().current().keyManagers();
            } catch (IOException e) {
                throw new IOException(
                        "outbound connector '"
                                + connector
                                + "': no client certificate to present to "
                                + name
                                + ": "
                                + e.getMessage(),
                        e);
            }
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("DANE: no TLS context for " + name + ": " + e.getMessage(), e);
        }
    }

    /** The policy these contexts enforce. */
    public DanePolicy policy() {
        return policy;
    }

    /**
     * RFC 7672 section 2.2: TLSA records exist but none is usable: encrypt, do not authenticate.
     */
    private static final class AnyCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType)
                throws CertificateException {
            throw new CertificateException("servers only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // encryption only, as RFC 7672 section 2.2 says for unusable TLSA records
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
