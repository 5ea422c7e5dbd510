package dev.mailsec.arc;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mailsec.dkim.DkimPolicy;
import dev.mailsec.dkim.KeyLookup;
import dev.mailsec.dkim.KeyRecordSource;
import dev.mailsec.dkim.sign.SigningKey;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target for ARC: the set parser ({@code ArcChain}: instances, duplicates, cv= rules, AAR i=),
 * the AMS and AS tags ({@code ArcTags}), the key record (the input's first line, every selector's
 * answer), the signature checks, and the sealer on the same message. {@link ArcVerifier#verify}
 * promises a verdict and the sealer a seal or a refusal for any message: nothing may be thrown. See
 * docs/fuzzing.md.
 */
class ArcVerifierFuzzTest {

    private static final Clock CLOCK =
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final SigningKey KEY = key();

    private static SigningKey key() {
        try {
            return SigningKey.of(
                    "fuzz.example",
                    "ed",
                    KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

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
        ArcVerification v =
                new ArcVerifier(keys, DkimPolicy.builder().clock(CLOCK).build()).verify(message);
        if (v == null || v.result() == null) {
            throw new IllegalStateException("no verdict");
        }
        ArcSealer.Session s = new ArcSealer(CLOCK).start();
        s.write(message, 0, message.length);
        ArcSealer.Seal seal = s.seal(KEY, "mx.fuzz.example", null, v.result());
        if (seal.sealed() == (seal.refused() != null)) {
            throw new IllegalStateException("a seal must be made or refused");
        }
    }
}
