package dev.mailsec.authentication;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mailsec.dkim.KeyLookup;
import dev.mailsec.dkim.KeyRecordSource;
import dev.mailsec.dmarc.DmarcSettings;
import dev.mailsec.spf.ZoneFileSpfDns;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target for the inbound facade: the input's first line is every TXT answer (DKIM and ARC
 * keys, the DMARC record), the rest the message (From fields, DKIM-Signature, ARC sets). {@link
 * InboundAuthentication#evaluate} promises four verdicts and their A-R results for any message:
 * nothing may be thrown. See docs/fuzzing.md.
 */
class InboundAuthenticationFuzzTest {

    private static final InetAddress IP = InetAddress.getLoopbackAddress();

    @FuzzTest(maxDuration = "5m")
    @Timeout(10)
    void evaluate(byte[] input) {
        int lf = 0;
        while (lf < input.length && input[lf] != '\n') {
            lf++;
        }
        String record = new String(input, 0, lf, StandardCharsets.ISO_8859_1);
        byte[] message = Arrays.copyOfRange(input, Math.min(lf + 1, input.length), input.length);
        KeyRecordSource txt = name -> KeyLookup.found(List.of(record));
        InboundAuthentication a =
                InboundParameters.of(
                        txt,
                        ZoneFileSpfDns.parse("", "fuzz.zone"),
                        DmarcSettings.builder().trustedArcSealer("fuzz.example").build(),
                        "mx.fuzz.example");
        Verdicts v =
                a.evaluate(
                        message,
                        new InboundAuthentication.Envelope(
                                IP, "fuzz.example", "a@fuzz.example", "m"));
        if (v.dmarc() == null || v.methodResults().size() < 3) {
            throw new IllegalStateException("no verdict");
        }
    }
}
