package dev.mailsec.tls.report;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mailsec.dmarc.report.ReportFormatException;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target for incoming TLS reports ({@link ReceivedTlsReports#read}: JSON, gzip, or a mail
 * carrying one) and the summary made of them: a report or the documented {@link
 * ReportFormatException}, never another exception. Seeds (reports our writer makes, plain, gzipped
 * and mailed) are in {@code
 * src/test/resources/dev/mailsec/tls/report/ReceivedTlsReportsFuzzTestInputs/read/}.
 */
class ReceivedTlsReportsFuzzTest {

    @FuzzTest(maxDuration = "5m")
    @Timeout(10)
    void read(byte[] content) {
        try {
            TlsReportSummary.format(List.of(ReceivedTlsReports.read(content)));
        } catch (ReportFormatException refused) {
            // the documented answer
        }
    }
}
