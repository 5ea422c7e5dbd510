package dev.mailsec.tls.published;

import dev.mailsec.tls.connector.mtasts.MtaStsPolicy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The MTA-STS policy of one of our own domains, as we serve it at {@code
 * https://mta-sts.DOMAIN/.well-known/mta-sts.txt} (RFC 8461 section 3.2). Its {@link #id()} is
 * derived from the policy text, so the {@code _mta-sts} TXT record changes exactly when the policy
 * does (RFC 8461 section 3.1: senders fetch again only when the id changes).
 */
public final class OwnPolicy {

    private final String domain;
    private final MtaStsPolicy.Mode mode;
    private final List<String> mx;
    private final long maxAgeSeconds;
    private final String text;

    private OwnPolicy(String domain, MtaStsPolicy.Mode mode, List<String> mx, long maxAge) {
        this.domain = domain;
        this.mode = mode;
        this.mx = Collections.unmodifiableList(new ArrayList<>(mx));
        this.maxAgeSeconds = maxAge;
        StringBuilder body = new StringBuilder("version: STSv1\r\n");
        body.append("mode: ").append(mode.name().toLowerCase(Locale.ROOT)).append("\r\n");
        for (String pattern : mx) {
            body.append("mx: ").append(pattern).append("\r\n");
        }
        body.append("max_age: ").append(maxAge).append("\r\n");
        this.text = body.toString();
    }

    /**
     * A policy for {@code domain}; checked by our own client's parser, so what we serve is what a
     * sender accepts.
     *
     * @throws IllegalArgumentException saying what is wrong (a bad mx pattern, max_age out of
     *     range, enforce or testing without mx)
     */
    public static OwnPolicy of(
            String domain, MtaStsPolicy.Mode mode, List<String> mx, long maxAgeSeconds) {
        OwnPolicy policy = new OwnPolicy(domain, mode, mx, maxAgeSeconds);
        MtaStsPolicy.parse(policy.text);
        return policy;
    }

    /** The id of a policy text: 32 hex digits of its SHA-256 (RFC 8461 allows 1 to 32). */
    public static String idOf(String policyText) {
        try {
            byte[] hash =
                    MessageDigest.getInstance("SHA-256")
                            .digest(policyText.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                hex.append(String.format(Locale.ROOT, "%02x", hash[i]));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    public String domain() {
        return domain;
    }

    /** {@code mta-sts.DOMAIN}, the host name the policy is served under. */
    public String policyHost() {
        return "mta-sts." + domain;
    }

    public MtaStsPolicy.Mode mode() {
        return mode;
    }

    public List<String> mx() {
        return mx;
    }

    public long maxAgeSeconds() {
        return maxAgeSeconds;
    }

    /** The policy file's text, lines ending in CRLF. */
    public String text() {
        return text;
    }

    public String id() {
        return idOf(text);
    }

    @Override
    public String toString() {
        return domain + ": " + MtaStsPolicy.parse(text) + " id=" + id();
    }
}
