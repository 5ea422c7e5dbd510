package dev.mailsec.dmarc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one DMARC evaluation reads: the From field values, the DKIM, SPF and ARC verdicts (as the
 * #17 attributes carry them), the client address and a key for pct sampling. Every part is
 * optional: a missing SPF verdict means "SPF not evaluated", and DMARC can still pass on DKIM.
 */
public final class DmarcInputs {

    /** One DKIM signature's verdict: its result keyword and signing domain (d=). */
    public static final class Dkim {
        final String result;
        final String domain;

        public Dkim(String result, String domain) {
            this.result = result == null ? "" : result;
            this.domain = domain == null ? "" : domain;
        }
    }

    final List<String> fromFields;
    final List<Dkim> dkim;
    final String spfResult;
    final String spfDomain;
    final String spfScope;
    final String arcResult;
    final Map<Integer, String> arcSealers;
    final Map<Integer, String> arcAars;
    final String sourceIp;
    final String sampleKey;

    private DmarcInputs(Builder b) {
        this.fromFields = Collections.unmodifiableList(new ArrayList<>(b.fromFields));
        this.dkim = Collections.unmodifiableList(new ArrayList<>(b.dkim));
        this.spfResult = b.spfResult;
        this.spfDomain = b.spfDomain;
        this.spfScope = b.spfScope;
        this.arcResult = b.arcResult;
        this.arcSealers = Collections.unmodifiableMap(new TreeMap<>(b.arcSealers));
        this.arcAars = Collections.unmodifiableMap(new TreeMap<>(b.arcAars));
        this.sourceIp = b.sourceIp;
        this.sampleKey = b.sampleKey;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder; nothing is required. */
    public static final class Builder {
        private final List<String> fromFields = new ArrayList<>();
        private final List<Dkim> dkim = new ArrayList<>();
        private String spfResult = "";
        private String spfDomain = "";
        private String spfScope = "";
        private String arcResult = "";
        private final Map<Integer, String> arcSealers = new TreeMap<>();
        private final Map<Integer, String> arcAars = new TreeMap<>();
        private String sourceIp = "";
        private String sampleKey = "";

        /** One From field's value, as in the message (folded or not). */
        public Builder from(String fieldValue) {
            fromFields.add(Objects.requireNonNull(fieldValue));
            return this;
        }

        public Builder dkim(String result, String signingDomain) {
            dkim.add(new Dkim(result, signingDomain));
            return this;
        }

        /**
         * The SPF verdict of the contract's {@code dev.mailsec.spf.result}: result keyword, the
         * domain checked and its scope ({@code mailfrom} or {@code helo}).
         */
        public Builder spf(String result, String domain, String scope) {
            this.spfResult = nz(result);
            this.spfDomain = nz(domain);
            this.spfScope = nz(scope);
            return this;
        }

        /** The ARC chain's result ({@code pass}, {@code fail}, {@code none}). */
        public Builder arc(String result) {
            this.arcResult = nz(result);
            return this;
        }

        /** ARC set {@code instance}: the sealer's d= and its ARC-Authentication-Results text. */
        public Builder arcSet(int instance, String sealer, String aar) {
            arcSealers.put(instance, nz(sealer));
            arcAars.put(instance, nz(aar));
            return this;
        }

        public Builder sourceIp(String ip) {
            this.sourceIp = nz(ip);
            return this;
        }

        /** What pct sampling hashes when a sampling seed is set (e.g. the mail's name). */
        public Builder sampleKey(String key) {
            this.sampleKey = nz(key);
            return this;
        }

        public DmarcInputs build() {
            return new DmarcInputs(this);
        }

        private static String nz(String s) {
            return s == null ? "" : s;
        }
    }
}
