package dev.mailsec.spf;

import java.time.Duration;

/**
 * The bounds of one check: RFC 7208 section 4.6.4's limits (10 DNS-querying terms, 2 void lookups,
 * 10 MX or PTR names), a total time after which the check is a temperror, and a cap on DNS
 * questions (exp and the addresses of MX and PTR names included), plus the receiver name {@code
 * %{r}} expands to and the explanation a {@code fail} without {@code exp=} gets.
 */
public final class SpfLimits {

    private final int lookups;
    private final int voidLookups;
    private final int names;
    private final int queries;
    private final Duration total;
    private final String receiver;
    private final String defaultExplanation;

    private SpfLimits(
            int lookups,
            int voidLookups,
            int names,
            int queries,
            Duration total,
            String receiver,
            String defaultExplanation) {
        this.lookups = lookups;
        this.voidLookups = voidLookups;
        this.names = names;
        this.queries = queries;
        this.total = total;
        this.receiver = receiver;
        this.defaultExplanation = defaultExplanation;
    }

    /** The RFC's numbers, 20 seconds in all (section 4.6.4 asks at least 20), no explanation. */
    public static SpfLimits defaults() {
        return new SpfLimits(10, 2, 10, 200, Duration.ofSeconds(20), "unknown", "");
    }

    public SpfLimits withTotalTime(Duration total) {
        if (total.isNegative() || total.isZero()) {
            throw new IllegalArgumentException("total time: must be positive, got " + total);
        }
        return new SpfLimits(
                lookups, voidLookups, names, queries, total, receiver, defaultExplanation);
    }

    /** The name {@code %{r}} expands to in explanations (the receiving host). */
    public SpfLimits withReceiver(String receiver) {
        return new SpfLimits(
                lookups, voidLookups, names, queries, total, receiver, defaultExplanation);
    }

    /** Explanation string (macros allowed) for a {@code fail} without a usable {@code exp=}. */
    public SpfLimits withDefaultExplanation(String explanation) {
        return new SpfLimits(lookups, voidLookups, names, queries, total, receiver, explanation);
    }

    int lookups() {
        return lookups;
    }

    int voidLookups() {
        return voidLookups;
    }

    int names() {
        return names;
    }

    int queries() {
        return queries;
    }

    Duration total() {
        return total;
    }

    String receiver() {
        return receiver;
    }

    String defaultExplanation() {
        return defaultExplanation;
    }
}
