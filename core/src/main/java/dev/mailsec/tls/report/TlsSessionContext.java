package dev.mailsec.tls.report;

import java.net.InetAddress;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a delivery thread is delivering: the policy of the recipient domain (set when RemoteDelivery
 * looks up its MX hosts) and the MX host name of each address it resolved, so that the SMTP
 * transport, which sees only the address it connects to, can record a session under the right
 * policy and MX name. One delivery attempt per thread at a time (James's delivery threads).
 */
public final class TlsSessionContext {

    private static final int MAX_ADDRESSES = 64;
    private static final ThreadLocal<State> CURRENT = new ThreadLocal<>();

    private static final class State {
        final TlsPolicy policy;
        final Map<String, String> mxByAddress = new HashMap<>();

        State(TlsPolicy policy) {
            this.policy = policy;
        }
    }

    private TlsSessionContext() {}

    /** The calling thread starts delivering under {@code policy}. */
    public static void begin(TlsPolicy policy) {
        CURRENT.set(new State(policy));
    }

    /** The calling thread resolved MX host {@code host} to {@code addresses}. */
    public static void resolved(String host, Collection<InetAddress> addresses) {
        State s = CURRENT.get();
        if (s == null) {
            return;
        }
        String name = host.toLowerCase(Locale.ROOT);
        name = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        for (InetAddress a : addresses) {
            if (s.mxByAddress.size() < MAX_ADDRESSES) {
                s.mxByAddress.put(a.getHostAddress(), name);
            }
        }
    }

    /** The policy the calling thread delivers under, if a reporting delivery set one. */
    public static Optional<TlsPolicy> policy() {
        State s = CURRENT.get();
        return s == null ? Optional.empty() : Optional.of(s.policy);
    }

    /** The MX host name {@code hostOrAddress} was resolved from, or itself. */
    public static String mxName(String hostOrAddress) {
        State s = CURRENT.get();
        String name = s == null ? null : s.mxByAddress.get(hostOrAddress);
        return name != null ? name : hostOrAddress.toLowerCase(Locale.ROOT);
    }

    /** An address {@code host} was resolved to on this thread, or empty. */
    public static String addressOf(String host) {
        State s = CURRENT.get();
        if (s == null) {
            return "";
        }
        String name = host.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> e : s.mxByAddress.entrySet()) {
            if (e.getValue().equals(name)) {
                return e.getKey();
            }
        }
        return "";
    }

    /** Forgets the calling thread's delivery. */
    public static void clear() {
        CURRENT.remove();
    }
}
