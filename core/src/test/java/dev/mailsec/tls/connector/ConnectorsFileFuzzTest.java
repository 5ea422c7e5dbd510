package dev.mailsec.tls.connector;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target for connectors.xml ({@link ConnectorsFile#parse}): any content gives connectors or an
 * {@link InvalidConnectorsException} naming the problem; never another exception. Seeds (the sample
 * conf/connectors.xml and the tests' variants) are in {@code
 * src/test/resources/dev/mailsec/tls/connector/ConnectorsFileFuzzTestInputs/parse/}.
 */
class ConnectorsFileFuzzTest {

    @FuzzTest(maxDuration = "5m")
    @Timeout(10)
    void parse(byte[] content) {
        try {
            ConnectorsFile.parse(content, "connectors.xml");
        } catch (InvalidConnectorsException refused) {
            // the documented answer
        }
    }
}
