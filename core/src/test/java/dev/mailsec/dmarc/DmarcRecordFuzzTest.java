package dev.mailsec.dmarc;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mailsec.dkim.KeyLookup;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target for the DMARC record parser ({@link DmarcRecord#parse}) and the From reader ({@link
 * FromDomains}), through a whole evaluation: the input's first line is the record every {@code
 * _dmarc} name answers with, the rest one From field. Nothing may be thrown. Seeds in {@code
 * src/test/resources/dev/mailsec/dmarc/DmarcRecordFuzzTestInputs/evaluate/}; see docs/fuzzing.md.
 */
class DmarcRecordFuzzTest {

    @FuzzTest(maxDuration = "5m")
    @Timeout(10)
    void evaluate(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        int lf = text.indexOf('\n');
        String record = lf < 0 ? text : text.substring(0, lf);
        String from = lf < 0 ? "" : text.substring(lf + 1);
        DmarcRecord parsed = DmarcRecord.parse(record);
        if (parsed.isValid()
                && (parsed.p() == null || parsed.rua().size() > DmarcRecord.MAX_URIS)) {
            throw new IllegalStateException("valid record without p or with too many URIs");
        }
        Dmarc dmarc =
                new Dmarc(
                        name ->
                                name.startsWith("_dmarc.")
                                        ? KeyLookup.found(List.of(record.isEmpty() ? " " : record))
                                        : KeyLookup.notFound("NXDOMAIN"),
                        DmarcSettings.builder().orgDomainMode(OrgDomainMode.TREEWALK).build());
        DmarcVerdict v =
                dmarc.evaluate(
                        DmarcInputs.builder().from(from).dkim("pass", "example.com").build());
        if (v == null || v.methodResult() == null) {
            throw new IllegalStateException("no verdict");
        }
    }
}
