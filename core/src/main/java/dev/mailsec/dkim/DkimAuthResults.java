package dev.mailsec.dkim;

import dev.mailsec.authres.AuthenticationResults;
import dev.mailsec.authres.MethodResult;
import java.util.ArrayList;
import java.util.List;

/** Renders DKIM verdicts as RFC 8601 {@code dkim=} results (with the RFC 6008 {@code header.b}). */
public final class DkimAuthResults {

    private DkimAuthResults() {}

    /**
     * One {@code dkim=} result per signature, in header order; {@code dkim=none} for an unsigned
     * message.
     */
    public static List<MethodResult> methodResults(DkimVerification verification) {
        List<MethodResult> out = new ArrayList<>();
        for (DkimSignatureResult r : verification.results()) {
            out.add(methodResult(r));
        }
        return out;
    }

    public static MethodResult methodResult(DkimSignatureResult r) {
        return MethodResult.builder("dkim", r.result().keyword())
                .reason(r.reason())
                .property("header", "d", r.domain())
                .property("header", "i", r.identity())
                .property("header", "s", r.selector())
                .property("header", "a", r.algorithm())
                .property("header", "b", r.bPrefix())
                .build();
    }

    /** The complete field for one verification. */
    public static AuthenticationResults of(String authservId, DkimVerification verification) {
        return AuthenticationResults.of(authservId, methodResults(verification));
    }
}
