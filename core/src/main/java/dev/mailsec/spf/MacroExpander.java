package dev.mailsec.spf;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Macro expansion (RFC 7208 section 7). Every output is bounded by {@link #MAX_EXPANSION}: a record
 * whose macros would grow past it (a hostile {@code %{s}%{s}...}) is a permerror rather than a
 * memory sink.
 */
final class MacroExpander {

    /** Longest expansion kept; longer is a permerror. Domain names are cut to 253 afterwards. */
    static final int MAX_EXPANSION = 8 * 1024;

    private static final String DELIMITERS = ".-+,/_=";

    /** The values macros read; {@code p} is looked up only if used. */
    interface Context {
        String sender();

        String localPart();

        String senderDomain();

        String domain();

        InetAddress ip();

        String helo();

        String receiver();

        long timestamp();

        /** The validated domain name of the client (section 7.3 {@code p}). */
        String validatedName() throws SpfAbort;
    }

    private MacroExpander() {}

    /**
     * Expands {@code s}; {@code ctx == null} only checks the syntax. {@code explain} allows spaces
     * and the {@code c}, {@code r}, {@code t} letters (section 7.1).
     */
    static String expand(String s, boolean explain, Context ctx) throws SpfSyntaxException {
        try {
            return expandOrAbort(s, explain, ctx);
        } catch (SpfAbort e) {
            throw new SpfSyntaxException(e.getMessage());
        }
    }

    static String expandOrAbort(String s, boolean explain, Context ctx)
            throws SpfSyntaxException, SpfAbort {
        StringBuilder out = new StringBuilder();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c != '%') {
                if (!(c >= 0x21 && c <= 0x7e) && !(explain && c == ' ')) {
                    throw new SpfSyntaxException(
                            "character 0x" + Integer.toHexString(c) + " not allowed");
                }
                out.append(c);
                i++;
            } else if (i + 1 >= n) {
                throw new SpfSyntaxException("'%' at the end");
            } else {
                char next = s.charAt(i + 1);
                if (next == '%') {
                    out.append('%');
                    i += 2;
                } else if (next == '_') {
                    out.append(' ');
                    i += 2;
                } else if (next == '-') {
                    out.append("%20");
                    i += 2;
                } else if (next == '{') {
                    int close = s.indexOf('}', i + 2);
                    if (close < 0) {
                        throw new SpfSyntaxException("unclosed '%{'");
                    }
                    out.append(macro(s.substring(i + 2, close), explain, ctx));
                    i = close + 1;
                } else {
                    throw new SpfSyntaxException("'%" + next + "' is not a macro");
                }
            }
            if (out.length() > MAX_EXPANSION) {
                throw new SpfSyntaxException("macro expansion longer than " + MAX_EXPANSION);
            }
        }
        return out.toString();
    }

    /** One {@code letter [digits] [r] *delimiter} between the braces. */
    private static String macro(String body, boolean explain, Context ctx)
            throws SpfSyntaxException, SpfAbort {
        if (body.isEmpty()) {
            throw new SpfSyntaxException("empty macro");
        }
        char letter = body.charAt(0);
        char lower = Character.toLowerCase(letter);
        if ("slodiphv".indexOf(lower) < 0 && !(explain && "crt".indexOf(lower) >= 0)) {
            throw new SpfSyntaxException("unknown macro letter '" + letter + "'");
        }
        int i = 1;
        int digitsStart = i;
        while (i < body.length() && Character.isDigit(body.charAt(i))) {
            i++;
        }
        int keep = Integer.MAX_VALUE;
        if (i > digitsStart) {
            String digits = body.substring(digitsStart, i);
            if (digits.length() > 3 || Integer.parseInt(digits) == 0) {
                throw new SpfSyntaxException("bad macro digits '" + digits + "'");
            }
            keep = Integer.parseInt(digits);
        }
        boolean reverse = false;
        if (i < body.length() && (body.charAt(i) == 'r' || body.charAt(i) == 'R')) {
            reverse = true;
            i++;
        }
        String delimiters = body.substring(i);
        for (int k = 0; k < delimiters.length(); k++) {
            if (DELIMITERS.indexOf(delimiters.charAt(k)) < 0) {
                throw new SpfSyntaxException("bad macro delimiter '" + delimiters.charAt(k) + "'");
            }
        }
        if (ctx == null) {
            return "x";
        }
        String value =
                transform(
                        value(lower, ctx), keep, reverse, delimiters.isEmpty() ? "." : delimiters);
        return Character.isUpperCase(letter) ? urlEscape(value) : value;
    }

    private static String value(char letter, Context ctx) throws SpfAbort {
        switch (letter) {
            case 's':
                return ctx.sender();
            case 'l':
                return ctx.localPart();
            case 'o':
                return ctx.senderDomain();
            case 'd':
                return ctx.domain();
            case 'i':
                return dotted(ctx.ip());
            case 'p':
                return ctx.validatedName();
            case 'h':
                return ctx.helo();
            case 'v':
                return ctx.ip() instanceof Inet4Address ? "in-addr" : "ip6";
            case 'c':
                return DomainNames.ipText(ctx.ip());
            case 'r':
                return ctx.receiver();
            default:
                return Long.toString(ctx.timestamp());
        }
    }

    /** IPv4 dotted quad; IPv6 as 32 dot-separated nibbles (section 7.3). */
    static String dotted(InetAddress ip) {
        byte[] b = ip.getAddress();
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            if (b.length == 4) {
                sb.append(x & 0xff);
            } else {
                sb.append(Character.forDigit((x >> 4) & 0xf, 16))
                        .append('.')
                        .append(Character.forDigit(x & 0xf, 16));
            }
        }
        return sb.toString();
    }

    private static String transform(String value, int keep, boolean reverse, String delimiters) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            if (delimiters.indexOf(value.charAt(i)) >= 0) {
                parts.add(value.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(value.substring(start));
        if (reverse) {
            Collections.reverse(parts);
        }
        if (keep < parts.size()) {
            parts = parts.subList(parts.size() - keep, parts.size());
        }
        return String.join(".", parts);
    }

    private static String urlEscape(String value) {
        StringBuilder sb = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return sb.toString();
    }
}
