package dev.mailsec.tls.published;

import dev.mailsec.dns.DnsQuestion;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** {@link InboundDns} asking DNS servers through dnsjava (the system's when none are given). */
public final class DnsjavaInboundDns implements InboundDns {

    private final List<InetSocketAddress> servers;
    private final Duration timeout;

    public DnsjavaInboundDns(List<InetSocketAddress> servers, Duration timeout) {
        this.servers = DnsQuestion.serversOrSystem(servers);
        this.timeout = timeout;
    }

    @Override
    public List<String> txt(String name) throws IOException {
        List<String> out = new ArrayList<>();
        for (Record r : answers(name, Type.TXT)) {
            out.add(DnsQuestion.text((TXTRecord) r));
        }
        return out;
    }

    @Override
    public List<String> mx(String domain) throws IOException {
        List<MXRecord> records = new ArrayList<>();
        for (Record r : answers(domain, Type.MX)) {
            records.add((MXRecord) r);
        }
        records.sort((a, b) -> Integer.compare(a.getPriority(), b.getPriority()));
        List<String> hosts = new ArrayList<>();
        for (MXRecord r : records) {
            String host = r.getTarget().toString(true);
            hosts.add(host.isEmpty() ? "." : host);
        }
        return hosts;
    }

    @Override
    public List<InetAddress> addresses(String host) throws IOException {
        List<InetAddress> out = new ArrayList<>();
        for (Record r : answers(host, Type.A)) {
            out.add(((ARecord) r).getAddress());
        }
        for (Record r : answers(host, Type.AAAA)) {
            out.add(((AAAARecord) r).getAddress());
        }
        return out;
    }

    @Override
    public List<String> tlsa(String name) throws IOException {
        List<String> out = new ArrayList<>();
        for (Record r : answers(name, Type.TLSA)) {
            out.add(((TLSARecord) r).rdataToString());
        }
        return out;
    }

    private List<Record> answers(String name, int type) throws IOException {
        Name qname;
        try {
            qname = Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new IOException("'" + name + "' is not a DNS name", e);
        }
        DnsQuestion.Outcome outcome = DnsQuestion.ask(servers, timeout, qname, type, null);
        List<Record> out = new ArrayList<>();
        if (outcome.nxdomain()) {
            return out;
        }
        if (outcome.response() == null) {
            throw new IOException(
                    name + " " + Type.string(type) + ": no answer (" + outcome.failure() + ")");
        }
        for (Record r : outcome.response().getSection(Section.ANSWER)) {
            if (r.getType() == type) {
                out.add(r);
            }
        }
        return out;
    }
}
