package dev.mailsec.tls.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.security.cert.CertificateExpiredException;
import javax.mail.MessagingException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class TlsFailuresTest {

    @Test
    void javaMailsFailuresShouldGetTheirResultTypes() {
        assertThat(
                        TlsFailures.classify(
                                new MessagingException(
                                        "STARTTLS is required but host does not support STARTTLS"),
                                false))
                .contains(TlsResultType.STARTTLS_NOT_SUPPORTED);
        assertThat(TlsFailures.classify(new MessagingException("Connection refused"), false))
                .isEmpty();
        assertThat(
                        TlsFailures.classify(
                                new MessagingException(
                                        "Could not convert socket to TLS",
                                        new IOException("Can't verify identity of server: mx")),
                                true))
                .contains(TlsResultType.CERTIFICATE_HOST_MISMATCH);
        SSLHandshakeException untrusted =
                new SSLHandshakeException(
                        "PKIX path building failed: unable to find valid certification path");
        assertThat(TlsFailures.classify(new MessagingException("x", untrusted), true))
                .contains(TlsResultType.CERTIFICATE_NOT_TRUSTED);
        SSLHandshakeException expired = new SSLHandshakeException("validity");
        expired.initCause(new CertificateExpiredException("NotAfter: yesterday"));
        assertThat(TlsFailures.classify(new MessagingException("x", expired), true))
                .contains(TlsResultType.CERTIFICATE_EXPIRED);
        assertThat(
                        TlsFailures.classify(
                                new MessagingException("x", new SSLHandshakeException("no cipher")),
                                true))
                .contains(TlsResultType.VALIDATION_FAILURE);
    }
}
