package dev.mailsec.spf;

/**
 * Ends an evaluation at once with temperror or permerror (RFC 7208 sections 4.6 and 5:
 * "check_host() terminates immediately"). Package-private control flow, never seen by callers; the
 * message is the result's reason and holds no secret.
 */
final class SpfAbort extends Exception {

    private static final long serialVersionUID = 1L;

    private final SpfResult.Code code;

    private SpfAbort(SpfResult.Code code, String reason) {
        super(reason, null, false, false);
        this.code = code;
    }

    static SpfAbort permerror(String reason) {
        return new SpfAbort(SpfResult.Code.PERMERROR, reason);
    }

    static SpfAbort temperror(String reason) {
        return new SpfAbort(SpfResult.Code.TEMPERROR, reason);
    }

    SpfResult.Code code() {
        return code;
    }
}
