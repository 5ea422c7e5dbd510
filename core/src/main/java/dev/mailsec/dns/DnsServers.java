package dev.mailsec.dns;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** The {@code dnsServers} parameter's syntax, one parser for DKIM and SPF. */
public final class DnsServers {

    private DnsServers() {}

    /**
     * Parses {@code host[:port]} or {@code [v6]:port} entries separated by commas or spaces; hosts
     * must be IP addresses. A bad entry throws, naming {@code dnsServers} and the entry.
     */
    public static List<InetSocketAddress> parse(String list) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String s : list.trim().split("[,\\s]+")) {
            if (s.isEmpty()) {
                continue;
            }
            String host = s;
            int port = 53;
            int colon = s.lastIndexOf(':');
            if (s.startsWith("[")) {
                int close = s.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("dnsServers: bad address '" + s + "'");
                }
                host = s.substring(1, close);
                if (close + 1 < s.length()) {
                    port = port(s.substring(close + 2), s);
                }
            } else if (colon > 0 && s.indexOf(':') == colon) {
                host = s.substring(0, colon);
                port = port(s.substring(colon + 1), s);
            }
            if (!host.matches("[0-9A-Fa-f:.]+")) {
                throw new IllegalArgumentException(
                        "dnsServers: must be IP addresses, got '" + s + "'");
            }
            out.add(new InetSocketAddress(host, port));
        }
        return out;
    }

    private static int port(String p, String entry) {
        try {
            int port = Integer.parseInt(p);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("dnsServers: bad port in '" + entry + "'", e);
        }
    }
}
