package dev.mailsec.smime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.TrustAnchor;
import java.util.Hashtable;
import java.util.Locale;
import java.util.Set;
import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The trust for {@code ldaps://} connections: the JVM's trust store, or given CA certificates (the
 * enterprise CA that issued an Active Directory domain controller's certificate, which the JVM does
 * not know). The server's name is checked against its certificate either way (the JDK's LDAPS
 * endpoint identification).
 *
 * <p>The JDK's LDAP provider takes a socket factory only as a class name with a static {@code
 * getDefault()}; {@link #open} hands it this object's factory through a thread-local for the one
 * connection it opens (the provider connects in the calling thread).
 */
public final class LdapTls {

    private static final ThreadLocal<SSLSocketFactory> CURRENT = new ThreadLocal<>();
    private static final LdapTls JVM_DEFAULT = new LdapTls(null, "the JVM's trust store");

    private final SSLSocketFactory factory;
    private final String description;

    private LdapTls(SSLSocketFactory factory, String description) {
        this.factory = factory;
        this.description = description;
    }

    public static LdapTls jvmDefault() {
        return JVM_DEFAULT;
    }

    /** Trusts exactly these CA certificates for the LDAP server's certificate. */
    public static LdapTls trusting(Set<TrustAnchor> anchors) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (TrustAnchor a : anchors) {
                store.setCertificateEntry("anchor-" + i++, a.getTrustedCert());
            }
            TrustManagerFactory tmf =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return new LdapTls(
                    new NoDelay(context.getSocketFactory()),
                    anchors.size() + " configured CA certificate(s)");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(
                    "cannot build a TLS trust store from the CA certificates: " + e.getMessage(),
                    e);
        }
    }

    /** The JVM's default TLS socket factory, with TCP_NODELAY. */
    private static final class JvmDefault {
        static final SSLSocketFactory FACTORY =
                new NoDelay((SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    /**
     * Opens a JNDI LDAP context; an {@code ldaps://} connection trusts what this object trusts, and
     * its socket has TCP_NODELAY (without it the JDK's handshake waits for the server's delayed
     * acknowledgement: 51 ms per connection to slapd here, 10 ms with it).
     */
    DirContext open(Hashtable<String, Object> env) throws NamingException {
        Object url = env.get(Context.PROVIDER_URL);
        if (!(url instanceof String)
                || !((String) url).toLowerCase(Locale.ROOT).startsWith("ldaps://")) {
            return new InitialDirContext(env);
        }
        env.put("java.naming.ldap.factory.socket", Factory.class.getName());
        Thread thread = Thread.currentThread();
        ClassLoader saved = thread.getContextClassLoader();
        CURRENT.set(factory != null ? factory : JvmDefault.FACTORY);
        // the provider loads the factory class through the context class loader (in James, not
        // ours)
        thread.setContextClassLoader(LdapTls.class.getClassLoader());
        try {
            return new InitialDirContext(env);
        } finally {
            thread.setContextClassLoader(saved);
            CURRENT.remove();
        }
    }

    /**
     * A JNDI failure in one line with its cause (e.g. why a TLS handshake failed), which JNDI's
     * message leaves out.
     */
    static String describe(NamingException e) {
        StringBuilder b =
                new StringBuilder(e.getClass().getSimpleName())
                        .append(' ')
                        .append(e.getExplanation());
        Throwable cause = e.getRootCause();
        for (int depth = 0; cause != null && depth < 5; depth++, cause = cause.getCause()) {
            if (cause.getMessage() != null && !b.toString().contains(cause.getMessage())) {
                b.append(": ").append(cause.getMessage());
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return description;
    }

    /**
     * Sockets with TCP_NODELAY: the LDAP provider writes small requests and waits for each answer.
     */
    private static final class NoDelay extends SSLSocketFactory {
        private final SSLSocketFactory delegate;

        NoDelay(SSLSocketFactory delegate) {
            this.delegate = delegate;
        }

        private static Socket set(Socket s) throws IOException {
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public Socket createSocket() throws IOException {
            return set(delegate.createSocket());
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose)
                throws IOException {
            return set(delegate.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return set(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
                throws IOException {
            return set(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return set(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(
                InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return set(delegate.createSocket(address, port, localAddress, localPort));
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }
    }

    /**
     * What the JDK's LDAP provider loads by name: it only calls the static {@link #getDefault()},
     * which returns the factory of the {@link LdapTls#open} call in progress on this thread.
     */
    public static final class Factory {

        private Factory() {}

        public static SocketFactory getDefault() {
            SSLSocketFactory f = CURRENT.get();
            if (f == null) {
                throw new IllegalStateException("LdapTls.Factory used outside LdapTls.open");
            }
            return f;
        }
    }
}
