package dev.mailsec.smime.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A parsed Content-Type value (RFC 2045 section 5.1): lower-cased media type and parameters. */
public final class ContentType {

    public static final ContentType DEFAULT =
            new ContentType("text/plain", Map.of("charset", "us-ascii"));

    private final String mediaType;
    private final Map<String, String> parameters;

    private ContentType(String mediaType, Map<String, String> parameters) {
        this.mediaType = mediaType;
        this.parameters = Collections.unmodifiableMap(parameters);
    }

    /** Lenient: a value that cannot be parsed yields {@code application/octet-stream} semantics. */
    public static ContentType parse(String value) {
        String v = value.trim();
        int semi = v.indexOf(';');
        String type = (semi < 0 ? v : v.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        Map<String, String> params = new LinkedHashMap<>();
        int i = semi < 0 ? v.length() : semi + 1;
        while (i < v.length()) {
            int eq = v.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = v.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            int j = eq + 1;
            while (j < v.length() && (v.charAt(j) == ' ' || v.charAt(j) == '\t')) {
                j++;
            }
            StringBuilder val = new StringBuilder();
            if (j < v.length() && v.charAt(j) == '"') {
                j++;
                while (j < v.length() && v.charAt(j) != '"') {
                    if (v.charAt(j) == '\\' && j + 1 < v.length()) {
                        j++;
                    }
                    val.append(v.charAt(j));
                    j++;
                }
                j++;
                int next = v.indexOf(';', j);
                i = next < 0 ? v.length() : next + 1;
            } else {
                int next = v.indexOf(';', j);
                int end = next < 0 ? v.length() : next;
                val.append(v, j, end);
                i = next < 0 ? v.length() : next + 1;
            }
            if (!name.isEmpty()) {
                params.putIfAbsent(name, val.toString().trim());
            }
        }
        if (type.indexOf('/') < 0) {
            type = "application/octet-stream";
        }
        return new ContentType(type, params);
    }

    public String mediaType() {
        return mediaType;
    }

    public Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name.toLowerCase(Locale.ROOT)));
    }

    public boolean is(String type) {
        return mediaType.equalsIgnoreCase(type);
    }

    @Override
    public String toString() {
        return mediaType + parameters;
    }
}
