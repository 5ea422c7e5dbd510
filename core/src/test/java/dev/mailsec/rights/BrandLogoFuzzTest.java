package dev.mailsec.rights;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target for the logo check ({@link BrandLogo#of}: type sniffing, size bound, {@link
 * SafeSvg}): any bytes give a logo or the documented {@link IllegalArgumentException}; never
 * another exception. Seeds (a PNG, a JPEG head, safe and hostile SVGs) are in {@code
 * src/test/resources/dev/mailsec/rights/BrandLogoFuzzTestInputs/check/}.
 */
class BrandLogoFuzzTest {

    @FuzzTest(maxDuration = "5m")
    @Timeout(10)
    void check(byte[] content) {
        BrandLogo logo;
        try {
            logo = BrandLogo.of(content, null, "<branding> logo");
        } catch (IllegalArgumentException refused) {
            return; // the documented answer
        }
        if (logo.bytes().length > BrandLogo.MAX_BYTES || !logo.fileName().startsWith("logo-")) {
            throw new AssertionError("accepted past the bound: " + logo);
        }
        logo.toString();
    }
}
