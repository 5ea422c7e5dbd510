package dev.mailsec.tls;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SubjectAltNamesTest {

    @Test
    void ofShouldRenderEachNameWithItsTypeInCertificateOrder() {
        assertThat(SubjectAltNames.of(TestCertificates.withSubjectAltNames()))
                .containsExactly(
                        "DNS:relay.partner.example",
                        "EMAIL:postmaster@partner.example",
                        "IP:192.0.2.7",
                        "URI:https://partner.example/");
    }

    @Test
    void ofShouldBeEmptyWhenCertificateHasNoExtension() {
        assertThat(SubjectAltNames.of(TestCertificates.withoutSubjectAltNames())).isEmpty();
    }
}
