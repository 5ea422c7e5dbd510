package dev.mailsec.dmarc.report;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target for incoming aggregate reports ({@link ReceivedReports#read}: XML, gzip, zip, a mail)
 * and the summary made of them: a report or the documented {@link ReportFormatException}, never
 * another exception. Seeds (reports our writer makes, plain, gzipped, zipped and mailed) are in
 * {@code src/test/resources/dev/mailsec/dmarc/report/ReceivedReportsFuzzTestInputs/read/}.
 */
class ReceivedReportsFuzzTest {

    @FuzzTest(maxDuration = "5m")
    @Timeout(10)
    void read(byte[] content) {
        try {
            ReceivedReport r = ReceivedReports.read(content);
            ReportSummary.format(List.of(r));
        } catch (ReportFormatException refused) {
            // the documented answer
        }
    }
}
