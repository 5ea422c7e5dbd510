package dev.mailsec.tls.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TlsRptRecordTest {

    @Test
    void theRfcExamplesShouldBeRead() {
        // RFC 8460 section 3.1
        assertThat(TlsRptRecord.parse("v=TLSRPTv1;rua=mailto:reports@example.com").get().rua())
                .containsExactly("mailto:reports@example.com");
        assertThat(
                        TlsRptRecord.parse(
                                        "v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt")
                                .get()
                                .rua())
                .containsExactly("https://reporting.example.com/v1/tlsrpt");
        assertThat(
                        TlsRptRecord.parse(
                                        "v=TLSRPTv1; rua=mailto:a@example.com , mailto:b@example.net;")
                                .get()
                                .rua())
                .containsExactly("mailto:a@example.com", "mailto:b@example.net");
    }

    @Test
    void unknownFieldsShouldBeIgnoredAndBrokenRecordsRefused() {
        assertThat(TlsRptRecord.parse("v=TLSRPTv1; ext=1; rua=mailto:a@example.com")).isPresent();
        assertThat(TlsRptRecord.parse("v=TLSRPTv1;")).isEmpty();
        assertThat(TlsRptRecord.parse("v=tlsrptv1; rua=mailto:a@example.com")).isEmpty();
        assertThat(TlsRptRecord.parse("v=TLSRPTv1; rua=ftp://example.com/")).isEmpty();
        assertThat(TlsRptRecord.parse("v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:b@x.com"))
                .isEmpty();
        assertThat(TlsRptRecord.parse("v=TLSRPTv1; rua=mailto:a b@example.com")).isEmpty();
        assertThat(TlsRptRecord.parse("v=TLSRPTv1;; rua=mailto:a@example.com")).isEmpty();
    }

    @Test
    void exactlyOneRecordShouldBeSelected() {
        String good = "v=TLSRPTv1; rua=mailto:a@example.com";
        assertThat(TlsRptRecord.select(List.of("v=spf1 -all", good))).isPresent();
        assertThat(TlsRptRecord.select(List.of(good, good))).isEmpty();
        assertThat(TlsRptRecord.select(List.of("v=TLSRPTv10; rua=mailto:a@example.com"))).isEmpty();
    }
}
