package dev.mailsec.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TlsTraceTest {

    @Test
    void renderShouldSayClearWhenNoFacts() {
        assertThat(TlsTrace.render(Optional.empty())).isEqualTo("none; received in clear");
    }

    @Test
    void renderShouldShowProtocolAndCipher() {
        TlsFacts facts =
                TlsFacts.of("TLSv1.3", "TLS_AES_256_GCM_SHA384", Optional.empty(), List.of());

        assertThat(TlsTrace.render(Optional.of(facts)))
                .isEqualTo("TLSv1.3; cipher=TLS_AES_256_GCM_SHA384");
    }

    @Test
    void renderShouldQuoteClientCertificateSubject() {
        TlsFacts facts =
                TlsFacts.of(
                        "TLSv1.2",
                        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                        Optional.of("CN=relay.partner.example,O=Partner\\, Inc.,C=DE"),
                        List.of("DNS:relay.partner.example"));

        assertThat(TlsTrace.render(facts))
                .isEqualTo(
                        "TLSv1.2; cipher=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256;"
                                + " client-certificate=\"CN=relay.partner.example,O=Partner\\\\, Inc.,C=DE\"");
    }

    @Test
    void renderShouldEscapeQuotesLineBreaksAndNonAsciiInSubject() {
        TlsFacts facts =
                TlsFacts.of(
                        "TLSv1.3",
                        "TLS_AES_128_GCM_SHA256",
                        Optional.of("CN=a\"b\r\nX-Injected: yes,O=J\u00fcrgen"),
                        List.of());

        String trace = TlsTrace.render(facts);

        assertThat(trace)
                .isEqualTo(
                        "TLSv1.3; cipher=TLS_AES_128_GCM_SHA256;"
                                + " client-certificate=\"CN=a\\\"b\\\\0D\\\\0AX-Injected: yes,O=J\\\\C3\\\\BCrgen\"");
        assertThat(trace).doesNotContain("\r").doesNotContain("\n");
        assertThat(trace.chars()).allMatch(c -> c >= 0x20 && c <= 0x7E);
    }

    @Test
    void renderShouldTruncateVeryLongSubjects() {
        StringBuilder subject = new StringBuilder("CN=");
        for (int i = 0; i < 5000; i++) {
            subject.append('x');
        }
        TlsFacts facts = TlsFacts.of("TLSv1.3", "C", Optional.of(subject.toString()), List.of());

        String trace = TlsTrace.render(facts);

        assertThat(trace).endsWith("...\"");
        assertThat(trace.length()).isLessThan(TlsTrace.MAX_SUBJECT_LENGTH + 60);
    }

    @Test
    void renderShouldNeutraliseOddCharactersInProtocolAndCipher() {
        TlsFacts facts = TlsFacts.of("TLS v1;\r\n", "", Optional.empty(), List.of());

        assertThat(TlsTrace.render(facts))
                .isEqualTo("TLS?v1??? ; cipher=unknown".replace(" ;", ";"));
    }
}
