package dev.mailsec.authres;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target for {@link AuthResultsReader} (the ARC-Authentication-Results text a DMARC override
 * reads): any input reads as some results, within the caps, and nothing is thrown. Seeds in {@code
 * src/test/resources/dev/mailsec/authres/AuthResultsReaderFuzzTestInputs/read/}.
 */
class AuthResultsReaderFuzzTest {

    @FuzzTest(maxDuration = "5m")
    @Timeout(10)
    void read(byte[] input) {
        AuthResultsReader r = AuthResultsReader.read(new String(input, StandardCharsets.UTF_8));
        if (r.entries().size() > AuthResultsReader.MAX_RESULTS) {
            throw new IllegalStateException("too many results");
        }
        r.has("dkim", "pass");
    }
}
