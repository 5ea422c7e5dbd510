package dev.mailsec.tls.connector;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.X509TrustManager;

/**
 * Accepts any chain during the handshake so the probe can report it; judging happens afterwards.
 */
final class RecordingTrustManager implements X509TrustManager {
    volatile List<X509Certificate> chain = Collections.emptyList();

    @Override
    public void checkClientTrusted(X509Certificate[] certificates, String authType)
            throws CertificateException {
        throw new CertificateException("the probe is a client");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certificates, String authType) {
        chain = Collections.unmodifiableList(Arrays.asList(certificates.clone()));
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
