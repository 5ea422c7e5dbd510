package dev.mailsec.tls.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TlsSessionRowTest {

    static final TlsPolicy STS =
            TlsPolicy.sts(
                    "example.com",
                    List.of("version: STSv1", "mode: enforce", "mx: *.example.com|%odd"),
                    List.of("*.example.com"));

    @Test
    void rowsShouldSurviveTheirEncoding() {
        TlsSessionRow success = TlsSessionRow.success(STS);
        TlsSessionRow failure =
                TlsSessionRow.failure(
                        TlsPolicy.none("Example.NET"),
                        TlsResultType.STARTTLS_NOT_SUPPORTED,
                        "192.0.2.1",
                        "MX1.example.net",
                        "198.51.100.7");
        for (TlsSessionRow row : List.of(success, failure)) {
            assertThat(TlsSessionRow.decode(row.encode())).isEqualTo(row);
            assertThat(row.encode()).doesNotContain("\n");
        }
        TlsSessionRow back = TlsSessionRow.decode(success.encode());
        assertThat(back.policy().strings()).isEqualTo(STS.strings());
        assertThat(back.result()).isEmpty();
        assertThat(failure.policyDomain()).isEqualTo("example.net");
        assertThat(failure.receivingMxHostname()).isEqualTo("mx1.example.net");
    }

    @Test
    void hostileValuesShouldBeBoundedAndKeptOnOneLine() {
        TlsSessionRow row =
                TlsSessionRow.failure(
                        TlsPolicy.none("example.com"),
                        TlsResultType.VALIDATION_FAILURE,
                        "",
                        "mx\r\n\tevil" + "x".repeat(10_000),
                        "");
        assertThat(row.receivingMxHostname()).hasSize(TlsSessionRow.MAX_VALUE).doesNotContain("\n");
        assertThat(row.encode().split("\t", -1)).hasSize(9);
        assertThatThrownBy(() -> TlsSessionRow.decode("t1\tx"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TlsSessionRow.decode("t1\ta\tbogus\t\t\t\t\t\t"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
