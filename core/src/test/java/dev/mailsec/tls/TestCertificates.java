package dev.mailsec.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/** Certificates made with openssl 3.0 once and kept as test resources (see the PEM files). */
final class TestCertificates {
    private TestCertificates() {}

    /**
     * Subject (RFC 2253) {@code C=DE,O=Partner\, Inc.,CN=relay.partner.example}; four alternative
     * names.
     */
    static X509Certificate withSubjectAltNames() {
        return load("client-with-sans.pem");
    }

    /** Subject {@code O=Example,CN=Jürgen Müller} (UTF8String); no alternative names. */
    static X509Certificate withoutSubjectAltNames() {
        return load("client-no-sans.pem");
    }

    private static X509Certificate load(String name) {
        try (InputStream in = TestCertificates.class.getResourceAsStream(name)) {
            return (X509Certificate)
                    CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }
}
