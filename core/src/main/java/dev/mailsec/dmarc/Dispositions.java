package dev.mailsec.dmarc;

import dev.mailsec.authres.AuthResultsReader;
import dev.mailsec.tls.connector.IpRange;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * What to do with a DMARC fail: the policy, made milder by pct sampling or DMARCbis t=y (RFC 7489
 * section 6.6.4: the next milder policy, "sampled_out"), then by the local overrides (section 6.7):
 * the allow-listed From domains, the trusted networks, a trusted ARC sealer (RFC 8617 section
 * 7.2.1).
 */
final class Dispositions {

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /** The disposition and why. */
    static final class Outcome {
        final DmarcPolicy disposition;
        final DmarcOverride override;
        final String why;

        Outcome(DmarcPolicy disposition, DmarcOverride override, String why) {
            this.disposition = disposition;
            this.override = override;
            this.why = why;
        }
    }

    private final DmarcSettings settings;

    Dispositions(DmarcSettings settings) {
        this.settings = settings;
    }

    Outcome of(
            DmarcPolicy policy,
            DmarcRecord record,
            String fromDomain,
            String orgDomain,
            DmarcInputs in) {
        if (policy == DmarcPolicy.NONE) {
            return new Outcome(DmarcPolicy.NONE, DmarcOverride.NONE, "");
        }
        if (record.testing()) {
            return new Outcome(policy.milder(), DmarcOverride.SAMPLED_OUT, "t=y");
        }
        if (record.pct() < 100 && sample(in.sampleKey) >= record.pct()) {
            return new Outcome(policy.milder(), DmarcOverride.SAMPLED_OUT, "pct=" + record.pct());
        }
        if (settings.allowDomains.contains(fromDomain)
                || (orgDomain != null && settings.allowDomains.contains(orgDomain))) {
            return new Outcome(DmarcPolicy.NONE, DmarcOverride.LOCAL_POLICY, "allow-listed domain");
        }
        if (inTrustedNetwork(in.sourceIp)) {
            return new Outcome(
                    DmarcPolicy.NONE, DmarcOverride.TRUSTED_FORWARDER, "trusted network");
        }
        String sealer = trustedArcSealer(in);
        if (sealer != null) {
            return new Outcome(DmarcPolicy.NONE, DmarcOverride.ARC, "arc sealer " + sealer);
        }
        return new Outcome(policy, DmarcOverride.NONE, "");
    }

    /** 0-99: from the seed and the key when a seed is set, random otherwise. */
    private int sample(String key) {
        if (settings.samplingSeed.isEmpty()) {
            return ThreadLocalRandom.current().nextInt(100);
        }
        long h = settings.samplingSeed.getAsLong() ^ 0x9E3779B97F4A7C15L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001B3L;
        }
        h ^= h >>> 33;
        return (int) Math.floorMod(h, 100L);
    }

    private boolean inTrustedNetwork(String ip) {
        if (settings.allowNetworks.isEmpty() || !IP_LITERAL.matcher(ip).matches()) {
            return false;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(ip); // a literal: no DNS (checked above)
        } catch (UnknownHostException e) {
            return false;
        }
        for (IpRange range : settings.allowNetworks) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The trusted sealer of a passing chain whose ARC-Authentication-Results show dkim=pass,
     * spf=pass or dmarc=pass; null when none.
     */
    private String trustedArcSealer(DmarcInputs in) {
        if (settings.trustedArcSealers.isEmpty() || !in.arcResult.equalsIgnoreCase("pass")) {
            return null;
        }
        for (Map.Entry<Integer, String> set : in.arcSealers.entrySet()) {
            String sealer = set.getValue().toLowerCase(Locale.ROOT);
            if (!settings.trustedArcSealers.contains(sealer)) {
                continue;
            }
            AuthResultsReader aar = AuthResultsReader.read(in.arcAars.get(set.getKey()));
            if (aar.has("dkim", "pass") || aar.has("spf", "pass") || aar.has("dmarc", "pass")) {
                return sealer;
            }
        }
        return null;
    }
}
