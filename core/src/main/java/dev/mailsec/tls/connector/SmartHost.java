package dev.mailsec.tls.connector;

import java.util.Locale;
import java.util.Optional;

/**
 * A relay an outbound connector delivers to instead of the recipient domain's MX hosts: {@code
 * host[:port]}.
 */
public final class SmartHost {

    /** The SMTP port used when none is given. */
    public static final int DEFAULT_PORT = 25;

    private final String host;
    private final int port;

    private SmartHost(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /**
     * Parses {@code host}, {@code host:port} or an IP literal ({@code [2001:db8::1]:25} for IPv6).
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text}
     */
    public static SmartHost parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        String hostPart = trimmed;
        String portPart = null;
        if (trimmed.startsWith("[")) {
            int close = trimmed.indexOf(']');
            if (close < 0) {
                throw invalid(trimmed);
            }
            hostPart = trimmed.substring(1, close);
            String rest = trimmed.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw invalid(trimmed);
                }
                portPart = rest.substring(1);
            }
            if (IpRange.literal(hostPart) == null) {
                throw invalid(trimmed);
            }
        } else {
            int colon = trimmed.lastIndexOf(':');
            if (colon >= 0) {
                hostPart = trimmed.substring(0, colon);
                portPart = trimmed.substring(colon + 1);
            }
            if (IpRange.literal(hostPart) == null) {
                Optional<String> normalized = DomainPattern.normalize(hostPart);
                if (normalized.isEmpty()) {
                    throw invalid(trimmed);
                }
                hostPart = normalized.get();
            }
        }
        int port = DEFAULT_PORT;
        if (portPart != null) {
            if (!portPart.matches("[0-9]{1,5}")
                    || Integer.parseInt(portPart) < 1
                    || Integer.parseInt(portPart) > 65535) {
                throw invalid(trimmed);
            }
            port = Integer.parseInt(portPart);
        }
        return new SmartHost(hostPart.toLowerCase(Locale.ROOT), port);
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException(
                "expected host, host:port or [IPv6]:port with a port from 1 to 65535, got '"
                        + text
                        + "'");
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SmartHost
                && host.equals(((SmartHost) other).host)
                && port == ((SmartHost) other).port;
    }

    @Override
    public int hashCode() {
        return host.hashCode() * 31 + port;
    }

    /** {@code host:port}, IPv6 literals in brackets. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
