package dev.mailsec.arc;

/**
 * Names of the mail attribute {@code VerifyArc} sets and {@code SealArc}, {@code ArcResultIs} and
 * DMARC read (the contract of issue #17). Adapters turn these strings into James {@code
 * AttributeName}s; this class stays free of James types.
 *
 * <p>{@link #RESULT} is a string map: {@link #RESULT_KEY} ({@code pass}, {@code fail}, {@code
 * none}), {@link #INSTANCES_KEY} (the number of ARC sets, {@code "0"} for none), {@link
 * #OLDEST_PASS_KEY} (RFC 8617's oldest-pass, {@code "0"} when every AMS validates), {@link
 * #REASON_KEY}, and per instance i=1..N {@code sealer.<i>} (the d= of ARC-Seal i) and {@code
 * aar.<i>} (the ARC-Authentication-Results i value after {@code i=N;}, unfolded).
 */
public final class ArcAttributeNames {

    /** The chain verdict of the message, see the class comment. */
    public static final String RESULT = "dev.mailsec.arc.result";

    public static final String RESULT_KEY = "result";
    public static final String INSTANCES_KEY = "instances";
    public static final String OLDEST_PASS_KEY = "oldestPass";
    public static final String REASON_KEY = "reason";

    /** Prefix of the per-instance sealer keys: {@code sealer.1} is ARC-Seal 1's d=. */
    public static final String SEALER_PREFIX = "sealer.";

    /** Prefix of the per-instance AAR keys: {@code aar.1} is AAR 1's text after {@code i=1;}. */
    public static final String AAR_PREFIX = "aar.";

    private ArcAttributeNames() {}
}
