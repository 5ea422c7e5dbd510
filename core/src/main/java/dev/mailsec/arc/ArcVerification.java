package dev.mailsec.arc;

import dev.mailsec.authres.MethodResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The ARC verdict of one message: the chain validation status, the number of sets, RFC 8617's
 * oldest-pass (0 when every ARC-Message-Signature validates), the reason, and per instance the
 * sealer (ARC-Seal d=) and the ARC-Authentication-Results text. Immutable.
 */
public final class ArcVerification {
    private final ArcResult result;
    private final int instances;
    private final int oldestPass;
    private final String reason;
    private final List<String> sealers;
    private final List<String> aars;

    ArcVerification(
            ArcResult result,
            int instances,
            int oldestPass,
            String reason,
            List<String> sealers,
            List<String> aars) {
        this.result = Objects.requireNonNull(result);
        this.instances = instances;
        this.oldestPass = oldestPass;
        this.reason = reason == null ? "" : reason;
        this.sealers = List.copyOf(sealers);
        this.aars = List.copyOf(aars);
    }

    static ArcVerification none() {
        return new ArcVerification(ArcResult.NONE, 0, 0, "no ARC sets", List.of(), List.of());
    }

    static ArcVerification fail(ArcChain chain, String reason) {
        return new ArcVerification(
                ArcResult.FAIL,
                Math.max(1, chain.instances()),
                0,
                reason,
                chain.sealers(),
                chain.aars());
    }

    /** A verdict that failed before the header section could be read (too big, unreadable). */
    public static ArcVerification unreadable(String reason) {
        return new ArcVerification(ArcResult.FAIL, 1, 0, reason, List.of(), List.of());
    }

    public ArcResult result() {
        return result;
    }

    public int instances() {
        return instances;
    }

    /**
     * RFC 8617 oldest-pass: 0 when every AMS validates, else the lowest instance from which on all
     * do; 0 too when the chain does not pass.
     */
    public int oldestPass() {
        return oldestPass;
    }

    public String reason() {
        return reason;
    }

    /** ARC-Seal d= of instances 1..N ("" where unknown). */
    public List<String> sealers() {
        return sealers;
    }

    /** ARC-Authentication-Results text after {@code i=N;} of instances 1..N. */
    public List<String> aars() {
        return aars;
    }

    /** The {@value ArcAttributeNames#RESULT} attribute's map (see {@link ArcAttributeNames}). */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(ArcAttributeNames.RESULT_KEY, result.keyword());
        m.put(ArcAttributeNames.INSTANCES_KEY, String.valueOf(instances));
        m.put(ArcAttributeNames.OLDEST_PASS_KEY, String.valueOf(oldestPass));
        m.put(ArcAttributeNames.REASON_KEY, reason);
        for (int i = 0; i < sealers.size(); i++) {
            m.put(ArcAttributeNames.SEALER_PREFIX + (i + 1), sealers.get(i));
        }
        for (int i = 0; i < aars.size(); i++) {
            m.put(ArcAttributeNames.AAR_PREFIX + (i + 1), aars.get(i));
        }
        return m;
    }

    /**
     * The RFC 8601 result: {@code arc=pass (reason) header.oldest-pass=k smtp.remote-ip=ip} (the
     * oldest-pass only on a pass, the IP when known).
     */
    public MethodResult methodResult(String remoteIp) {
        return MethodResult.builder("arc", result.keyword())
                .reason(reason)
                .property(
                        "header",
                        "oldest-pass",
                        result == ArcResult.PASS ? String.valueOf(oldestPass) : null)
                .property("smtp", "remote-ip", remoteIp)
                .build();
    }

    @Override
    public String toString() {
        return "arc=" + result.keyword() + " (" + reason + ") instances=" + instances;
    }
}
