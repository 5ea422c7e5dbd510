package dev.mailsec.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TlsProtocolVersionTest {

    @Test
    void versionsShouldBeOrderedOldestFirst() {
        assertThat(TlsProtocolVersion.values())
                .containsExactly(
                        TlsProtocolVersion.SSL_V3,
                        TlsProtocolVersion.TLS_V1,
                        TlsProtocolVersion.TLS_V1_1,
                        TlsProtocolVersion.TLS_V1_2,
                        TlsProtocolVersion.TLS_V1_3);
        assertThat(TlsProtocolVersion.TLS_V1_3.isAtLeast(TlsProtocolVersion.TLS_V1_2)).isTrue();
        assertThat(TlsProtocolVersion.TLS_V1_2.isAtLeast(TlsProtocolVersion.TLS_V1_2)).isTrue();
        assertThat(TlsProtocolVersion.TLS_V1_2.isAtLeast(TlsProtocolVersion.TLS_V1_3)).isFalse();
        assertThat(TlsProtocolVersion.SSL_V3.isAtLeast(TlsProtocolVersion.TLS_V1)).isFalse();
        assertThat(TlsProtocolVersion.TLS_V1.isAtLeast(TlsProtocolVersion.SSL_V3)).isTrue();
    }

    @Test
    void parseShouldAcceptEveryJsseNameAndSurroundingBlanks() {
        assertThat(TlsProtocolVersion.parse("SSLv3")).isEqualTo(TlsProtocolVersion.SSL_V3);
        assertThat(TlsProtocolVersion.parse("TLSv1")).isEqualTo(TlsProtocolVersion.TLS_V1);
        assertThat(TlsProtocolVersion.parse("TLSv1.1")).isEqualTo(TlsProtocolVersion.TLS_V1_1);
        assertThat(TlsProtocolVersion.parse(" TLSv1.2 ")).isEqualTo(TlsProtocolVersion.TLS_V1_2);
        assertThat(TlsProtocolVersion.parse("TLSv1.3")).isEqualTo(TlsProtocolVersion.TLS_V1_3);
        assertThat(TlsProtocolVersion.TLS_V1_3.jsseName()).isEqualTo("TLSv1.3");
        assertThat(TlsProtocolVersion.TLS_V1_1).hasToString("TLSv1.1");
    }

    @Test
    void parseShouldRejectUnknownNamesNamingTheValue() {
        assertThatThrownBy(() -> TlsProtocolVersion.parse("TLSv9"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'TLSv9'")
                .hasMessageContaining("TLSv1.2");
        assertThatThrownBy(() -> TlsProtocolVersion.parse("foo")).hasMessageContaining("'foo'");
        assertThatThrownBy(() -> TlsProtocolVersion.parse("tlsv1.2"))
                .hasMessageContaining("'tlsv1.2'");
        assertThatThrownBy(() -> TlsProtocolVersion.parse("")).hasMessageContaining("''");
        assertThatThrownBy(() -> TlsProtocolVersion.parse(null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fromJsseNameShouldBeEmptyForNamesOutsideTheScale() {
        assertThat(TlsProtocolVersion.fromJsseName("NONE")).isEmpty();
        assertThat(TlsProtocolVersion.fromJsseName("DTLSv1.2")).isEmpty();
        assertThat(TlsProtocolVersion.fromJsseName(null)).isEmpty();
        assertThat(TlsProtocolVersion.fromJsseName("TLSv1.3"))
                .contains(TlsProtocolVersion.TLS_V1_3);
    }
}
