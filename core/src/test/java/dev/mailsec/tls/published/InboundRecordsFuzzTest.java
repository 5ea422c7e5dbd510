package dev.mailsec.tls.published;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mailsec.testsupport.PemPki;
import dev.mailsec.tls.connector.mtasts.MtaStsPolicy;
import dev.mailsec.tls.connector.mtasts.MtaStsRecord;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target for what {@code tls check --inbound} reads from a domain's DNS and policy host: the
 * {@code _smtp._tls} record ({@link TlsRptRecord}, first input line), TLSA records against a chain
 * ({@link TlsaMatch}, second line), the {@code _mta-sts} record and the policy (the rest). Answers:
 * a problem or none, a match or none, a record or none, a policy or {@link
 * IllegalArgumentException}; never another exception. Seeds in {@code
 * src/test/resources/dev/mailsec/tls/published/InboundRecordsFuzzTestInputs/parse/}.
 */
class InboundRecordsFuzzTest {

    private static final PemPki PKI = new PemPki("fuzz CA");
    private static final List<X509Certificate> CHAIN =
            List.of(PKI.server(Duration.ofDays(1), "mx.a.test").certificate, PKI.ca());

    @FuzzTest(maxDuration = "5m")
    @Timeout(10)
    void parse(byte[] input) {
        String[] parts = new String(input, StandardCharsets.ISO_8859_1).split("\n", 3);
        TlsRptRecord.problem(parts[0]);
        MtaStsRecord.parse(parts[0]);
        if (parts.length > 1) {
            TlsaMatch.matching(List.of(parts[1]), CHAIN);
        }
        if (parts.length > 2) {
            OwnPolicy.idOf(parts[2]);
            try {
                MtaStsPolicy.parse(parts[2]);
            } catch (IllegalArgumentException refused) {
                // the documented answer
            }
        }
    }
}
