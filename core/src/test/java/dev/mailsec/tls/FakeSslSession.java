package dev.mailsec.tls;

import java.security.Principal;
import java.security.cert.Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.security.cert.X509Certificate;

/** An {@link SSLSession} with fixed protocol, cipher and peer chain, for unit tests. */
final class FakeSslSession implements SSLSession {
    private final String protocol;
    private final String cipherSuite;
    private final Certificate[] peerCertificates;

    FakeSslSession(String protocol, String cipherSuite, Certificate... peerCertificates) {
        this.protocol = protocol;
        this.cipherSuite = cipherSuite;
        this.peerCertificates = peerCertificates;
    }

    @Override
    public String getProtocol() {
        return protocol;
    }

    @Override
    public String getCipherSuite() {
        return cipherSuite;
    }

    @Override
    public Certificate[] getPeerCertificates() throws SSLPeerUnverifiedException {
        if (peerCertificates.length == 0) {
            throw new SSLPeerUnverifiedException("peer not authenticated");
        }
        return peerCertificates.clone();
    }

    @Override
    public byte[] getId() {
        return new byte[0];
    }

    @Override
    public SSLSessionContext getSessionContext() {
        return null;
    }

    @Override
    public long getCreationTime() {
        return 0;
    }

    @Override
    public long getLastAccessedTime() {
        return 0;
    }

    @Override
    public void invalidate() {}

    @Override
    public boolean isValid() {
        return true;
    }

    @Override
    public void putValue(String name, Object value) {}

    @Override
    public Object getValue(String name) {
        return null;
    }

    @Override
    public void removeValue(String name) {}

    @Override
    public String[] getValueNames() {
        return new String[0];
    }

    @Override
    public Certificate[] getLocalCertificates() {
        return null;
    }

    @Override
    public Principal getPeerPrincipal() throws SSLPeerUnverifiedException {
        throw new SSLPeerUnverifiedException("none");
    }

    @Override
    public Principal getLocalPrincipal() {
        return null;
    }

    @Override
    public String getPeerHost() {
        return "127.0.0.1";
    }

    @Override
    public int getPeerPort() {
        return 0;
    }

    @Override
    @Deprecated
    @SuppressWarnings("removal")
    public X509Certificate[] getPeerCertificateChain() throws SSLPeerUnverifiedException {
        throw new SSLPeerUnverifiedException("not supported by this fake");
    }

    @Override
    public int getPacketBufferSize() {
        return 0;
    }

    @Override
    public int getApplicationBufferSize() {
        return 0;
    }
}
