package dev.mailsec.spf;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Name and address checks SPF makes before asking DNS. */
final class DomainNames {

    private static final Pattern IP4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern IP6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private DomainNames() {}

    /**
     * RFC 7208 section 4.3: a multi-label name, no label empty or over 63 characters, at most 253
     * characters (one final dot allowed). Anything else makes check_host() return none.
     */
    static boolean isCheckable(String domain) {
        if (domain == null || domain.startsWith("[")) {
            return false;
        }
        String d = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        return d.indexOf('.') > 0 && isQueryable(d);
    }

    /**
     * Labels of 1 to 63 characters, at most 253 in all. Any other byte is allowed: DNS carries
     * them, and the RFC 7208 suite queries names holding '%' and spaces (macro-mania-in-domain).
     */
    static boolean isQueryable(String name) {
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        int label = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '.') {
                if (label == 0) {
                    return false;
                }
                label = 0;
            } else if (++label > 63) {
                return false;
            }
        }
        return label > 0;
    }

    /** An IPv4 or IPv6 literal, or null; never a DNS lookup. */
    static InetAddress addressLiteral(String text) {
        String t = text.trim();
        if (!IP4.matcher(t).matches() && !IP6.matcher(t).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Whether {@code ip} lies in {@code network}/{@code prefix}; families must agree. */
    static boolean inNetwork(InetAddress ip, InetAddress network, int prefix) {
        byte[] a = ip.getAddress();
        byte[] n = network.getAddress();
        if (a.length != n.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != n[i]) {
                return false;
            }
        }
        int bits = prefix % 8;
        if (bits == 0) {
            return true;
        }
        int mask = (0xff << (8 - bits)) & 0xff;
        return (a[full] & mask) == (n[full] & mask);
    }

    /** An address as text; IPv6 in RFC 5952's form (lower case, longest zero run as "::"). */
    static String ipText(InetAddress ip) {
        byte[] b = ip.getAddress();
        if (b.length == 4) {
            return ip.getHostAddress();
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /** The reverse-lookup name of an address (in-addr.arpa / ip6.arpa). */
    static String reverseName(InetAddress ip) {
        String[] parts = MacroExpander.dotted(ip).split("\\.");
        StringBuilder sb = new StringBuilder();
        for (int i = parts.length - 1; i >= 0; i--) {
            sb.append(parts[i]).append('.');
        }
        return sb.append(ip.getAddress().length == 4 ? "in-addr.arpa" : "ip6.arpa").toString();
    }
}
