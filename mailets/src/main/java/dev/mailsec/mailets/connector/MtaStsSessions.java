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
 * be fetched is a failure of its own ({@code sts-webpki-invalid} when the policy host's certificate
 * failed, else {@code sts-policy-fetch-error}).
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
        String source = result.source().toLowerCase(Locale.ROOT);
        if (source.startsWith("policy fetch failed")) {
            boolean webPki =
                    source.contains("certificat")
                            || source.contains("pkix")
                            || source.contains("ssl")
                            || source.contains("handshake");
            TlsSessions.failure(
                    TlsPolicy.sts(d, List.of(), List.of()),
                    webPki
                            ? TlsResultType.STS_WEBPKI_INVALID
                            : TlsResultType.STS_POLICY_FETCH_ERROR,
                    "",
                    "",
                    "");
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
