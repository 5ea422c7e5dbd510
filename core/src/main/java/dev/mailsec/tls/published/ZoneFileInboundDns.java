package dev.mailsec.tls.published;

import dev.mailsec.dns.ZoneFile;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@link InboundDns} from a BIND zone file, for tests and for checking records before publishing.
 */
public final class ZoneFileInboundDns implements InboundDns {

    private final ZoneFile zone;

    public ZoneFileInboundDns(ZoneFile zone) {
        this.zone = zone;
    }

    @Override
    public List<String> txt(String name) {
        return zone.records(name, "TXT");
    }

    @Override
    public List<String> mx(String domain) {
        List<String[]> records = new ArrayList<>();
        for (String data : zone.records(domain, "MX")) {
            String[] parts = data.trim().split("\\s+");
            if (parts.length == 2 && parts[0].matches("[0-9]{1,5}")) {
                records.add(parts);
            }
        }
        records.sort(Comparator.comparingInt(parts -> Integer.parseInt(parts[0])));
        List<String> hosts = new ArrayList<>();
        for (String[] parts : records) {
            String host = parts[1].toLowerCase(Locale.ROOT);
            hosts.add(host.isEmpty() ? "." : host);
        }
        return hosts;
    }

    @Override
    public List<InetAddress> addresses(String host) throws IOException {
        List<InetAddress> out = new ArrayList<>();
        for (String type : new String[] {"A", "AAAA"}) {
            for (String literal : zone.records(host, type)) {
                if (!literal.matches("[0-9a-fA-F:.]+")) {
                    throw new IOException(host + " " + type + " '" + literal + "' is no address");
                }
                out.add(InetAddress.getByName(literal));
            }
        }
        return out;
    }

    @Override
    public List<String> tlsa(String name) {
        return zone.records(name, "TLSA");
    }
}
