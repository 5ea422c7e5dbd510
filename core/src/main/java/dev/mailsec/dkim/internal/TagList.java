package dev.mailsec.dkim.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RFC 6376 section 3.2 tag=value lists, parsed strictly: tag names are ALPHA *(ALNUM / "_"), values
 * are VALCHARs with folding whitespace, no tag twice, no empty entry except after a final ";".
 */
public final class TagList {

    private TagList() {}

    /** Returns tag name to value (surrounding whitespace removed, inner folding kept). */
    public static Map<String, String> parse(String text, String what) throws Verdict {
        Map<String, String> tags = new LinkedHashMap<>();
        int pos = 0;
        int n = text.length();
        while (pos <= n) {
            int semi = text.indexOf(';', pos);
            int end = semi < 0 ? n : semi;
            String spec = text.substring(pos, end);
            if (isBlank(spec)) {
                if (semi >= 0) {
                    throw Verdict.permerror(what + ": empty tag");
                }
                if (tags.isEmpty()) {
                    throw Verdict.permerror(what + ": empty tag list");
                }
                break; // a single trailing ";"
            }
            int eq = spec.indexOf('=');
            if (eq < 0) {
                throw Verdict.permerror(what + ": tag without '='");
            }
            String name = trimFws(spec.substring(0, eq));
            String value = trimFws(spec.substring(eq + 1));
            checkName(name, what);
            checkValue(value, name, what);
            if (tags.put(name, value) != null) {
                throw Verdict.permerror(what + ": duplicate tag " + name + "=");
            }
            if (semi < 0) {
                break;
            }
            pos = semi + 1;
        }
        return tags;
    }

    private static void checkName(String name, String what) throws Verdict {
        if (name.isEmpty() || name.length() > 32 || !isAlpha(name.charAt(0))) {
            throw Verdict.permerror(what + ": malformed tag name");
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isAlpha(c) && !(c >= '0' && c <= '9') && c != '_') {
                throw Verdict.permerror(what + ": malformed tag name");
            }
        }
    }

    private static void checkValue(String value, String name, String what) throws Verdict {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean valchar = c >= 0x21 && c <= 0x7E && c != ';';
            if (!valchar && !isFws(c)) {
                throw Verdict.permerror(what + ": invalid character in " + name + "=");
            }
        }
    }

    static boolean isFws(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isFws(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static String trimFws(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && isFws(s.charAt(a))) {
            a++;
        }
        while (b > a && isFws(s.charAt(b - 1))) {
            b--;
        }
        return s.substring(a, b);
    }

    /** Removes all folding whitespace (for b=, bh=, p= and colon lists). */
    public static String stripFws(String s) {
        int n = s.length();
        char[] out = null;
        int o = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (isFws(c)) {
                if (out == null) {
                    out = new char[n];
                    s.getChars(0, i, out, 0);
                    o = i;
                }
            } else if (out != null) {
                out[o++] = c;
            }
        }
        return out == null ? s : new String(out, 0, o);
    }

    /**
     * The field with the value of its {@code b=} tag removed (RFC 6376 section 3.7), as hashed:
     * everything else, including whitespace around the tag, stays byte for byte.
     */
    public static String withoutBValue(String rawField, int colon) {
        int pos = colon + 1;
        int n = rawField.length();
        while (pos < n) {
            int semi = rawField.indexOf(';', pos);
            int end = semi < 0 ? n : semi;
            int eq = rawField.indexOf('=', pos);
            if (eq >= 0 && eq < end && "b".equals(trimFws(rawField.substring(pos, eq)))) {
                int valueEnd = end;
                if (semi < 0 && rawField.endsWith("\r\n")) {
                    valueEnd = n - 2;
                }
                return rawField.substring(0, eq + 1) + rawField.substring(valueEnd);
            }
            if (semi < 0) {
                break;
            }
            pos = semi + 1;
        }
        return rawField;
    }
}
