package dev.mailsec.dmarc;

import dev.mailsec.tls.connector.IpRange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;

/** The operator's choices for DMARC evaluation: org domain mode, local overrides, sampling. */
public final class DmarcSettings {

    /** Distinct From domains evaluated in one message; more is a permerror. */
    public static final int MAX_FROM_DOMAINS = 5;

    /** Distinct DKIM domains checked for relaxed alignment under the tree walk. */
    public static final int MAX_ALIGNMENT_DOMAINS = 4;

    final OrgDomainMode orgDomainMode;
    final Set<String> allowDomains;
    final List<IpRange> allowNetworks;
    final Set<String> trustedArcSealers;
    final OptionalLong samplingSeed;

    private DmarcSettings(Builder b) {
        this.orgDomainMode = b.orgDomainMode;
        this.allowDomains = Collections.unmodifiableSet(new LinkedHashSet<>(b.allowDomains));
        this.allowNetworks = Collections.unmodifiableList(new ArrayList<>(b.allowNetworks));
        this.trustedArcSealers =
                Collections.unmodifiableSet(new LinkedHashSet<>(b.trustedArcSealers));
        this.samplingSeed = b.samplingSeed;
    }

    public static DmarcSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public OrgDomainMode orgDomainMode() {
        return orgDomainMode;
    }

    public Set<String> allowDomains() {
        return allowDomains;
    }

    public List<IpRange> allowNetworks() {
        return allowNetworks;
    }

    public Set<String> trustedArcSealers() {
        return trustedArcSealers;
    }

    /** Builder; defaults: PSL, no overrides, random sampling. */
    public static final class Builder {
        private OrgDomainMode orgDomainMode = OrgDomainMode.PSL;
        private final Set<String> allowDomains = new LinkedHashSet<>();
        private final List<IpRange> allowNetworks = new ArrayList<>();
        private final Set<String> trustedArcSealers = new LinkedHashSet<>();
        private OptionalLong samplingSeed = OptionalLong.empty();

        public Builder orgDomainMode(OrgDomainMode mode) {
            this.orgDomainMode = mode;
            return this;
        }

        /** From domains (exact, or their organizational domain) whose DMARC fail is overridden. */
        public Builder allowDomain(String domain) {
            allowDomains.add(domain.toLowerCase(Locale.ROOT));
            return this;
        }

        /** Client networks whose DMARC fails are overridden (trusted forwarders). */
        public Builder allowNetwork(IpRange range) {
            allowNetworks.add(range);
            return this;
        }

        /** ARC sealers (their d=) whose passing chain with dkim/spf=pass overrides a fail. */
        public Builder trustedArcSealer(String domain) {
            trustedArcSealers.add(domain.toLowerCase(Locale.ROOT));
            return this;
        }

        /** pct sampling from a hash of this seed and the input's sample key (tests). */
        public Builder samplingSeed(long seed) {
            this.samplingSeed = OptionalLong.of(seed);
            return this;
        }

        public DmarcSettings build() {
            return new DmarcSettings(this);
        }
    }
}
