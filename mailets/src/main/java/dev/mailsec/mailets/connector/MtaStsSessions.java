package dev.mailsec.mailets.connector;

import dev.mailsec.tls.connector.mtasts.MtaStsPolicy;
import dev.mailsec.tls.connector.mtasts.MtaStsResolver;
import dev.mailsec.tls.report.TlsPolicy;
import dev.mailsec.tls.report.TlsResultType;
import dev.mailsec.tls.report.TlsSessionContext;
import dev.mailsec.tls.report.TlsSessions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What an MTA-STS delivery tells TLS reports (RFC 8460 section 4.3): the sessions that follow run
 * under the domain's policy ({@code sts}, its lines and mx patterns), and a policy that could not
 * be used is a failure of its own: {@code sts-webpki-invalid} when the policy host's certificate
 * failed, {@code sts-policy-invalid} when the fetched policy does not parse (e.g. a bad mode), else
 * {@code sts-policy-fetch-error}.
 */
final class MtaStsSessions {

    private MtaStsSessions() {}

    static void begin(String domain, MtaStsResolver.Result result) {
        String d = domain.toLowerCase(Locale.ROOT);
        if (result.policy().isPresent()) {
            MtaStsPolicy policy = result.policy().get();
            if (policy.mode() != MtaStsPolicy.Mode.NONE) {
                TlsSessionContext.begin(TlsPolicy.sts(d, lines(policy), policy.mxPatterns()));
            }
            return;
        }
        result.failure()
                .ifPresent(
                        failure ->
                                TlsSessions.failure(
                                        TlsPolicy.sts(d, List.of(), List.of()),
                                        resultType(failure),
                                        "",
                                        "",
                                        ""));
    }

    /** RFC 8460 section 4.3.2.1's name for why the announced policy could not be used. */
    static TlsResultType resultType(MtaStsResolver.FetchFailure failure) {
        switch (failure) {
            case WEBPKI_INVALID:
                return TlsResultType.STS_WEBPKI_INVALID;
            case POLICY_INVALID:
                return TlsResultType.STS_POLICY_INVALID;
            default:
                return TlsResultType.STS_POLICY_FETCH_ERROR;
        }
    }

    /** The policy's fields as the lines of RFC 8461 section 3.2. */
    static List<String> lines(MtaStsPolicy policy) {
        List<String> out = new ArrayList<>();
        out.add("version: STSv1");
        out.add("mode: " + policy.mode().name().toLowerCase(Locale.ROOT));
        for (String mx : policy.mxPatterns()) {
            out.add("mx: " + mx);
        }
        out.add("max_age: " + policy.maxAgeSeconds());
        return out;
    }
}
