package dev.mailsec.authentication;

import dev.mailsec.authres.MethodResult;
import dev.mailsec.spf.SpfResult;

/**
 * An SPF result as an RFC 8601 {@code spf=} resinfo (section 2.7.2: smtp.mailfrom or smtp.helo),
 * worded as {@code VerifySpf} words it.
 */
public final class SpfMethodResult {

    private SpfMethodResult() {}

    public static MethodResult of(SpfResult r) {
        MethodResult.Builder b = MethodResult.builder("spf", r.code().keyword()).reason(reason(r));
        if (r.scope() == SpfResult.Scope.MAILFROM) {
            b.property("smtp", "mailfrom", r.sender());
        } else {
            b.property("smtp", "helo", r.domain());
        }
        return b.build();
    }

    private static String reason(SpfResult r) {
        String who = r.scope() == SpfResult.Scope.MAILFROM ? "domain of " + r.sender() : r.domain();
        switch (r.code()) {
            case PASS:
                return who + " designates " + r.ip() + " as permitted sender";
            case FAIL:
            case SOFTFAIL:
                return who + " does not designate " + r.ip() + " as permitted sender";
            case NEUTRAL:
            case NONE:
                return who + " does not say whether " + r.ip() + " may send";
            default:
                return r.reason();
        }
    }
}
