package dev.mailsec.mailets.connector;

import dev.mailsec.tls.report.ReportingSmtpTransport;
import dev.mailsec.tls.report.TlsPolicy;
import dev.mailsec.tls.report.TlsSessionContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.dnsservice.api.TemporaryResolutionException;

/**
 * James's DNS service, unchanged, as a reporting RemoteDelivery sees it on its delivery thread: the
 * MX lookup of a recipient domain starts a {@link TlsSessionContext} for that domain (no policy;
 * {@link MtaStsDns} replaces it with the domain's MTA-STS policy), each address lookup remembers
 * which MX host the address belongs to, and every lookup makes this extension's class loader the
 * thread's context class loader, through which JavaMail finds {@link ReportingSmtpTransport}
 * ({@code mail.smtp.class}).
 */
final class TlsReportingDns implements DNSService {

    private static final ClassLoader EXTENSION = ReportingSmtpTransport.class.getClassLoader();

    private final DNSService dns;

    TlsReportingDns(DNSService dns) {
        this.dns = dns;
    }

    static void useExtensionLoader() {
        if (Thread.currentThread().getContextClassLoader() != EXTENSION) {
            Thread.currentThread().setContextClassLoader(EXTENSION);
        }
    }

    @Override
    public Collection<String> findMXRecords(String domain) throws TemporaryResolutionException {
        useExtensionLoader();
        TlsSessionContext.begin(TlsPolicy.none(domain.toLowerCase(Locale.ROOT)));
        return dns.findMXRecords(domain);
    }

    @Override
    public Collection<String> findTXTRecords(String hostname) {
        return dns.findTXTRecords(hostname);
    }

    @Override
    public Collection<InetAddress> getAllByName(String host) throws UnknownHostException {
        useExtensionLoader();
        Collection<InetAddress> addresses = dns.getAllByName(host);
        TlsSessionContext.resolved(host, addresses);
        return addresses;
    }

    @Override
    public InetAddress getByName(String host) throws UnknownHostException {
        useExtensionLoader();
        InetAddress address = dns.getByName(host);
        TlsSessionContext.resolved(host, List.of(address));
        return address;
    }

    @Override
    public InetAddress getLocalHost() throws UnknownHostException {
        return dns.getLocalHost();
    }

    @Override
    public String getHostName(InetAddress addr) {
        return dns.getHostName(addr);
    }
}
