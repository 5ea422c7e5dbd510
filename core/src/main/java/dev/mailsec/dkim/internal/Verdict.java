package dev.mailsec.dkim.internal;

import dev.mailsec.dkim.DkimResult;

/**
 * Ends the evaluation of one signature with a result and a reason. Internal control flow only: it
 * never leaves the verifier (no stack trace is filled in, it is not an error of ours).
 */
public final class Verdict extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient DkimResult result;

    public Verdict(DkimResult result, String reason) {
        super(reason, null, false, false);
        this.result = result;
    }

    public static Verdict permerror(String reason) {
        return new Verdict(DkimResult.PERMERROR, reason);
    }

    public DkimResult result() {
        return result;
    }

    public String reason() {
        return getMessage();
    }
}
