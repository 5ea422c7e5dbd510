package dev.mailsec.authentication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.authres.MethodResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmtpVerdictsTest {

    private static final List<String> HEADER =
            List.of("From: a@shop.example", "To: bob@example.net", "Subject: pay");

    @Test
    void theFingerprintIgnoresOurFieldAndWhatJavaMailNormalises() {
        String before = SmtpVerdicts.fingerprint(HEADER, 42);

        assertThat(
                        SmtpVerdicts.fingerprint(
                                List.of(
                                        "Authentication-Results: mx.example.net; dkim=none",
                                        "From: a@shop.example",
                                        "MIME-Version: 1.0",
                                        "To: bob@example.net",
                                        "Subject: pay",
                                        "Content-Type: text/plain; charset=us-ascii",
                                        "Content-Transfer-Encoding: 7bit",
                                        "Message-ID: <1.2@example.net>",
                                        "Date: Mon, 7 Dec 2026 10:00:00 +0000"),
                                42))
                .isEqualTo(before);
    }

    @Test
    void theFingerprintChangesWithAnyOtherFieldOrTheBodySize() {
        String before = SmtpVerdicts.fingerprint(HEADER, 42);

        assertThat(SmtpVerdicts.fingerprint(HEADER, 43)).isNotEqualTo(before);
        assertThat(
                        SmtpVerdicts.fingerprint(
                                List.of(
                                        "From: b@shop.example",
                                        "To: bob@example.net",
                                        "Subject: pay"),
                                42))
                .isNotEqualTo(before);
        assertThat(
                        SmtpVerdicts.fingerprint(
                                List.of(
                                        "DKIM-Signature: v=1; d=shop.example",
                                        "From: a@shop.example",
                                        "To: bob@example.net",
                                        "Subject: pay"),
                                42))
                .isNotEqualTo(before);
    }

    @Test
    void aMethodResultReadsBackAsItWasWritten() {
        MethodResult r =
                MethodResult.builder("spf", "pass")
                        .reason("domain of a@shop.example designates 192.0.2.1")
                        .property("smtp", "mailfrom", "a@shop.example")
                        .build();

        MethodResult back = SmtpVerdicts.methodResult(SmtpVerdicts.toMap(r)).orElseThrow();

        assertThat(SmtpVerdicts.toMap(back)).isEqualTo(SmtpVerdicts.toMap(r));
        assertThat(SmtpVerdicts.methodResult(Map.of("method", "spf"))).isEmpty();
        assertThat(SmtpVerdicts.methodResult(Map.of("method", "s p f", "result", "pass")))
                .isEmpty();
    }
}
