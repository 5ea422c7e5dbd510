package dev.mailsec.smime;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLConnection;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fetches CRLs over {@code http}, {@code https} or {@code file} with connect and read timeouts, and
 * keeps each until its nextUpdate or {@code maxAge}, whichever comes first. A CRL whose signature does
 * not check out is rejected by the JDK's PKIX validator, not here.
 */
public final class CachingCrlSource implements CrlSource {

    private static final int MAX_CRL_BYTES = 32 * 1024 * 1024;

    private final Duration timeout;
    private final Duration maxAge;
    private final Clock clock;
    private final ConcurrentHashMap<URI, Entry> cache = new ConcurrentHashMap<>();

    private static final class Entry {
        final X509CRL crl;
        final Instant expires;

        Entry(X509CRL crl, Instant expires) {
            this.crl = crl;
            this.expires = expires;
        }
    }

    public CachingCrlSource(Duration timeout, Duration maxAge, Clock clock) {
        this.timeout = timeout;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    public CachingCrlSource() {
        this(Duration.ofSeconds(10), Duration.ofHours(1), Clock.systemUTC());
    }

    @Override
    public X509CRL fetch(URI distributionPoint) throws IOException {
        Instant now = clock.instant();
        Entry entry = cache.get(distributionPoint);
        if (entry != null && now.isBefore(entry.expires)) {
            return entry.crl;
        }
        String scheme = distributionPoint.getScheme() == null ? "" : distributionPoint.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("file")) {
            throw new IOException("unsupported CRL distribution point scheme: " + distributionPoint);
        }
        URLConnection connection = distributionPoint.toURL().openConnection();
        connection.setConnectTimeout((int) timeout.toMillis());
        connection.setReadTimeout((int) timeout.toMillis());
        X509CRL crl;
        try (InputStream in = connection.getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_CRL_BYTES + 1);
            if (bytes.length > MAX_CRL_BYTES) {
                throw new IOException("CRL at " + distributionPoint + " is larger than " + MAX_CRL_BYTES + " bytes");
            }
            crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new java.io.ByteArrayInputStream(bytes));
        } catch (CRLException | CertificateException e) {
            throw new IOException("cannot parse the CRL at " + distributionPoint + ": " + e.getMessage(), e);
        }
        Instant expires = now.plus(maxAge);
        if (crl.getNextUpdate() != null && crl.getNextUpdate().toInstant().isBefore(expires)) {
            expires = crl.getNextUpdate().toInstant();
        }
        cache.put(distributionPoint, new Entry(crl, expires));
        return crl;
    }
}
