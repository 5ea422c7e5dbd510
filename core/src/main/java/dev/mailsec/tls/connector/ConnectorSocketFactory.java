package dev.mailsec.tls.connector;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * The TLS socket factory JavaMail uses for connectors with their own trust store or expected names
 * ({@code mail.smtp.ssl.socketFactory.class}): JavaMail takes one factory class per JVM through its
 * static {@link #getDefault()}, so this one chooses the context by the host and port STARTTLS is
 * upgraded for, from contexts each connector's delivery registers at James's start for its smart
 * hosts. A connector delivering by MX (hosts not known in advance) instead binds its delivery
 * threads to its trust ({@link #bindCurrentThread}), which then chooses the context for whatever MX
 * host the thread connects to; a thread's binding comes before the registrations by host. A host no
 * connector registered, on a thread no connector bound, gets no TLS at all (the attempt fails and
 * is retried), never a weaker check.
 */
public final class ConnectorSocketFactory extends SSLSocketFactory {

    private static final ConnectorSocketFactory INSTANCE = new ConnectorSocketFactory();
    private static final Map<String, HostTrust> CONTEXTS = new ConcurrentHashMap<>();
    private static final ThreadLocal<HostTrust> BOUND = new ThreadLocal<>();

    /**
     * A connector's trust for the hosts it delivers to: the TLS context for STARTTLS to {@code
     * host}.
     */
    public interface HostTrust {
        SSLContext contextFor(String host) throws IOException;
    }

    private ConnectorSocketFactory() {}

    /** Called by JavaMail through reflection. */
    public static SocketFactory getDefault() {
        return INSTANCE;
    }

    /**
     * Makes {@code context} the one for STARTTLS to {@code host:port}; the latest registration
     * wins.
     */
    public static void register(String host, int port, SSLContext context) {
        CONTEXTS.put(key(host, port), h -> context);
    }

    /**
     * Makes {@code trust} choose the context for every STARTTLS to {@code host:port}, at each
     * connection (e.g. with the client certificate current then); the latest registration wins.
     */
    public static void register(String host, int port, HostTrust trust) {
        CONTEXTS.put(key(host, port), trust);
    }

    /**
     * Makes {@code trust} choose the context for every STARTTLS on the calling thread, e.g. a
     * connector's delivery thread, bound right before it connects to an MX host.
     */
    public static void bindCurrentThread(HostTrust trust) {
        BOUND.set(trust);
    }

    private static String key(String host, int port) {
        String name = host.toLowerCase(Locale.ROOT);
        return (name.endsWith(".") ? name.substring(0, name.length() - 1) : name) + ":" + port;
    }

    private static SSLSocketFactory factory(String host, int port) throws IOException {
        HostTrust bound = BOUND.get();
        if (bound != null) {
            return bound.contextFor(host).getSocketFactory();
        }
        HostTrust registered = CONTEXTS.get(key(host, port));
        if (registered == null) {
            throw new IOException(
                    "no outbound connector trust is registered for " + host + ":" + port);
        }
        return registered.contextFor(host).getSocketFactory();
    }

    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose)
            throws IOException {
        return factory(host, port).createSocket(socket, host, port, autoClose);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return factory(host, port).createSocket(host, port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
            throws IOException {
        return factory(host, port).createSocket(host, port, localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        throw new IOException("connector trust is chosen by host name; connect by name");
    }

    @Override
    public Socket createSocket(
            InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        throw new IOException("connector trust is chosen by host name; connect by name");
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return defaultFactory().getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return defaultFactory().getSupportedCipherSuites();
    }

    private static SSLSocketFactory defaultFactory() {
        return (SSLSocketFactory) SSLSocketFactory.getDefault();
    }
}
