package dev.mailsec.mailets.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.tls.connector.ClientKey;
import dev.mailsec.tls.connector.ClientKeyCache;
import dev.mailsec.tls.connector.ClientKeySource;
import dev.mailsec.tls.connector.ConnectorSocketFactory;
import dev.mailsec.tls.connector.dane.DanePolicies;
import dev.mailsec.tls.connector.dane.DnssecAnswer;
import dev.mailsec.tls.connector.dane.DnssecStatus;
import dev.mailsec.tls.connector.dane.TlsaRecord;
import dev.mailsec.tls.report.TlsPolicyType;
import dev.mailsec.tls.report.TlsResultType;
import dev.mailsec.tls.report.TlsSessionRow;
import dev.mailsec.tls.report.TlsSessions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.james.dnsservice.api.DNSService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The MX view and the TLS trust of the DANE delivery, from fake DNSSEC answers. */
class DaneDeliveryDnsTest {

    private static final TlsaRecord EE = new TlsaRecord(3, 1, 1, new byte[32]);

    private final List<TlsSessionRow> rows = new ArrayList<>();
    private final TlsSessions.Sink sink = rows::add;

    /** James's DNS: every name is 127.0.0.9, and MX lookups must not happen. */
    private final DNSService james =
            new DNSService() {
                @Override
                public Collection<String> findMXRecords(String hostname) {
                    throw new AssertionError("DANE must not use James's MX records");
                }

                @Override
                public Collection<String> findTXTRecords(String hostname) {
                    return List.of();
                }

                @Override
                public Collection<InetAddress> getAllByName(String host)
                        throws UnknownHostException {
                    return List.of(InetAddress.getByName("127.0.0.9"));
                }

                @Override
                public InetAddress getByName(String host) throws UnknownHostException {
                    return InetAddress.getByName("127.0.0.9");
                }

                @Override
                public InetAddress getLocalHost() {
                    return InetAddress.getLoopbackAddress();
                }

                @Override
                public String getHostName(InetAddress addr) {
                    return addr.getHostAddress();
                }
            };

    private DaneDeliveryDns dns(RouteByDaneTest.FakeDns answers) {
        DaneDeliveryDns dns = new DaneDeliveryDns(new TlsReportingDns(james), Clock.systemUTC());
        dns.enforce(new DanePolicies(answers));
        TlsSessions.install(sink);
        return dns;
    }

    @AfterEach
    void uninstall() {
        TlsSessions.uninstall(sink);
    }

    @Test
    void onlyHostsWithSecureTlsaShouldBeDeliveredToEvenIfPreferred() throws Exception {
        RouteByDaneTest.FakeDns answers = RouteByDaneTest.FakeDns.world();
        answers.mx.put(
                "dane.test",
                DnssecAnswer.of(DnssecStatus.SECURE, List.of("notlsa.dane.test", "mx.dane.test")));
        answers.tlsa.put("notlsa.dane.test", DnssecAnswer.of(DnssecStatus.SECURE, List.of()));

        DaneDeliveryDns dns = dns(answers);

        assertThat(dns.findMXRecords("dane.test")).containsExactly("mx.dane.test");
        dns.getAllByName("mx.dane.test");
        // STARTTLS to the TLSA host's address gets a context; any other host none
        assertThatThrownBy(
                        () ->
                                ConnectorSocketFactory.getDefault()
                                        .createSocket("notlsa.dane.test", 25))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("notlsa.dane.test is not a host DANE lets mail");
    }

    @Test
    void aBogusAnswerShouldHoldWithNoHostAndBeReportedAsDnssecInvalid() throws Exception {
        DaneDeliveryDns dns = dns(RouteByDaneTest.FakeDns.world());

        assertThat(dns.findMXRecords("bogus.test")).isEmpty();

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).policy().type()).isEqualTo(TlsPolicyType.TLSA);
        assertThat(rows.get(0).result()).contains(TlsResultType.DNSSEC_INVALID);
        assertThatThrownBy(
                        () -> ConnectorSocketFactory.getDefault().createSocket("mx.bogus.test", 25))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aHostWithOnlyUnusableTlsaRecordsShouldBeReportedAsTlsaInvalid() throws Exception {
        RouteByDaneTest.FakeDns answers = RouteByDaneTest.FakeDns.world();
        answers.tlsa.put(
                "mx.dane.test",
                DnssecAnswer.of(
                        DnssecStatus.SECURE, List.of(new TlsaRecord(1, 1, 1, new byte[32]))));

        assertThat(dns(answers).findMXRecords("dane.test")).containsExactly("mx.dane.test");
        assertThat(rows)
                .singleElement()
                .satisfies(
                        row -> {
                            assertThat(row.result()).contains(TlsResultType.TLSA_INVALID);
                            assertThat(row.receivingMxHostname()).isEqualTo("mx.dane.test");
                        });
    }

    @Test
    void aClientCertificateThatCannotBeHadShouldLeaveTheDaneHostWithoutContext() throws Exception {
        DaneDeliveryDns dns = new DaneDeliveryDns(new TlsReportingDns(james), Clock.systemUTC());
        ClientKeySource down =
                new ClientKeySource() {
                    @Override
                    public ClientKey load() throws IOException {
                        throw new IOException("DKM unreachable");
                    }

                    @Override
                    public String describe() {
                        return "dkm:tls/partner";
                    }
                };
        dns.enforce(
                new DanePolicies(RouteByDaneTest.FakeDns.world()),
                "partner",
                Optional.of(new ClientKeyCache(down, Duration.ofMinutes(5), Clock.systemUTC())));
        TlsSessions.install(sink);

        assertThat(dns.findMXRecords("dane.test")).containsExactly("mx.dane.test");
        dns.getAllByName("mx.dane.test");
        // the host DANE allows, but no certificate to present: no TLS at all, the mail waits
        assertThatThrownBy(() -> ConnectorSocketFactory.getDefault().createSocket("127.0.0.9", 25))
                .isInstanceOf(IOException.class)
                .hasMessage(
                        "outbound connector 'partner': no client certificate to present to"
                                + " mx.dane.test: DKM unreachable");
    }
}
