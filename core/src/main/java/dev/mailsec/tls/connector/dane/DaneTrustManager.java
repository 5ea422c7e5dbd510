package dev.mailsec.tls.connector.dane;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a server exactly when its chain matches one of its host's usable TLSA records ({@link
 * DaneVerifier}); nothing else (no CA, no JVM trust store). An {@link X509ExtendedTrustManager}, so
 * JSSE adds no host name check of its own: DANE-EE(3) ignores names by design. Client certificates
 * are never trusted by it.
 */
public final class DaneTrustManager extends X509ExtendedTrustManager {

    private final List<TlsaRecord> records;
    private final List<String> names;
    private final Clock clock;

    /**
     * @param records the host's TLSA records
     * @param names the reference names for DANE-TA(2): the MX host and the recipient domain
     */
    public DaneTrustManager(List<TlsaRecord> records, List<String> names, Clock clock) {
        this.records = Collections.unmodifiableList(new ArrayList<>(records));
        this.names = Collections.unmodifiableList(new ArrayList<>(names));
        this.clock = clock;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
            throws CertificateException {
        DaneVerifier.Result result =
                DaneVerifier.check(
                        chain == null ? List.of() : Arrays.asList(chain),
                        records,
                        names,
                        Date.from(clock.instant()));
        if (!result.matched()) {
            // TLS-RPT: validation-failure (tlsa-invalid when no record was usable)
            throw new CertificateException("DANE: " + result.text());
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
            throws CertificateException {
        throw new CertificateException("DANE authenticates servers only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
