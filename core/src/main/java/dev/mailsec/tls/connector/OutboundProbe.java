package dev.mailsec.tls.connector;

import dev.mailsec.tls.SubjectAltNames;
import dev.mailsec.tls.TlsProtocolVersion;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.x500.X500Principal;

/**
 * Connects to a host as outbound delivery would (SMTP, EHLO, STARTTLS, TLS handshake, then QUIT; no
 * mail is sent) and judges what it sees against an outbound connector's policy, the way
 * RemoteDelivery configured by {@link RemoteDeliveryPlan} would: the chain is checked against a
 * trust store (the JVM's by default, as James uses), the name against the host connected to, the
 * protocol against the minimum. Used by {@code ./mailsec tls check}; safe to share between threads.
 * Rooms: {@link SmtpLines} speaks SMTP, {@link RecordingTrustManager} keeps the chain the host
 * shows, {@link OutboundDecision} decides as RemoteDelivery would.
 */
public final class OutboundProbe {

    private final Duration timeout;
    private final X509TrustManager trust;
    private final String heloName;
    private final List<String> expectedNames;
    private final ClientKey clientKey;

    /**
     * @param trustStore certificates to trust, or null for the JVM's default trust store
     */
    public OutboundProbe(Duration timeout, KeyStore trustStore, String heloName)
            throws GeneralSecurityException {
        this.timeout = timeout;
        this.heloName = heloName;
        this.expectedNames = Collections.emptyList();
        this.clientKey = null;
        TrustManagerFactory factory =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trustStore);
        X509TrustManager found = null;
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager) {
                found = (X509TrustManager) manager;
            }
        }
        if (found == null) {
            throw new GeneralSecurityException("no X.509 trust manager available");
        }
        this.trust = found;
    }

    /**
     * A probe judging as a connector with its own trust does ({@link ConnectorTrust}): the chain
     * against {@code trust}, the certificate's name against {@code expectedNames}, or the host's
     * when empty.
     */
    public OutboundProbe(
            Duration timeout, X509TrustManager trust, List<String> expectedNames, String heloName) {
        this.timeout = timeout;
        this.heloName = heloName;
        this.trust = trust;
        this.expectedNames = Collections.unmodifiableList(new ArrayList<>(expectedNames));
        this.clientKey = null;
    }

    private OutboundProbe(OutboundProbe probe, ClientKey clientKey) {
        this.timeout = probe.timeout;
        this.heloName = probe.heloName;
        this.trust = probe.trust;
        this.expectedNames = probe.expectedNames;
        this.clientKey = clientKey;
    }

    /**
     * This probe presenting {@code key} when a host asks for a client certificate, as {@link
     * ConnectorContexts} makes delivery do for a connector with a {@code clientCertificate}; each
     * report then says whether it was asked for and presented ({@link
     * ProbeReport#clientCertificate()}).
     */
    public OutboundProbe presenting(ClientKey key) {
        return new OutboundProbe(this, key);
    }

    /**
     * Probes {@code host}, judging by {@code level} and {@code minimum}. Never throws for what the
     * peer does.
     */
    public ProbeReport probe(
            SmartHost host, OutboundTlsLevel level, Optional<TlsProtocolVersion> minimum) {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host.host(), host.port()), millis);
            socket.setSoTimeout(millis);
            BufferedReader in = SmtpLines.reader(socket);
            OutputStream out = socket.getOutputStream();
            List<String> greeting = SmtpLines.reply(in);
            if (!greeting.get(0).startsWith("220")) {
                return failedSession(
                        host, "greeting was '" + SmtpLines.printable(greeting.get(0)) + "'", level);
            }
            SmtpLines.send(out, "EHLO " + heloName);
            List<String> ehlo = SmtpLines.reply(in);
            if (!ehlo.get(0).startsWith("250")) {
                return failedSession(
                        host, "EHLO answered '" + SmtpLines.printable(ehlo.get(0)) + "'", level);
            }
            boolean offered = false;
            for (String line : ehlo) {
                offered |=
                        line.length() > 4
                                && line.substring(4)
                                        .trim()
                                        .toUpperCase(Locale.ROOT)
                                        .equals("STARTTLS");
            }
            if (!offered) {
                SmtpLines.send(out, "QUIT");
                return judge(
                        host,
                        level,
                        minimum,
                        false,
                        Optional.empty(),
                        Optional.empty(),
                        Collections.emptyList());
            }
            SmtpLines.send(out, "STARTTLS");
            List<String> ready = SmtpLines.reply(in);
            if (!ready.get(0).startsWith("220")) {
                return judge(
                        host,
                        level,
                        minimum,
                        true,
                        Optional.of(
                                "STARTTLS answered '" + SmtpLines.printable(ready.get(0)) + "'"),
                        Optional.empty(),
                        Collections.emptyList());
            }
            return handshake(socket, host, level, minimum);
        } catch (IOException e) {
            return failedSession(
                    host,
                    e.getClass().getSimpleName()
                            + ": "
                            + SmtpLines.printable(String.valueOf(e.getMessage())),
                    level);
        }
    }

    private ProbeReport handshake(
            Socket socket,
            SmartHost host,
            OutboundTlsLevel level,
            Optional<TlsProtocolVersion> minimum) {
        RecordingTrustManager recorder = new RecordingTrustManager();
        ClientCertificateRequests requests =
                clientKey == null ? null : new ClientCertificateRequests(clientKey.keyManagers());
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(
                    requests == null ? null : new KeyManager[] {requests},
                    new TrustManager[] {recorder},
                    null);
            SSLSocket ssl =
                    (SSLSocket)
                            context.getSocketFactory()
                                    .createSocket(socket, host.host(), host.port(), true);
            ssl.startHandshake();
            SSLSession session = ssl.getSession();
            try {
                OutputStream out = ssl.getOutputStream();
                SmtpLines.send(out, "QUIT");
            } catch (IOException quitFailed) {
                // the decision is already made
            }
            return withClientCertificate(
                    judge(
                            host,
                            level,
                            minimum,
                            true,
                            Optional.empty(),
                            Optional.of(session),
                            recorder.chain),
                    requests);
        } catch (IOException e) {
            return withClientCertificate(
                    judge(
                            host,
                            level,
                            minimum,
                            true,
                            Optional.of(SmtpLines.printable(String.valueOf(e.getMessage()))),
                            Optional.empty(),
                            recorder.chain),
                    requests);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM cannot create a TLS context", e);
        }
    }

    private ProbeReport withClientCertificate(
            ProbeReport report, ClientCertificateRequests requests) {
        if (requests == null) {
            return report;
        }
        String subject =
                clientKey.certificate().getSubjectX500Principal().getName(X500Principal.RFC2253)
                        + " (version "
                        + clientKey.version()
                        + ")";
        if (requests.presented) {
            return report.withClientCertificate("presented " + subject);
        }
        if (requests.requested) {
            return report.withClientCertificate(
                    "asked for, but "
                            + subject
                            + " is not from an issuer the host accepts: not presented");
        }
        return report.withClientCertificate(
                "not asked for by the host"
                        + (report.handshakeError().isPresent()
                                ? " before the handshake failed"
                                : "")
                        + " ("
                        + subject
                        + " would be presented)");
    }

    private ProbeReport judge(
            SmartHost host,
            OutboundTlsLevel level,
            Optional<TlsProtocolVersion> minimum,
            boolean offered,
            Optional<String> handshakeError,
            Optional<SSLSession> session,
            List<X509Certificate> chain) {
        List<ProbeReport.CertificateSummary> summaries = new ArrayList<>();
        for (X509Certificate certificate : chain) {
            summaries.add(
                    new ProbeReport.CertificateSummary(
                            certificate.getSubjectX500Principal().getName(X500Principal.RFC2253),
                            certificate.getIssuerX500Principal().getName(X500Principal.RFC2253),
                            certificate.getNotAfter().toInstant().toString(),
                            SubjectAltNames.of(certificate)));
        }
        Optional<String> trustError = Optional.empty();
        Optional<String> matched = Optional.empty();
        if (!chain.isEmpty()) {
            try {
                trust.checkServerTrusted(chain.toArray(new X509Certificate[0]), "UNKNOWN");
            } catch (CertificateException e) {
                trustError = Optional.of(SmtpLines.printable(String.valueOf(e.getMessage())));
            }
            if (expectedNames.isEmpty()) {
                matched = HostNameMatcher.match(host.host(), chain.get(0));
            } else {
                for (String name : expectedNames) {
                    matched =
                            matched.isPresent()
                                    ? matched
                                    : HostNameMatcher.match(name, chain.get(0));
                }
            }
        }
        Optional<String> protocol = session.map(SSLSession::getProtocol);
        Optional<String> cipher = session.map(SSLSession::getCipherSuite);
        OutboundDecision decision =
                OutboundDecision.decide(
                        level,
                        minimum,
                        offered,
                        handshakeError,
                        protocol,
                        trustError,
                        matched,
                        expectedNames.isEmpty() ? host.host() : String.join(" or ", expectedNames));
        return new ProbeReport(
                host,
                Optional.empty(),
                offered,
                handshakeError,
                protocol,
                cipher,
                summaries,
                trustError,
                matched,
                decision.deliver,
                decision.text);
    }

    private static ProbeReport failedSession(SmartHost host, String error, OutboundTlsLevel level) {
        return new ProbeReport(
                host,
                Optional.of(error),
                false,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Collections.emptyList(),
                Optional.empty(),
                Optional.empty(),
                false,
                "mail would wait: cannot open an SMTP session ("
                        + error
                        + "); RemoteDelivery retries, then bounces");
    }

    /**
     * The client key's manager, noting whether the host asked for a certificate (JSSE chooses a
     * client alias only after a CertificateRequest) and whether one was chosen.
     */
    private static final class ClientCertificateRequests extends X509ExtendedKeyManager {
        private final X509KeyManager keys;
        volatile boolean requested;
        volatile boolean presented;

        ClientCertificateRequests(KeyManager[] managers) {
            X509KeyManager found = null;
            for (KeyManager manager : managers) {
                if (manager instanceof X509KeyManager) {
                    found = (X509KeyManager) manager;
                }
            }
            if (found == null) {
                throw new IllegalStateException("the JVM made no X.509 key manager");
            }
            this.keys = found;
        }

        private String chosen(String alias) {
            requested = true;
            presented |= alias != null;
            return alias;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return chosen(keys.chooseClientAlias(keyType, issuers, socket));
        }

        @Override
        public String chooseEngineClientAlias(
                String[] keyType, Principal[] issuers, SSLEngine engine) {
            return chosen(keys.chooseClientAlias(keyType, issuers, null));
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return keys.getClientAliases(keyType, issuers);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return keys.getPrivateKey(alias);
        }
    }
}
