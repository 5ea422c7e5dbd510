package dev.mailsec.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TlsFactsTest {

    @Test
    void fromSessionShouldReadProtocolAndCipherWithoutClientCertificate() {
        TlsFacts facts =
                TlsFacts.fromSession(new FakeSslSession("TLSv1.3", "TLS_AES_256_GCM_SHA384"), true);

        assertThat(facts.protocol()).isEqualTo("TLSv1.3");
        assertThat(facts.protocolVersion()).contains(TlsProtocolVersion.TLS_V1_3);
        assertThat(facts.cipherSuite()).isEqualTo("TLS_AES_256_GCM_SHA384");
        assertThat(facts.peerSubject()).isEmpty();
        assertThat(facts.peerSubjectAltNames()).isEmpty();
    }

    @Test
    void fromSessionShouldReadClientCertificateSubjectAndAltNames() {
        TlsFacts facts =
                TlsFacts.fromSession(
                        new FakeSslSession(
                                "TLSv1.2",
                                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                                TestCertificates.withSubjectAltNames()),
                        true);

        assertThat(facts.peerSubject()).contains("C=DE,O=Partner\\, Inc.,CN=relay.partner.example");
        assertThat(facts.peerSubjectAltNames())
                .containsExactly(
                        "DNS:relay.partner.example",
                        "EMAIL:postmaster@partner.example",
                        "IP:192.0.2.7",
                        "URI:https://partner.example/");
    }

    @Test
    void fromSessionShouldIgnoreClientCertificateWhenNotAskedTo() {
        TlsFacts facts =
                TlsFacts.fromSession(
                        new FakeSslSession(
                                "TLSv1.2",
                                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                                TestCertificates.withSubjectAltNames()),
                        false);

        assertThat(facts.peerSubject()).isEmpty();
        assertThat(facts.peerSubjectAltNames()).isEmpty();
    }

    @Test
    void fromSessionShouldKeepUtf8SubjectAsRfc2253() {
        TlsFacts facts =
                TlsFacts.fromSession(
                        new FakeSslSession(
                                "TLSv1.3",
                                "TLS_AES_128_GCM_SHA256",
                                TestCertificates.withoutSubjectAltNames()),
                        true);

        assertThat(facts.peerSubject()).contains("O=Example,CN=J\u00fcrgen M\u00fcller");
        assertThat(facts.peerSubjectAltNames()).isEmpty();
    }

    @Test
    void protocolVersionShouldBeEmptyForUnknownProtocol() {
        TlsFacts facts = TlsFacts.of("DTLSv1.2", "X", Optional.empty(), Collections.emptyList());

        assertThat(facts.protocolVersion()).isEmpty();
    }

    @Test
    void valuesShouldBeEqualByContent() {
        TlsFacts a = TlsFacts.of("TLSv1.3", "C", Optional.of("CN=a"), List.of("DNS:a"));
        TlsFacts b = TlsFacts.of("TLSv1.3", "C", Optional.of("CN=a"), List.of("DNS:a"));

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(TlsFacts.of("TLSv1.3", "C", Optional.empty(), List.of()));
        assertThat(a.toString()).contains("TLSv1.3", "CN=a", "DNS:a");
    }
}
