package dev.mailsec.authres;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small reader of an Authentication-Results value (RFC 8601 section 2.2), for fields others
 * wrote, e.g. an ARC-Authentication-Results of a trusted sealer: the authserv-id, then each method
 * with its result and {@code ptype.property=value} pairs. Comments are skipped; a resinfo that does
 * not parse is left out; never throws. Bounded: values over {@value #MAX_LENGTH} characters read as
 * nothing, at most {@value #MAX_RESULTS} results and comments nested at most {@value #MAX_DEPTH}
 * deep (deeper reads as nothing).
 */
public final class AuthResultsReader {

    public static final int MAX_LENGTH = 16_384;
    public static final int MAX_RESULTS = 64;
    public static final int MAX_DEPTH = 16;

    private static final Pattern RESINFO =
            Pattern.compile(
                    "\\s*([A-Za-z0-9][A-Za-z0-9_-]{0,63})\\s*(?:/\\s*[0-9]{1,9}\\s*)?=\\s*([A-Za-z0-9-]{1,64})(.*)",
                    Pattern.DOTALL);
    private static final Pattern PROPERTY =
            Pattern.compile(
                    "([A-Za-z0-9-]{1,64})\\.([A-Za-z0-9_.-]{1,64})\\s*=\\s*(\"(?:[^\"\\\\]|\\\\.){0,1024}\"|[^\\s\";]{1,1024})");

    /** One method's result. */
    public static final class Entry {
        private final String method;
        private final String result;
        private final Map<String, String> properties;

        Entry(String method, String result, Map<String, String> properties) {
            this.method = method;
            this.result = result;
            this.properties = Collections.unmodifiableMap(properties);
        }

        /** Lower case, e.g. {@code dkim}. */
        public String method() {
            return method;
        }

        /** Lower case, e.g. {@code pass}. */
        public String result() {
            return result;
        }

        /** {@code ptype.property} (lower case) to value (unquoted), first occurrence. */
        public Map<String, String> properties() {
            return properties;
        }
    }

    private final String authservId;
    private final List<Entry> entries;

    private AuthResultsReader(String authservId, List<Entry> entries) {
        this.authservId = authservId;
        this.entries = Collections.unmodifiableList(entries);
    }

    /** Reads a field value (unfolded or not); null and hostile input read as no results. */
    public static AuthResultsReader read(String value) {
        if (value == null || value.length() > MAX_LENGTH) {
            return new AuthResultsReader("", List.of());
        }
        List<String> parts = withoutComments(value);
        if (parts == null || parts.isEmpty()) {
            return new AuthResultsReader("", List.of());
        }
        String[] head = parts.get(0).trim().split("\\s+", 2);
        List<Entry> entries = new ArrayList<>();
        for (int i = 1; i < parts.size() && entries.size() < MAX_RESULTS; i++) {
            Matcher m = RESINFO.matcher(parts.get(i));
            if (!m.matches()) {
                continue;
            }
            Map<String, String> props = new LinkedHashMap<>();
            Matcher p = PROPERTY.matcher(m.group(3));
            while (p.find()) {
                String key = (p.group(1) + "." + p.group(2)).toLowerCase(Locale.ROOT);
                props.putIfAbsent(key, unquote(p.group(3)));
            }
            entries.add(
                    new Entry(
                            m.group(1).toLowerCase(Locale.ROOT),
                            m.group(2).toLowerCase(Locale.ROOT),
                            props));
        }
        return new AuthResultsReader(head[0], entries);
    }

    /** The authserv-id, as written ("" when unreadable). */
    public String authservId() {
        return authservId;
    }

    public List<Entry> entries() {
        return entries;
    }

    /** True when some entry of this method (any case) has this result. */
    public boolean has(String method, String result) {
        for (Entry e : entries) {
            if (e.method.equalsIgnoreCase(method) && e.result.equalsIgnoreCase(result)) {
                return true;
            }
        }
        return false;
    }

    /** The value split on ';' outside quoted strings, comments removed; null when unbalanced. */
    private static List<String> withoutComments(String value) {
        List<String> parts = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (depth > 0) {
                if (c == '\\') {
                    i++;
                } else if (c == '(') {
                    if (++depth > MAX_DEPTH) {
                        return null;
                    }
                } else if (c == ')') {
                    depth--;
                    sb.append(' ');
                }
                continue;
            }
            if (quoted) {
                sb.append(c);
                if (c == '\\' && i + 1 < value.length()) {
                    sb.append(value.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                }
                continue;
            }
            if (c == '(') {
                depth = 1;
            } else if (c == '"') {
                quoted = true;
                sb.append(c);
            } else if (c == ';') {
                parts.add(sb.toString());
                sb.setLength(0);
            } else {
                sb.append(c == '\r' || c == '\n' || c == '\t' ? ' ' : c);
            }
        }
        parts.add(sb.toString());
        return depth == 0 && !quoted ? parts : null;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            return v.substring(1, v.length() - 1).replaceAll("\\\\(.)", "$1");
        }
        return v;
    }
}
