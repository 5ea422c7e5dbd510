package dev.mailsec.tls.connector.mtasts;

import dev.mailsec.tls.connector.DomainPattern;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An MTA-STS policy (RFC 8461 section 3.2), parsed from the text served at {@code
 * https://mta-sts.DOMAIN/.well-known/mta-sts.txt}:
 *
 * <pre>
 * version: STSv1
 * mode: enforce
 * mx: mail.example.com
 * mx: *.example.net
 * max_age: 604800
 * </pre>
 */
public final class MtaStsPolicy {

    /** RFC 8461 section 3.2: max_age is at most 31557600 seconds (about one year). */
    public static final long MAX_AGE_LIMIT = 31_557_600L;

    /**
     * Policies larger than this are refused (RFC 8461 section 3.3 recommends a limit of 64 KiB).
     */
    public static final int MAX_BYTES = 64 * 1024;

    /** Policy modes, RFC 8461 section 5. */
    public enum Mode {
        ENFORCE,
        TESTING,
        NONE
    }

    private final Mode mode;
    private final List<String> mxPatterns;
    private final long maxAgeSeconds;

    private MtaStsPolicy(Mode mode, List<String> mxPatterns, long maxAgeSeconds) {
        this.mode = mode;
        this.mxPatterns = Collections.unmodifiableList(new ArrayList<>(mxPatterns));
        this.maxAgeSeconds = maxAgeSeconds;
    }

    /**
     * Parses a policy body; unknown keys are ignored as the RFC requires, anything else wrong is
     * refused.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static MtaStsPolicy parse(String body) {
        if (body.length() > MAX_BYTES) {
            throw new IllegalArgumentException("policy larger than " + MAX_BYTES + " bytes");
        }
        String version = null;
        Mode mode = null;
        Long maxAge = null;
        List<String> mx = new ArrayList<>();
        for (String rawLine : body.split("\r?\n", -1)) {
            String line = rawLine.trim();
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(
                        "line without 'key: value': '" + printable(line) + "'");
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "version":
                    version = value;
                    break;
                case "mode":
                    mode = mode(value);
                    break;
                case "max_age":
                    if (!value.matches("[0-9]{1,10}") || Long.parseLong(value) > MAX_AGE_LIMIT) {
                        throw new IllegalArgumentException(
                                "max_age must be 0 to "
                                        + MAX_AGE_LIMIT
                                        + ", got '"
                                        + printable(value)
                                        + "'");
                    }
                    maxAge = Long.parseLong(value);
                    break;
                case "mx":
                    mx.add(mxPattern(value));
                    break;
                default:
                    // RFC 8461 section 3.2: unknown fields are ignored
                    break;
            }
        }
        if (!"STSv1".equals(version)) {
            throw new IllegalArgumentException(
                    "version must be STSv1, got '" + printable(String.valueOf(version)) + "'");
        }
        if (mode == null) {
            throw new IllegalArgumentException("mode is missing");
        }
        if (maxAge == null) {
            throw new IllegalArgumentException("max_age is missing");
        }
        if (mx.isEmpty() && mode != Mode.NONE) {
            throw new IllegalArgumentException(
                    "mode " + mode.name().toLowerCase(Locale.ROOT) + " needs at least one mx");
        }
        return new MtaStsPolicy(mode, mx, maxAge);
    }

    private static Mode mode(String value) {
        switch (value) {
            case "enforce":
                return Mode.ENFORCE;
            case "testing":
                return Mode.TESTING;
            case "none":
                return Mode.NONE;
            default:
                throw new IllegalArgumentException(
                        "mode must be enforce, testing or none, got '" + printable(value) + "'");
        }
    }

    private static String mxPattern(String value) {
        boolean wildcard = value.startsWith("*.");
        Optional<String> name = DomainPattern.normalize(wildcard ? value.substring(2) : value);
        if (name.isEmpty()) {
            throw new IllegalArgumentException(
                    "mx must be a host name or '*.' followed by one, got '"
                            + printable(value)
                            + "'");
        }
        return (wildcard ? "*." : "") + name.get();
    }

    public Mode mode() {
        return mode;
    }

    public List<String> mxPatterns() {
        return mxPatterns;
    }

    public long maxAgeSeconds() {
        return maxAgeSeconds;
    }

    /**
     * True when {@code mxHost} is allowed by an {@code mx} pattern (RFC 8461 section 4.1): an exact
     * name, or a wildcard standing for exactly one left-most label.
     */
    public boolean allowsMx(String mxHost) {
        Optional<String> host = DomainPattern.normalize(mxHost);
        if (host.isEmpty()) {
            return false;
        }
        for (String pattern : mxPatterns) {
            if (pattern.startsWith("*.")) {
                String suffix = pattern.substring(1);
                int firstDot = host.get().indexOf('.');
                if (firstDot > 0 && host.get().substring(firstDot).equals(suffix)) {
                    return true;
                }
            } else if (host.get().equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && i < 100; i++) {
            char c = text.charAt(i);
            out.append(c >= 32 && c < 127 ? c : '?');
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "mode="
                + mode.name().toLowerCase(Locale.ROOT)
                + " mx="
                + mxPatterns
                + " max_age="
                + maxAgeSeconds;
    }
}
