package dev.mailsec.portal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target for what the sender pages read from a request besides the form itself ({@link
 * HttpIo#form}, fuzzed by {@link HttpIoFuzzTest}): the page number of {@code
 * /sender/messages?page=N} ({@link SenderHandlers#page}) and the revocation reason ({@link
 * SenderHandlers#reason}). A page is a number from 0 up, a reason is empty or one line of 1 to
 * {@link SenderHandlers#MAX_REASON} characters without controls; never an exception.
 */
class SenderFormFuzzTest {

    @FuzzTest(maxDuration = "5m")
    @Timeout(10)
    void form(byte[] input) {
        String s = new String(input, StandardCharsets.UTF_8);
        int page = SenderHandlers.page(s);
        if (page < 0) {
            throw new IllegalStateException("negative page " + page);
        }
        Optional<String> reason = SenderHandlers.reason(s);
        if (reason.isPresent()) {
            String r = reason.get();
            if (r.isEmpty()
                    || r.length() > SenderHandlers.MAX_REASON
                    || r.codePoints().anyMatch(Character::isISOControl)
                    || !r.equals(r.trim())) {
                throw new IllegalStateException("reason out of its rules: " + r.length());
            }
        }
    }
}
