package dev.mailsec.tls.connector;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * A block of client addresses in CIDR notation, IPv4 ({@code 192.0.2.0/24}) or IPv6 ({@code
 * 2001:db8::/32}); a bare address is a block of one. Parsing never touches DNS.
 */
public final class IpRange {

    private static final Pattern IPV4 =
            Pattern.compile(
                    "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final byte[] network;
    private final int prefixLength;
    private final String text;

    private IpRange(byte[] network, int prefixLength, String text) {
        this.network = network;
        this.prefixLength = prefixLength;
        this.text = text;
    }

    /**
     * Parses {@code address[/prefix]}.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text}
     */
    public static IpRange parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        int slash = trimmed.indexOf('/');
        String addressPart = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] address = literal(addressPart);
        if (address == null) {
            throw new IllegalArgumentException(
                    "expected an IPv4 or IPv6 address or CIDR block, got '" + trimmed + "'");
        }
        int maxPrefix = address.length * 8;
        int prefix = maxPrefix;
        if (slash >= 0) {
            String prefixPart = trimmed.substring(slash + 1);
            if (!prefixPart.matches("[0-9]{1,3}") || Integer.parseInt(prefixPart) > maxPrefix) {
                throw new IllegalArgumentException(
                        "expected a prefix length from 0 to "
                                + maxPrefix
                                + " after '/', got '"
                                + trimmed
                                + "'");
            }
            prefix = Integer.parseInt(prefixPart);
        }
        byte[] network = mask(address, prefix);
        String canonical = toText(network) + "/" + prefix;
        return new IpRange(network, prefix, canonical);
    }

    /**
     * The bytes of an IP literal, or null when {@code value} is not one (no DNS lookup is ever
     * made).
     */
    static byte[] literal(String value) {
        if (IPV4.matcher(value).matches()) {
            return addressBytes(value);
        }
        if (IPV6.matcher(value).matches()) {
            // InetAddress parses a string containing ':' as an IPv6 literal and fails without DNS
            // when it is not one.
            return addressBytes(value);
        }
        return null;
    }

    private static byte[] addressBytes(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException notALiteral) {
            return null;
        }
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int bitsHere = Math.max(0, Math.min(8, prefix - i * 8));
            masked[i] = (byte) (masked[i] & (0xFF << (8 - bitsHere)));
        }
        return masked;
    }

    private static String toText(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException impossibleForFourOrSixteenBytes) {
            throw new IllegalStateException(impossibleForFourOrSixteenBytes);
        }
    }

    /**
     * True when {@code address} lies in this block; an IPv4 address never matches an IPv6 block and
     * vice versa.
     */
    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length) {
            return false;
        }
        byte[] masked = mask(candidate, prefixLength);
        return Arrays.equals(masked, network);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IpRange && text.equals(((IpRange) other).text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** Canonical CIDR form, e.g. {@code 192.0.2.0/24}. */
    @Override
    public String toString() {
        return text;
    }
}
