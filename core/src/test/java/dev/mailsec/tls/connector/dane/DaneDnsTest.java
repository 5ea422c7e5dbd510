package dev.mailsec.tls.connector.dane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.testsupport.SignedDns;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both resolver modes against a real signed zone: Knot serving {@code dane.test} (signed by
 * ldns-signzone) and an unsigned child, unbound validating with the zone's DS as trust anchor;
 * address records and CNAME-aliased MX hosts as RFC 7672 sections 2.2.2 and 2.2.3 need them.
 */
class DaneDnsTest {

    private static final String GOOD = "3 1 1 " + "ab".repeat(32);
    private static SignedDns dns;

    @BeforeAll
    static void startDns(@TempDir Path dir) throws Exception {
        dns =
                new SignedDns(dir, "dane.test")
                        .records(
                                "good MX 20 mx2.good",
                                "good MX 10 mx1.good",
                                "mx1.good A 127.0.0.1",
                                "mx2.good A 127.0.0.1",
                                "_25._tcp.mx1.good TLSA " + GOOD,
                                "_25._tcp.mx1.good TLSA 1 1 1 " + "cd".repeat(32),
                                "bogus MX 10 mx.bogus",
                                "mx.bogus A 127.0.0.1",
                                "_25._tcp.mx.bogus TLSA 3 1 1 " + "11".repeat(32),
                                // an MX host that is an alias within the signed zone: its TLSA
                                // records are those of the expanded name
                                "alias MX 10 mx.alias",
                                "mx.alias CNAME smtp.hoster",
                                "smtp.hoster A 127.0.0.1",
                                "_25._tcp.smtp.hoster TLSA " + GOOD,
                                // an MX host whose addresses come from the unsigned child
                                // through a CNAME: signed TLSA records, insecure addresses
                                "insec MX 10 mx.insec",
                                "mx.insec CNAME mx.plain",
                                "_25._tcp.mx.insec TLSA " + GOOD)
                        .bogus("3 1 1 " + "11".repeat(32), "3 1 1 " + "22".repeat(32))
                        .insecureChild(
                                "plain", "@ MX 10 mx", "mx A 127.0.0.1", "_25._tcp.mx TLSA " + GOOD)
                        .start();
    }

    @AfterAll
    static void stopDns() throws Exception {
        if (dns != null) {
            dns.close();
        }
    }

    static Stream<DaneDns> modes() throws IOException {
        InetSocketAddress unbound =
                new InetSocketAddress(InetAddress.getLoopbackAddress(), dns.resolverPort());
        return Stream.of(
                DaneDns.trustedResolver(unbound, Set.of()),
                DaneDns.validating(unbound, dns.trustAnchor()));
    }

    @ParameterizedTest
    @MethodSource("modes")
    void signedMxAndTlsaShouldBeSecure(DaneDns lookups) throws Exception {
        DnssecAnswer<String> mx = lookups.mx("good.dane.test");
        assertThat(mx.status()).as(dns.log()).isEqualTo(DnssecStatus.SECURE);
        assertThat(mx.records()).containsExactly("mx1.good.dane.test", "mx2.good.dane.test");

        DnssecAnswer<TlsaRecord> tlsa = lookups.tlsa("mx1.good.dane.test", 25);
        assertThat(tlsa.status()).isEqualTo(DnssecStatus.SECURE);
        assertThat(tlsa.records())
                .containsExactlyInAnyOrder(
                        TlsaRecord.parse(GOOD), TlsaRecord.parse("1 1 1 " + "cd".repeat(32)));
    }

    @ParameterizedTest
    @MethodSource("modes")
    void aProvenAbsenceShouldBeSecureAndEmpty(DaneDns lookups) {
        DnssecAnswer<TlsaRecord> nodata = lookups.tlsa("mx2.good.dane.test", 25);
        DnssecAnswer<String> nxdomain = lookups.mx("missing.dane.test");

        assertThat(nodata.status()).isEqualTo(DnssecStatus.SECURE);
        assertThat(nodata.records()).isEmpty();
        assertThat(nxdomain.status()).isEqualTo(DnssecStatus.SECURE);
        assertThat(nxdomain.records()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("modes")
    void aTlsaRecordChangedAfterSigningShouldNotBeUsable(DaneDns lookups) {
        DnssecAnswer<TlsaRecord> tlsa = lookups.tlsa("mx.bogus.dane.test", 25);

        assertThat(tlsa.usable()).isFalse();
        assertThat(tlsa.records()).isEmpty();
        assertThat(new DanePolicies(lookups).resolve("bogus.dane.test").kind())
                .isEqualTo(DanePolicy.Kind.HOLD);
    }

    @ParameterizedTest
    @MethodSource("modes")
    void anUnsignedChildShouldBeInsecure(DaneDns lookups) {
        DnssecAnswer<String> mx = lookups.mx("plain.dane.test");

        assertThat(mx.status()).isEqualTo(DnssecStatus.INSECURE);
        assertThat(mx.records()).containsExactly("mx.plain.dane.test");
        assertThat(lookups.tlsa("mx.plain.dane.test", 25).status())
                .isEqualTo(DnssecStatus.INSECURE);
    }

    @ParameterizedTest
    @MethodSource("modes")
    void thePolicyOfTheSignedDomainShouldBeDane(DaneDns lookups) {
        DanePolicy policy = new DanePolicies(lookups).resolve("good.dane.test");

        assertThat(policy.kind()).isEqualTo(DanePolicy.Kind.DANE);
        assertThat(policy.deliverableHosts()).containsExactly("mx1.good.dane.test");
        assertThat(new DanePolicies(lookups).resolve("plain.dane.test").kind())
                .isEqualTo(DanePolicy.Kind.NOT_APPLICABLE);
    }

    @ParameterizedTest
    @MethodSource("modes")
    void signedAddressRecordsShouldBeSecureAndTheirAliasExpanded(DaneDns lookups) {
        DnssecAddresses plain = lookups.addresses("mx1.good.dane.test");
        assertThat(plain.status()).as(dns.log()).isEqualTo(DnssecStatus.SECURE);
        assertThat(plain.aliased()).isFalse();
        assertThat(plain.addresses()).containsExactly("127.0.0.1");

        DnssecAddresses alias = lookups.addresses("mx.alias.dane.test");
        assertThat(alias.status()).isEqualTo(DnssecStatus.SECURE);
        assertThat(alias.expandedName()).isEqualTo("smtp.hoster.dane.test");
        assertThat(alias.addresses()).containsExactly("127.0.0.1");
    }

    @ParameterizedTest
    @MethodSource("modes")
    void anAliasedMxHostShouldBeAuthenticatedByTheTlsaRecordsOfItsExpandedName(DaneDns lookups)
            throws Exception {
        DanePolicy policy = new DanePolicies(lookups).resolve("alias.dane.test");

        assertThat(policy.kind()).as(dns.log()).isEqualTo(DanePolicy.Kind.DANE);
        DaneHost host = policy.host("mx.alias.dane.test").get();
        assertThat(host.mode()).isEqualTo(DaneHost.Mode.AUTHENTICATED);
        assertThat(host.tlsaBase()).isEqualTo("smtp.hoster.dane.test");
        assertThat(host.records()).containsExactly(TlsaRecord.parse(GOOD));
        assertThat(host.referenceNames())
                .containsExactly("mx.alias.dane.test", "smtp.hoster.dane.test");
    }

    @ParameterizedTest
    @MethodSource("modes")
    void signedTlsaRecordsOfAHostWithInsecureAddressesShouldNotMakeDane(DaneDns lookups) {
        // the TLSA records alone would say DANE
        assertThat(lookups.tlsa("mx.insec.dane.test", 25).status()).isEqualTo(DnssecStatus.SECURE);
        assertThat(lookups.tlsa("mx.insec.dane.test", 25).records()).hasSize(1);
        DnssecAddresses addresses = lookups.addresses("mx.insec.dane.test");
        assertThat(addresses.status()).as(dns.log()).isEqualTo(DnssecStatus.INSECURE);
        assertThat(addresses.expandedName()).isEqualTo("mx.plain.dane.test");

        DanePolicy policy = new DanePolicies(lookups).resolve("insec.dane.test");

        assertThat(policy.kind()).isEqualTo(DanePolicy.Kind.NOT_APPLICABLE);
        assertThat(policy.host("mx.insec.dane.test").get().note())
                .isEqualTo("its address records are not DNSSEC-signed");
    }

    @Test
    void dnsjavasValidatorShouldSayWhyAnAnswerIsBogus() throws Exception {
        // straight at the authoritative server: no resolver between that could hide the data
        DaneDns lookups =
                DaneDns.validating(
                        new InetSocketAddress(
                                InetAddress.getLoopbackAddress(), dns.authoritativePort()),
                        dns.trustAnchor());

        DnssecAnswer<TlsaRecord> tlsa = lookups.tlsa("mx.bogus.dane.test", 25);

        assertThat(tlsa.status()).isEqualTo(DnssecStatus.BOGUS);
        assertThat(tlsa.reason()).contains("_25._tcp.mx.bogus.dane.test TLSA: SERVFAIL");
        assertThat(lookups.tlsa("mx1.good.dane.test", 25).status()).isEqualTo(DnssecStatus.SECURE);
    }

    @Test
    void anAdBitFromANonLoopbackResolverShouldNotBeBelieved() throws Exception {
        InetSocketAddress remote = new InetSocketAddress(InetAddress.getByName("192.0.2.53"), 53);

        assertThatThrownBy(() -> DaneDns.trustedResolver(remote, Set.of()))
                .hasMessageContaining("192.0.2.53 is neither a loopback address nor trusted");
        DaneDns.trustedResolver(remote, Set.of(InetAddress.getByName("192.0.2.53")));
    }

    @Test
    void aMissingOrEmptyTrustAnchorFileShouldBeRefused(@TempDir Path dir) throws Exception {
        InetSocketAddress unbound =
                new InetSocketAddress(InetAddress.getLoopbackAddress(), dns.resolverPort());
        Path empty = dir.resolve("empty.ds");
        Files.writeString(empty, "; nothing\n");

        assertThatThrownBy(() -> DaneDns.validating(unbound, dir.resolve("none.ds")))
                .hasMessageEndingWith("none.ds: no such file");
        assertThatThrownBy(() -> DaneDns.validating(unbound, empty))
                .hasMessageEndingWith("empty.ds: no DS or DNSKEY record");
    }
}
