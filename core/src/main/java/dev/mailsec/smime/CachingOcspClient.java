package dev.mailsec.smime;

import dev.mailsec.asn1.BerLimits;
import dev.mailsec.shaded.bc.asn1.DEROctetString;
import dev.mailsec.shaded.bc.asn1.ocsp.OCSPObjectIdentifiers;
import dev.mailsec.shaded.bc.asn1.x509.Extension;
import dev.mailsec.shaded.bc.asn1.x509.Extensions;
import dev.mailsec.shaded.bc.asn1.x509.KeyPurposeId;
import dev.mailsec.shaded.bc.cert.X509CertificateHolder;
import dev.mailsec.shaded.bc.cert.jcajce.JcaX509CertificateConverter;
import dev.mailsec.shaded.bc.cert.ocsp.BasicOCSPResp;
import dev.mailsec.shaded.bc.cert.ocsp.CertificateID;
import dev.mailsec.shaded.bc.cert.ocsp.CertificateStatus;
import dev.mailsec.shaded.bc.cert.ocsp.OCSPException;
import dev.mailsec.shaded.bc.cert.ocsp.OCSPReq;
import dev.mailsec.shaded.bc.cert.ocsp.OCSPReqBuilder;
import dev.mailsec.shaded.bc.cert.ocsp.OCSPResp;
import dev.mailsec.shaded.bc.cert.ocsp.RevokedStatus;
import dev.mailsec.shaded.bc.cert.ocsp.SingleResp;
import dev.mailsec.shaded.bc.cert.ocsp.jcajce.JcaCertificateID;
import dev.mailsec.shaded.bc.operator.OperatorCreationException;
import dev.mailsec.shaded.bc.operator.jcajce.JcaContentVerifierProviderBuilder;
import dev.mailsec.shaded.bc.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OCSP over HTTP POST (RFC 6960 appendix A) with connect/read timeouts, a nonce, and a cache that
 * keeps an answer until its nextUpdate or {@code maxAge}, whichever comes first. A response counts
 * only when it is signed by the certificate's issuer or by a responder certificate the issuer gave
 * id-kp-OCSPSigning, names the certificate asked about, is not from the future or past its
 * nextUpdate, and echoes our nonce when it carries one; anything else is an {@link IOException}. A
 * failed exchange is remembered per certificate for {@code failureTtl} (default one minute), so a
 * responder that is down costs one timeout per certificate and minute, not one per message.
 */
public final class CachingOcspClient implements OcspSource {

    private static final int MAX_RESPONSE_BYTES = 1024 * 1024;
    private static final Duration SKEW = Duration.ofMinutes(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Duration timeout;
    private final Duration maxAge;
    private final Clock clock;
    private final Duration failureTtl;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Failure> failures = new ConcurrentHashMap<>();

    private static final class Failure {
        final String message;
        final Instant until;

        Failure(String message, Instant until) {
            this.message = message;
            this.until = until;
        }
    }

    private static final class Entry {
        final Status status;
        final Instant expires;

        Entry(Status status, Instant expires) {
            this.status = status;
            this.expires = expires;
        }
    }

    public CachingOcspClient(Duration timeout, Duration maxAge, Clock clock) {
        this(timeout, maxAge, Duration.ofMinutes(1), clock);
    }

    /**
     * @param failureTtl how long a failed exchange is answered from memory ({@link Duration#ZERO}:
     *     never)
     */
    public CachingOcspClient(Duration timeout, Duration maxAge, Duration failureTtl, Clock clock) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("OCSP timeout must be positive");
        }
        this.timeout = timeout;
        this.maxAge = maxAge;
        this.failureTtl = failureTtl;
        this.clock = clock;
    }

    public CachingOcspClient() {
        this(Duration.ofSeconds(5), Duration.ofHours(1), Clock.systemUTC());
    }

    @Override
    public Status check(URI responder, X509Certificate certificate, X509Certificate issuer)
            throws IOException {
        String key =
                responder
                        + " "
                        + issuer.getSubjectX500Principal().getName()
                        + " "
                        + certificate.getSerialNumber().toString(16);
        Instant now = clock.instant();
        Entry cached = cache.get(key);
        if (cached != null && now.isBefore(cached.expires)) {
            return cached.status;
        }
        Failure failed = failures.get(key);
        if (failed != null && now.isBefore(failed.until)) {
            throw new IOException(failed.message + " (remembered until " + failed.until + ")");
        }
        try {
            Status status = ask(responder, certificate, issuer, key, now);
            failures.remove(key);
            return status;
        } catch (IOException e) {
            if (!failureTtl.isZero()) {
                failures.put(key, new Failure(e.getMessage(), now.plus(failureTtl)));
            }
            throw e;
        }
    }

    private Status ask(
            URI responder,
            X509Certificate certificate,
            X509Certificate issuer,
            String key,
            Instant now)
            throws IOException {
        String scheme =
                responder.getScheme() == null ? "" : responder.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IOException("unsupported OCSP responder scheme: " + responder);
        }
        try {
            CertificateID id =
                    new JcaCertificateID(
                            new JcaDigestCalculatorProviderBuilder()
                                    .build()
                                    .get(CertificateID.HASH_SHA1),
                            issuer,
                            certificate.getSerialNumber());
            byte[] nonce = new byte[16];
            RANDOM.nextBytes(nonce);
            OCSPReq request =
                    new OCSPReqBuilder()
                            .addRequest(id)
                            .setRequestExtensions(
                                    new Extensions(
                                            new Extension(
                                                    OCSPObjectIdentifiers.id_pkix_ocsp_nonce,
                                                    false,
                                                    new DEROctetString(nonce))))
                            .build();
            byte[] answer = post(responder, request.getEncoded());
            BerLimits.check(answer);
            OCSPResp response = new OCSPResp(answer);
            if (response.getStatus() != OCSPResp.SUCCESSFUL) {
                throw new IOException(
                        "OCSP responder " + responder + " answered status " + response.getStatus());
            }
            Object object = response.getResponseObject();
            if (!(object instanceof BasicOCSPResp)) {
                throw new IOException("OCSP responder " + responder + " sent no basic response");
            }
            BasicOCSPResp basic = (BasicOCSPResp) object;
            if (!signedByIssuerOrDelegate(basic, issuer, now)) {
                throw new IOException(
                        "OCSP response from "
                                + responder
                                + " is not signed by the issuer or its responder");
            }
            Extension echoed = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            if (echoed != null
                    && !Arrays.equals(
                            echoed.getExtnValue().getOctets(),
                            new DEROctetString(nonce).getEncoded())
                    && !Arrays.equals(echoed.getExtnValue().getOctets(), nonce)) {
                throw new IOException("OCSP response from " + responder + " carries another nonce");
            }
            for (SingleResp single : basic.getResponses()) {
                if (!single.getCertID().equals(id)) {
                    continue;
                }
                Instant thisUpdate = single.getThisUpdate().toInstant();
                Date next = single.getNextUpdate();
                if (thisUpdate.isAfter(now.plus(SKEW))) {
                    throw new IOException(
                            "OCSP response from " + responder + " is dated in the future");
                }
                if (next != null && next.toInstant().isBefore(now.minus(SKEW))) {
                    throw new IOException(
                            "OCSP response from "
                                    + responder
                                    + " is stale (nextUpdate "
                                    + next.toInstant()
                                    + ")");
                }
                CertificateStatus s = single.getCertStatus();
                Status status =
                        s == CertificateStatus.GOOD
                                ? Status.GOOD
                                : (s instanceof RevokedStatus ? Status.REVOKED : Status.UNKNOWN);
                Instant expires = now.plus(maxAge);
                if (next != null && next.toInstant().isBefore(expires)) {
                    expires = next.toInstant();
                }
                cache.put(key, new Entry(status, expires));
                return status;
            }
            throw new IOException(
                    "OCSP response from "
                            + responder
                            + " does not name the certificate asked about");
        } catch (OCSPException
                | OperatorCreationException
                | CertificateException
                | IllegalArgumentException
                | ClassCastException e) {
            throw new IOException("bad OCSP exchange with " + responder + ": " + e.getMessage(), e);
        }
    }

    private byte[] post(URI responder, byte[] body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) responder.toURL().openConnection();
        connection.setConnectTimeout((int) timeout.toMillis());
        connection.setReadTimeout((int) timeout.toMillis());
        connection.setInstanceFollowRedirects(false);
        connection.setDoOutput(true);
        connection.setRequestMethod("POST");
        connection.setRequestProperty("Content-Type", "application/ocsp-request");
        connection.setRequestProperty("Accept", "application/ocsp-response");
        connection.setFixedLengthStreamingMode(body.length);
        try {
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
            if (connection.getResponseCode() != 200) {
                throw new IOException(
                        "OCSP responder "
                                + responder
                                + " answered HTTP "
                                + connection.getResponseCode());
            }
            try (InputStream in = connection.getInputStream()) {
                byte[] bytes = in.readNBytes(MAX_RESPONSE_BYTES + 1);
                if (bytes.length > MAX_RESPONSE_BYTES) {
                    throw new IOException(
                            "OCSP response from "
                                    + responder
                                    + " is larger than "
                                    + MAX_RESPONSE_BYTES
                                    + " bytes");
                }
                return bytes;
            }
        } finally {
            connection.disconnect();
        }
    }

    /** RFC 6960 section 4.2.2.2: the issuer itself, or a certificate it issued for OCSP signing. */
    private static boolean signedByIssuerOrDelegate(
            BasicOCSPResp basic, X509Certificate issuer, Instant now)
            throws OperatorCreationException, OCSPException, CertificateException {
        List<PublicKey> keys = new ArrayList<>();
        keys.add(issuer.getPublicKey());
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (X509CertificateHolder holder : basic.getCerts()) {
            X509Certificate delegate = converter.getCertificate(holder);
            if (!delegate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
                continue;
            }
            try {
                delegate.verify(issuer.getPublicKey());
                delegate.checkValidity(Date.from(now));
                List<String> usages = delegate.getExtendedKeyUsage();
                if (usages != null && usages.contains(KeyPurposeId.id_kp_OCSPSigning.getId())) {
                    keys.add(delegate.getPublicKey());
                }
            } catch (GeneralSecurityException e) {
                // not a delegate of this issuer: ignored
            }
        }
        for (PublicKey key : keys) {
            try {
                if (basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
                    return true;
                }
            } catch (OCSPException | OperatorCreationException e) {
                // a key of another type or a broken signature: try the next candidate
            }
        }
        return false;
    }
}
