package dev.mailsec.mailets.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.tls.connector.mtasts.MtaStsCache;
import dev.mailsec.tls.connector.mtasts.MtaStsPolicy;
import dev.mailsec.tls.connector.mtasts.MtaStsResolver;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.james.dnsservice.api.DNSService;
import org.junit.jupiter.api.Test;

/** The MX view of the enforcing delivery, on fakes. */
class MtaStsDnsTest {

    private static final Map<String, String> POLICIES =
            Map.of(
                    "enforce.test",
                            "version: STSv1\nmode: enforce\nmx: mx1.enforce.test\nmx: *.pool.test\nmax_age: 600\n",
                    "testing.test",
                            "version: STSv1\nmode: testing\nmx: mx.testing.test\nmax_age: 600\n",
                    "none.test", "version: STSv1\nmode: none\nmax_age: 600\n");

    /** Policies for enforce.test, testing.test and none.test; none for any other domain. */
    static MtaStsResolver resolver() {
        return new MtaStsResolver(
                name ->
                        POLICIES.containsKey(name.substring("_mta-sts.".length()))
                                ? List.of("v=STSv1; id=7;")
                                : List.of(),
                domain -> MtaStsPolicy.parse(POLICIES.get(domain)),
                Clock.systemUTC(),
                new MtaStsCache());
    }

    private static final DNSService MX =
            new DelegatingMx(List.of("mx1.enforce.test.", "rogue.example.", "a.pool.test"));

    @Test
    void enforcingDeliveryShouldSeeOnlyTheMxHostsThePolicyAllows() throws Exception {
        MtaStsDns dns = new MtaStsDns(MX);
        dns.configure(resolver(), true);

        assertThat(dns.findMXRecords("enforce.test"))
                .containsExactly("mx1.enforce.test.", "a.pool.test");
        assertThat(dns.findMXRecords("testing.test"))
                .as("testing mode is reported, not enforced")
                .hasSize(3);
        assertThat(dns.findMXRecords("none.test")).hasSize(3);
        assertThat(dns.findMXRecords("nopolicy.test")).hasSize(3);
    }

    @Test
    void reportingDeliveryShouldRemoveNothing() throws Exception {
        MtaStsDns dns = new MtaStsDns(MX);
        dns.configure(resolver(), false);

        assertThat(dns.findMXRecords("enforce.test")).hasSize(3);
    }

    @Test
    void enforcePolicyListingNoMxShouldLeaveNoTarget() throws Exception {
        MtaStsDns dns = new MtaStsDns(new DelegatingMx(List.of("rogue.example")));
        dns.configure(resolver(), true);

        assertThat(dns.findMXRecords("enforce.test")).isEmpty();
    }

    @Test
    void hostNameShouldDropTrailingDotAndPort() {
        assertThat(MtaStsDns.hostName("mx.example.")).isEqualTo("mx.example");
        assertThat(MtaStsDns.hostName("mx.example:2525")).isEqualTo("mx.example");
    }

    /** MX records from a fixed list. */
    private static final class DelegatingMx implements DNSService {
        private final List<String> hosts;

        DelegatingMx(List<String> hosts) {
            this.hosts = hosts;
        }

        @Override
        public Collection<String> findMXRecords(String hostname) {
            return hosts;
        }

        @Override
        public Collection<String> findTXTRecords(String hostname) {
            return List.of();
        }

        @Override
        public Collection<InetAddress> getAllByName(String host) {
            return List.of();
        }

        @Override
        public InetAddress getByName(String host) {
            return null;
        }

        @Override
        public InetAddress getLocalHost() {
            return null;
        }

        @Override
        public String getHostName(InetAddress addr) {
            return null;
        }
    }
}
