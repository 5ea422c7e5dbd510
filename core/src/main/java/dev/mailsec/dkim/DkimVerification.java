package dev.mailsec.dkim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Everything one verification found: a result per signature (in header order) and the From domain.
 */
public final class DkimVerification {

    private final List<DkimSignatureResult> results;
    private final String fromDomain;
    private final int ignoredSignatures;

    public DkimVerification(
            List<DkimSignatureResult> results, String fromDomain, int ignoredSignatures) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("a verification has at least one result (none)");
        }
        this.results = Collections.unmodifiableList(new ArrayList<>(results));
        this.fromDomain = fromDomain;
        this.ignoredSignatures = ignoredSignatures;
    }

    /** The result of a message without any DKIM-Signature field. */
    public static DkimVerification none(String fromDomain) {
        return new DkimVerification(
                List.of(DkimSignatureResult.builder(DkimResult.NONE).build()), fromDomain, 0);
    }

    /**
     * One result per signature checked; a single {@link DkimResult#NONE} result when there was
     * none.
     */
    public List<DkimSignatureResult> results() {
        return results;
    }

    /**
     * The domain of the single address in the single {@code From:} field, lower case; empty when
     * From is missing, repeated, holds several addresses or cannot be parsed (no alignment is
     * possible then).
     */
    public Optional<String> fromDomain() {
        return Optional.ofNullable(fromDomain);
    }

    /** Signatures beyond the configured maximum, not checked. */
    public int ignoredSignatures() {
        return ignoredSignatures;
    }

    /** DMARC alignment of a result: {@link Alignment#NONE} unless it passed. */
    public Alignment alignment(DkimSignatureResult result) {
        if (result.result() != DkimResult.PASS) {
            return Alignment.NONE;
        }
        return Alignment.of(result.domain(), fromDomain);
    }

    /** True if some signature passed and is aligned with From in the given mode. */
    public boolean hasAlignedPass(Alignment mode) {
        for (DkimSignatureResult r : results) {
            if (alignment(r).satisfies(mode)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "DkimVerification{from=" + fromDomain + ", " + results + "}";
    }
}
