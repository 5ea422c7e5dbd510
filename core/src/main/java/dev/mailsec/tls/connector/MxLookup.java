package dev.mailsec.tls.connector;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * The hosts mail for a domain goes to (RFC 5321 section 5.1): its MX records by preference, or the
 * domain itself when it has none. Uses the JDK's DNS provider, so the command line needs no DNS
 * library.
 */
public final class MxLookup {

    private final Optional<String> server;

    /**
     * @param server {@code host[:port]} of the DNS server to ask, or empty for the system's
     *     resolvers
     */
    public MxLookup(Optional<String> server) {
        this.server = server;
    }

    /**
     * MX hosts of {@code domain}, most preferred first, each on port 25; a null MX ({@code 0 .},
     * RFC 7505) yields no host.
     *
     * @throws NamingException when the domain does not exist or DNS does not answer
     */
    public List<SmartHost> hostsFor(String domain) throws NamingException {
        Hashtable<String, String> env = new Hashtable<>();
        env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        env.put("java.naming.provider.url", "dns://" + server.orElse("") + "/");
        env.put("com.sun.jndi.dns.timeout.initial", "2000");
        env.put("com.sun.jndi.dns.timeout.retries", "2");
        DirContext context = new InitialDirContext(env);
        try {
            Attribute records = context.getAttributes(domain, new String[] {"MX"}).get("MX");
            if (records == null || records.size() == 0) {
                return Collections.singletonList(SmartHost.parse(domain));
            }
            List<String[]> entries = new ArrayList<>();
            NamingEnumeration<?> values = records.getAll();
            while (values.hasMore()) {
                String[] parts = values.next().toString().trim().split("\\s+");
                if (parts.length == 2 && parts[0].matches("[0-9]{1,5}")) {
                    entries.add(parts);
                }
            }
            entries.sort(Comparator.comparingInt(parts -> Integer.parseInt(parts[0])));
            List<SmartHost> hosts = new ArrayList<>();
            for (String[] entry : entries) {
                String host =
                        entry[1].endsWith(".")
                                ? entry[1].substring(0, entry[1].length() - 1)
                                : entry[1];
                if (!host.isEmpty()) {
                    hosts.add(SmartHost.parse(host));
                }
            }
            return hosts;
        } finally {
            context.close();
        }
    }
}
