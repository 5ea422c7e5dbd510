package dev.mailsec.rights;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target for rights.xml ({@link RightsSettings#parse}): any content gives settings or the
 * documented {@link IllegalArgumentException} naming the element or attribute; never another
 * exception. Seeds (the sample conf/rights.xml and the tests' variants) are in {@code
 * src/test/resources/dev/mailsec/rights/RightsSettingsFuzzTestInputs/parse/}.
 */
class RightsSettingsFuzzTest {

    private static final Path BASE = Path.of("/nonexistent/mailsec-fuzz");

    @FuzzTest(maxDuration = "5m")
    @Timeout(10)
    void parse(byte[] content) {
        try {
            RightsSettings settings = RightsSettings.parse(new ByteArrayInputStream(content), BASE);
            settings.toString();
        } catch (IllegalArgumentException refused) {
            // the documented answer
        }
    }
}
