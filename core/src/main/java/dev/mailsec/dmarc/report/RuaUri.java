package dev.mailsec.dmarc.report;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;

/**
 * One {@code rua} destination (RFC 7489 section 6.4): a {@code mailto:} address and the optional
 * size limit after {@code !} (a number with unit k, m, g or t, powers of two; none: bytes). Other
 * schemes are not supported (RFC 7489 requires only mailto).
 */
public final class RuaUri {

    private final String address;
    private final long maxBytes;

    private RuaUri(String address, long maxBytes) {
        this.address = address;
        this.maxBytes = maxBytes;
    }

    /** Reads {@code uri}; empty if it is not a mailto: URI with one valid address. */
    public static Optional<RuaUri> parse(String uri) {
        String u = uri.trim();
        long max = 0;
        int bang = u.lastIndexOf('!');
        if (bang >= 0) {
            OptionalLong size = size(u.substring(bang + 1));
            if (size.isEmpty()) {
                return Optional.empty();
            }
            max = size.getAsLong();
            u = u.substring(0, bang);
        }
        if (!u.regionMatches(true, 0, "mailto:", 0, 7)) {
            return Optional.empty();
        }
        String addr = u.substring(7);
        int q = addr.indexOf('?');
        if (q >= 0) {
            addr = addr.substring(0, q);
        }
        addr = percentDecode(addr);
        if (addr == null || addr.indexOf('@') <= 0 || addr.length() > 254) {
            return Optional.empty();
        }
        try {
            InternetAddress parsed = new InternetAddress(addr, true);
            return Optional.of(new RuaUri(parsed.getAddress(), max));
        } catch (AddressException e) {
            return Optional.empty();
        }
    }

    private static OptionalLong size(String s) {
        if (!s.matches("[0-9]{1,12}[kmgtKMGT]?")) {
            return OptionalLong.empty();
        }
        char unit = Character.toLowerCase(s.charAt(s.length() - 1));
        int shift = "kmgt".indexOf(unit);
        long n = Long.parseLong(shift < 0 ? s : s.substring(0, s.length() - 1));
        return OptionalLong.of(shift < 0 ? n : n << (10 * (shift + 1)));
    }

    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        byte[] out = new byte[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out[n++] = (byte) (hi * 16 + lo);
                i += 2;
            } else if (c > 127) {
                return null;
            } else {
                out[n++] = (byte) c;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    /** The mailbox to send to. */
    public String address() {
        return address;
    }

    /** Its domain, lower case. */
    public String domain() {
        return address.substring(address.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    /** The size limit in bytes, or empty when the URI sets none. */
    public OptionalLong maxBytes() {
        return maxBytes > 0 ? OptionalLong.of(maxBytes) : OptionalLong.empty();
    }

    @Override
    public String toString() {
        return "mailto:" + address + (maxBytes > 0 ? "!" + maxBytes : "");
    }
}
