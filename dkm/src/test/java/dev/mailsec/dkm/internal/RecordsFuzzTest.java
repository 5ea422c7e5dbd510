package dev.mailsec.dkm.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target for the store's record decoding (the record classes {@link Records} lists, {@link
 * Codec.Reader}): whatever bytes a shard, a row or a sealed keyset holds, decoding returns a record
 * or throws {@link Codec.MalformedException}; never another exception, never an {@code Error}.
 *
 * <p>The first byte picks the record type, the rest is the record. Seeds (real encoded records) are
 * in {@code src/test/resources/dev/mailsec/dkm/internal/RecordsFuzzTestInputs/decode/}; see
 * docs/fuzzing.md.
 */
class RecordsFuzzTest {

    @FuzzTest(maxDuration = "5m")
    @Timeout(10)
    void decode(byte[] input) {
        if (input.length == 0) {
            return;
        }
        byte[] record = Arrays.copyOfRange(input, 1, input.length);
        try {
            switch ((input[0] & 0xff) % 6) {
                case 0:
                    MetaRecord.decode(record);
                    break;
                case 1:
                    IdentityRecord.decode(record);
                    break;
                case 2:
                    GroupRecord.decode(record);
                    break;
                case 3:
                    Keyset.decode(record);
                    break;
                case 4:
                    SecretRecord.decode(record);
                    break;
                default:
                    GrantRecord.decode(record);
                    break;
            }
        } catch (Codec.MalformedException expected) {
            // the documented answer to a malformed record
        }
    }
}
