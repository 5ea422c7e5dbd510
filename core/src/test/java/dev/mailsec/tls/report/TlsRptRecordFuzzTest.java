package dev.mailsec.tls.report;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target for the {@code _smtp._tls} TXT record ({@link TlsRptRecord#select}, each input line
 * one TXT record, and {@link TlsRptRecord#parse} of the whole input): a record or none, never an
 * exception. Seeds in {@code
 * src/test/resources/dev/mailsec/tls/report/TlsRptRecordFuzzTestInputs/parse/}.
 */
class TlsRptRecordFuzzTest {

    @FuzzTest(maxDuration = "5m")
    @Timeout(10)
    void parse(byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8);
        TlsRptRecord.select(Arrays.asList(text.split("\n", -1)))
                .ifPresent(r -> r.rua().forEach(String::length));
        TlsRptRecord.parse(text);
    }
}
