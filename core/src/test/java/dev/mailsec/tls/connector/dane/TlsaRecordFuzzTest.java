package dev.mailsec.tls.connector.dane;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target for TLSA records: the wire form ({@link TlsaRecord#fromRdata}) and the presentation
 * form ({@link TlsaRecord#parse}) of the same bytes, then {@link DaneVerifier#check} of what was
 * read against a fixed chain. Allowed answers: a record or {@link MalformedTlsaException}; the
 * verifier always gives a result. Seeds in {@code
 * src/test/resources/dev/mailsec/tls/connector/dane/TlsaRecordFuzzTestInputs/parse/}.
 */
class TlsaRecordFuzzTest {

    private static final DanePki PKI = new DanePki();
    private static final List<X509Certificate> CHAIN =
            List.of(PKI.server("mx.partner.test").certificate, PKI.intermediate, PKI.root);

    @FuzzTest(maxDuration = "5m")
    @Timeout(10)
    void parse(byte[] input) {
        List<TlsaRecord> records = new ArrayList<>();
        try {
            records.add(TlsaRecord.fromRdata(input));
        } catch (MalformedTlsaException refused) {
            // the documented answer
        }
        try {
            records.add(TlsaRecord.parse(new String(input, StandardCharsets.ISO_8859_1)));
        } catch (MalformedTlsaException refused) {
            // the documented answer
        }
        for (TlsaRecord record : records) {
            record.usable();
            record.toString();
        }
        DaneVerifier.check(CHAIN, records, List.of("mx.partner.test"), new Date());
    }
}
