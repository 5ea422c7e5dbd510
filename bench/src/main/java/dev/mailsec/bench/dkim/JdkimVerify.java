package dev.mailsec.bench.dkim;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.PermFailException;

/**
 * James 3.8.1's own {@code DKIMVerify} path: jDKIM ({@code apache-jdkim-library} 0.3, the version
 * James ships) verifying a {@link BenchCorpus} file with the same key records, served from memory
 * like ours. A {@link DKIMVerifier} is stateful, so each message gets a new one, as a correct
 * mailet would have to. jDKIM has no ed25519, so only rsa-sha256 files can pass.
 */
final class JdkimVerify {

    private static final Map<String, String> RECORDS = BenchCorpus.records();
    private static final PublicKeyRecordRetriever KEYS =
            (method, selector, domain) -> {
                String record = RECORDS.get(selector + "._domainkey." + domain);
                if (record == null) {
                    throw new PermFailException("no key for " + selector + "._domainkey." + domain);
                }
                return List.of(record);
            };

    private JdkimVerify() {}

    /** Verifies and returns the number of passing signatures (jDKIM throws when none passes). */
    static int verify(byte[] message) throws Exception {
        List<SignatureRecord> passed =
                new DKIMVerifier(KEYS).verify(new ByteArrayInputStream(message));
        return passed == null ? 0 : passed.size();
    }

    /** Throws unless jDKIM says the message has exactly one passing signature. */
    static void requirePass(byte[] message) throws Exception {
        int n = verify(message);
        if (n != 1) {
            throw new IllegalStateException("jDKIM passes " + n + " signatures, expected 1");
        }
    }
}
