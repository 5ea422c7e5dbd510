package dev.mailsec.dkim;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target for DKIM verification: the signature's tag list ({@code SignatureTags}, {@code
 * TagList}), the key record ({@code KeyRecord}), the header section and both canonicalizations. The
 * input's first line is the key record every selector answers with; the rest is the message.
 *
 * <p>{@link DkimVerifier#verify(byte[])} promises a verdict for any message, so nothing may be
 * thrown at all. Seeds (signed messages from the tests' signer, with real rsa and ed25519 records)
 * are in {@code src/test/resources/dev/mailsec/dkim/DkimVerifierFuzzTestInputs/verify/}; see
 * docs/fuzzing.md.
 */
class DkimVerifierFuzzTest {

    /** A fixed clock, so a finding replays the same way on any day. */
    private static final Clock CLOCK =
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @FuzzTest(maxDuration = "5m")
    @Timeout(10)
    void verify(byte[] input) {
        int lf = 0;
        while (lf < input.length && input[lf] != '\n') {
            lf++;
        }
        String record = new String(input, 0, lf, StandardCharsets.ISO_8859_1);
        byte[] message = Arrays.copyOfRange(input, Math.min(lf + 1, input.length), input.length);
        KeyRecordSource keys = name -> KeyLookup.found(List.of(record));
        DkimVerifier verifier = new DkimVerifier(keys, DkimPolicy.builder().clock(CLOCK).build());
        DkimVerification result = verifier.verify(message);
        if (result == null) {
            throw new IllegalStateException("no verdict");
        }
    }
}
