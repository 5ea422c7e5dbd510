package dev.mailsec.spf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target for SPF: the record parser ({@link SpfRecord}, {@code MacroSyntax}), macro expansion
 * ({@code MacroExpander}) and check_host's evaluation. The input's first line is the TXT record
 * every name answers with; the second is MAIL FROM's local part (macros read it); A, AAAA, MX and
 * PTR queries get fixed answers, so includes, redirects, mx and ptr are reached. {@link
 * SpfRecord#parse} may only throw {@link SpfSyntaxException}; {@link SpfChecker} must give a result
 * for anything. Seeds: {@code src/test/resources/dev/mailsec/spf/SpfCheckerFuzzTestInputs/check/}.
 */
class SpfCheckerFuzzTest {

    private static final Clock CLOCK =
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @FuzzTest(maxDuration = "5m")
    @Timeout(10)
    void check(byte[] input) throws UnknownHostException {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        int lf = text.indexOf('\n');
        String record = lf < 0 ? text : text.substring(0, lf);
        String local = lf < 0 ? "user" : text.substring(lf + 1);
        try {
            SpfRecord.parse(record);
        } catch (SpfSyntaxException expected) {
            // a verdict (permerror), as documented
        }
        SpfDns dns =
                (name, type) -> {
                    switch (type) {
                        case TXT:
                            return SpfDns.Answer.of(List.of(record));
                        case A:
                            return SpfDns.Answer.of(List.of("192.0.2.1"));
                        case AAAA:
                            return SpfDns.Answer.of(List.of("2001:db8::1"));
                        case MX:
                            return SpfDns.Answer.of(List.of("mx." + name, "mx2.example.test"));
                        default:
                            return SpfDns.Answer.of(List.of("host.example.test"));
                    }
                };
        SpfChecker checker = new SpfChecker(dns, SpfLimits.defaults(), CLOCK);
        for (String ip : List.of("192.0.2.1", "2001:db8::1")) {
            SpfResult r =
                    checker.checkMailFrom(
                            InetAddress.getByName(ip), local + "@example.test", "h.example.test");
            if (r == null || r.reason().startsWith("internal error")) {
                throw new IllegalStateException("no verdict: " + r);
            }
        }
    }
}
