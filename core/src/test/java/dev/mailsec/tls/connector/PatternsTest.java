package dev.mailsec.tls.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PatternsTest {

    @Test
    void domainPatternShouldMatchExactDomainIgnoringCaseAndTrailingDot() {
        DomainPattern pattern = DomainPattern.parse("Partner.Test");
        assertThat(pattern.matches("partner.test")).isTrue();
        assertThat(pattern.matches("PARTNER.TEST.")).isTrue();
        assertThat(pattern.matches("mx.partner.test")).isFalse();
        assertThat(pattern.matches("evilpartner.test")).isFalse();
        assertThat(pattern.toString()).isEqualTo("partner.test");
    }

    @Test
    void wildcardShouldMatchSubdomainsOnly() {
        DomainPattern pattern = DomainPattern.parse("*.partner.test");
        assertThat(pattern.matches("mx.partner.test")).isTrue();
        assertThat(pattern.matches("a.b.partner.test")).isTrue();
        assertThat(pattern.matches("partner.test")).isFalse();
        assertThat(pattern.matches("xpartner.test")).isFalse();
        assertThat(DomainPattern.parse("*").matches("anything.example")).isTrue();
    }

    @Test
    void domainPatternShouldCompareIdnInAsciiForm() {
        assertThat(DomainPattern.parse("bücher.test").matches("xn--bcher-kva.test")).isTrue();
    }

    @Test
    void domainPatternShouldRefuseNonDomains() {
        for (String bad :
                List.of(
                        "",
                        "partner test",
                        "-a.test",
                        "a..test",
                        "*partner.test",
                        "a.*.test",
                        "x_y.test")) {
            assertThatThrownBy(() -> DomainPattern.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("got '" + bad.trim() + "'");
        }
        assertThat(DomainPattern.parse("partner.test").matches("not a domain")).isFalse();
    }

    @Test
    void ipRangeShouldMatchIpv4Blocks() throws Exception {
        IpRange range = IpRange.parse("192.0.2.77/24");
        assertThat(range.toString()).isEqualTo("192.0.2.0/24");
        assertThat(range.contains(InetAddress.getByName("192.0.2.1"))).isTrue();
        assertThat(range.contains(InetAddress.getByName("192.0.3.1"))).isFalse();
        assertThat(IpRange.parse("10.1.2.3").contains(InetAddress.getByName("10.1.2.3"))).isTrue();
        assertThat(IpRange.parse("10.1.2.3").contains(InetAddress.getByName("10.1.2.4"))).isFalse();
        assertThat(IpRange.parse("0.0.0.0/0").contains(InetAddress.getByName("203.0.113.9")))
                .isTrue();
        assertThat(
                        IpRange.parse("198.51.100.0/23")
                                .contains(InetAddress.getByName("198.51.101.200")))
                .isTrue();
    }

    @Test
    void ipRangeShouldMatchIpv6BlocksAndNeverMixFamilies() throws Exception {
        IpRange range = IpRange.parse("2001:DB8::/32");
        assertThat(range.toString()).isEqualTo("2001:db8:0:0:0:0:0:0/32");
        assertThat(range.contains(InetAddress.getByName("2001:db8:ffff::1"))).isTrue();
        assertThat(range.contains(InetAddress.getByName("2001:db9::1"))).isFalse();
        assertThat(range.contains(InetAddress.getByName("192.0.2.1"))).isFalse();
        assertThat(IpRange.parse("0.0.0.0/0").contains(InetAddress.getByName("::1"))).isFalse();
    }

    @Test
    void ipRangeShouldRefuseHostNamesAndBadPrefixesWithoutDns() {
        for (String bad :
                List.of(
                        "mx.partner.test",
                        "192.0.2.0/33",
                        "2001:db8::/129",
                        "256.1.1.1",
                        "1.2.3",
                        "192.0.2.0/",
                        "192.0.2.0/-1",
                        "2001:db8:::1",
                        "",
                        "abc")) {
            assertThatThrownBy(() -> IpRange.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void certificateNameShouldMatchSubjectAltNamesByType() {
        CertificateName dns = CertificateName.parse("dns:MX.Partner.Test");
        assertThat(dns.toString()).isEqualTo("DNS:MX.Partner.Test");
        assertThat(
                        dns.matches(
                                Optional.empty(),
                                List.of("EMAIL:a@partner.test", "DNS:mx.partner.test")))
                .isTrue();
        assertThat(dns.matches(Optional.empty(), List.of("EMAIL:mx.partner.test"))).isFalse();
        assertThat(dns.matches(Optional.of("CN=mx.partner.test"), List.of())).isFalse();
    }

    @Test
    void certificateNameShouldMatchSubjectInCanonicalForm() {
        CertificateName subject = CertificateName.parse("cn=mx.partner.test, o=Partner");
        assertThat(subject.matches(Optional.of("CN=MX.partner.test,O=partner"), List.of()))
                .isTrue();
        assertThat(subject.matches(Optional.of("CN=mx.partner.test,O=Other"), List.of())).isFalse();
        assertThat(subject.matches(Optional.empty(), List.of("DNS:mx.partner.test"))).isFalse();
    }

    @Test
    void certificateNameShouldRefuseUnknownTypesAndBrokenNames() {
        for (String bad : List.of("", "FOO:bar", "DNS:", "not a name", "CN")) {
            assertThatThrownBy(() -> CertificateName.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("got '" + bad + "'");
        }
    }

    @Test
    void smartHostShouldParseHostPortAndIpv6() {
        assertThat(SmartHost.parse("Relay.Bank.Test").toString()).isEqualTo("relay.bank.test:25");
        assertThat(SmartHost.parse("relay.bank.test:587").port()).isEqualTo(587);
        assertThat(SmartHost.parse("[2001:db8::1]:2525").toString())
                .isEqualTo("[2001:db8::1]:2525");
        assertThat(SmartHost.parse("127.0.0.1:2525").host()).isEqualTo("127.0.0.1");
        for (String bad :
                List.of(
                        "",
                        "relay bank",
                        "relay.bank.test:0",
                        "relay.bank.test:65536",
                        "[::1",
                        "[x]:25",
                        "relay.bank.test:smtp")) {
            assertThatThrownBy(() -> SmartHost.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
