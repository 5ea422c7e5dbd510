package dev.mailsec.tls.report;

import com.sun.mail.smtp.SMTPTransport;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.Optional;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.URLName;

/**
 * JavaMail's SMTP transport, unchanged, that records each session's TLS result for TLS reports (RFC
 * 8460): STARTTLS negotiated, STARTTLS not offered (a session in clear, or refused when STARTTLS is
 * required), or the handshake's failure. It records only on a thread whose delivery set a {@link
 * TlsSessionContext} (the reporting deliveries of the pack), into {@link TlsSessions}; recording
 * never changes what the transport does. James's {@code RemoteDelivery} uses it with {@code
 * mail.smtp.class=dev.mailsec.tls.report.ReportingSmtpTransport} (registered in the pack's {@code
 * META-INF/javamail.providers}).
 */
public class ReportingSmtpTransport extends SMTPTransport {

    private boolean tlsAttempted;
    private boolean tlsStarted;

    public ReportingSmtpTransport(Session session, URLName urlname) {
        super(session, urlname);
    }

    @Override
    protected synchronized boolean protocolConnect(
            String host, int port, String user, String password) throws MessagingException {
        tlsAttempted = false;
        tlsStarted = false;
        boolean connected;
        try {
            connected = super.protocolConnect(host, port, user, password);
        } catch (MessagingException | RuntimeException e) {
            TlsFailures.classify(e, tlsAttempted).ifPresent(type -> fail(type, host, port));
            throw e;
        }
        if (connected) {
            if (tlsStarted) {
                TlsSessionContext.policy().ifPresent(TlsSessions::success);
            } else if (!isSSL() && !supportsExtension("STARTTLS")) {
                // delivered in clear because the MX host offered no STARTTLS
                fail(TlsResultType.STARTTLS_NOT_SUPPORTED, host, port);
            }
        }
        return connected;
    }

    @Override
    protected void startTLS() throws MessagingException {
        tlsAttempted = true;
        super.startTLS();
        tlsStarted = true;
    }

    private void fail(TlsResultType type, String host, int port) {
        Optional<TlsPolicy> policy = TlsSessionContext.policy();
        if (policy.isEmpty() || host == null) {
            return;
        }
        String receivingIp = isAddress(host) ? host : TlsSessionContext.addressOf(host);
        TlsSessions.failure(
                policy.get(),
                type,
                sendingAddress(receivingIp, port),
                TlsSessionContext.mxName(host),
                receivingIp);
    }

    private static boolean isAddress(String host) {
        return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    }

    /** Our address on the route to {@code host} (a UDP connect sends nothing). */
    private static String sendingAddress(String host, int port) {
        if (host.isEmpty() || !isAddress(host)) {
            return "";
        }
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(InetAddress.getByName(host), port > 0 ? port : 25);
            InetAddress local = probe.getLocalAddress();
            return local == null || local.isAnyLocalAddress() ? "" : local.getHostAddress();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
