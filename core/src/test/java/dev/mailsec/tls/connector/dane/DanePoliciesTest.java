package dev.mailsec.tls.connector.dane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DanePoliciesTest {

    private static final TlsaRecord EE = new TlsaRecord(3, 1, 1, new byte[32]);
    private static final TlsaRecord PKIX_EE = new TlsaRecord(1, 1, 1, new byte[32]);

    /** Answers from maps; anything not in them fails the lookup. */
    private static final class FakeDns implements DnssecLookups {
        final Map<String, DnssecAnswer<String>> mx = new HashMap<>();
        final Map<String, DnssecAnswer<TlsaRecord>> tlsa = new HashMap<>();
        final Map<String, DnssecAddresses> addresses = new HashMap<>();
        final List<String> tlsaAsked = new ArrayList<>();

        @Override
        public DnssecAnswer<String> mx(String domain) {
            return mx.getOrDefault(domain, DnssecAnswer.failed(DnssecStatus.ERROR, "timeout"));
        }

        @Override
        public DnssecAnswer<TlsaRecord> tlsa(String host, int port) {
            assertThat(port).isEqualTo(25);
            tlsaAsked.add(host);
            return tlsa.getOrDefault(host, DnssecAnswer.failed(DnssecStatus.ERROR, "timeout"));
        }

        /** Hosts not in the map: the interface's default (not checked). */
        @Override
        public DnssecAddresses addresses(String host) {
            return addresses.getOrDefault(host, DnssecLookups.super.addresses(host));
        }
    }

    private final FakeDns dns = new FakeDns();
    private final DanePolicies policies = new DanePolicies(dns);

    @Test
    void secureMxAndSecureUsableTlsaShouldMakeDane() {
        dns.mx.put(
                "p.test",
                DnssecAnswer.of(DnssecStatus.SECURE, List.of("mx1.p.test", "mx2.p.test")));
        dns.tlsa.put("mx1.p.test", DnssecAnswer.of(DnssecStatus.SECURE, List.of(EE)));
        dns.tlsa.put("mx2.p.test", DnssecAnswer.of(DnssecStatus.SECURE, List.of()));

        DanePolicy policy = policies.resolve("p.test");

        assertThat(policy.kind()).isEqualTo(DanePolicy.Kind.DANE);
        assertThat(policy.deliverableHosts()).containsExactly("mx1.p.test");
        assertThat(policy.host("MX2.p.test").get().mode()).isEqualTo(DaneHost.Mode.NO_TLSA);
        assertThat(policy.describe())
                .startsWith("DANE applies to p.test: only TLS authenticated by TLSA");
    }

    @Test
    void insecureMxShouldLeaveTheDomainToTheFallback() {
        dns.mx.put("p.test", DnssecAnswer.of(DnssecStatus.INSECURE, List.of("mx.p.test")));
        dns.tlsa.put("mx.p.test", DnssecAnswer.of(DnssecStatus.SECURE, List.of(EE)));

        DanePolicy policy = policies.resolve("p.test");

        assertThat(policy.kind()).isEqualTo(DanePolicy.Kind.NOT_APPLICABLE);
        assertThat(policy.deliverableHosts()).isEmpty();
        assertThat(policy.reason()).isEqualTo("its MX records are not DNSSEC-signed");
    }

    @Test
    void bogusOrFailedMxShouldHold() {
        dns.mx.put("p.test", DnssecAnswer.failed(DnssecStatus.BOGUS, "signature expired"));

        assertThat(policies.resolve("p.test").kind()).isEqualTo(DanePolicy.Kind.HOLD);
        assertThat(policies.resolve("other.test").describe())
                .isEqualTo("DANE holds mail to other.test: MX lookup error: timeout");
    }

    @Test
    void aBogusTlsaHostShouldBeDroppedAndHoldWhenNoneIsLeft() {
        dns.mx.put(
                "p.test",
                DnssecAnswer.of(DnssecStatus.SECURE, List.of("mx1.p.test", "mx2.p.test")));
        dns.tlsa.put("mx1.p.test", DnssecAnswer.failed(DnssecStatus.BOGUS, "bad signature"));
        dns.tlsa.put("mx2.p.test", DnssecAnswer.of(DnssecStatus.SECURE, List.of(EE)));

        DanePolicy policy = policies.resolve("p.test");
        assertThat(policy.kind()).isEqualTo(DanePolicy.Kind.DANE);
        assertThat(policy.deliverableHosts()).containsExactly("mx2.p.test");

        dns.tlsa.put("mx2.p.test", DnssecAnswer.failed(DnssecStatus.ERROR, "timeout"));
        DanePolicy held = policies.resolve("p.test");
        assertThat(held.kind()).isEqualTo(DanePolicy.Kind.HOLD);
        assertThat(held.deliverableHosts()).isEmpty();
    }

    @Test
    void aBogusTlsaHostBesideHostsWithoutTlsaShouldNotMakeDaneButStayOutOfUse() {
        dns.mx.put(
                "p.test",
                DnssecAnswer.of(DnssecStatus.SECURE, List.of("mx1.p.test", "mx2.p.test")));
        dns.tlsa.put("mx1.p.test", DnssecAnswer.failed(DnssecStatus.BOGUS, "bad signature"));
        dns.tlsa.put("mx2.p.test", DnssecAnswer.of(DnssecStatus.SECURE, List.of()));

        DanePolicy policy = policies.resolve("p.test");

        assertThat(policy.kind()).isEqualTo(DanePolicy.Kind.NOT_APPLICABLE);
        assertThat(policy.host("mx1.p.test").get().mode()).isEqualTo(DaneHost.Mode.UNUSABLE);
    }

    @Test
    void onlyUnusableTlsaRecordsShouldStillRequireTls() {
        dns.mx.put("p.test", DnssecAnswer.of(DnssecStatus.SECURE, List.of()));
        dns.tlsa.put("p.test", DnssecAnswer.of(DnssecStatus.SECURE, List.of(PKIX_EE)));

        DanePolicy policy = policies.resolve("p.test");

        assertThat(policy.kind()).isEqualTo(DanePolicy.Kind.DANE);
        assertThat(policy.host("p.test").get().mode()).isEqualTo(DaneHost.Mode.ENCRYPTED);
        assertThat(policy.deliverableHosts()).containsExactly("p.test");
    }

    @Test
    void insecureTlsaShouldNotCount() {
        dns.mx.put("p.test", DnssecAnswer.of(DnssecStatus.SECURE, List.of("mx.other.test")));
        dns.tlsa.put("mx.other.test", DnssecAnswer.of(DnssecStatus.INSECURE, List.of(EE)));

        assertThat(policies.resolve("p.test").kind()).isEqualTo(DanePolicy.Kind.NOT_APPLICABLE);
    }

    @Test
    void insecureAddressRecordsShouldKeepDaneAwayFromTheHostWithoutAskingForTlsa() {
        dns.mx.put("p.test", DnssecAnswer.of(DnssecStatus.SECURE, List.of("mx.p.test")));
        dns.addresses.put(
                "mx.p.test",
                DnssecAddresses.of(
                        DnssecStatus.INSECURE, "mx.p.test", "mx.p.test", List.of("192.0.2.1")));
        dns.tlsa.put("mx.p.test", DnssecAnswer.of(DnssecStatus.SECURE, List.of(EE)));

        DanePolicy policy = policies.resolve("p.test");

        assertThat(policy.kind()).isEqualTo(DanePolicy.Kind.NOT_APPLICABLE);
        DaneHost host = policy.host("mx.p.test").get();
        assertThat(host.mode()).isEqualTo(DaneHost.Mode.NO_TLSA);
        assertThat(host.note()).isEqualTo("its address records are not DNSSEC-signed");
        assertThat(host.toString()).contains("DANE not used");
        assertThat(dns.tlsaAsked).isEmpty();
    }

    @Test
    void bogusAddressRecordsShouldMakeTheHostUnusable() {
        dns.mx.put("p.test", DnssecAnswer.of(DnssecStatus.SECURE, List.of("mx.p.test")));
        dns.addresses.put(
                "mx.p.test",
                DnssecAddresses.failed(DnssecStatus.BOGUS, "mx.p.test", "RRSIG expired"));
        dns.tlsa.put("mx.p.test", DnssecAnswer.of(DnssecStatus.SECURE, List.of(EE)));

        DanePolicy policy = policies.resolve("p.test");

        assertThat(policy.kind()).isEqualTo(DanePolicy.Kind.HOLD);
        assertThat(policy.host("mx.p.test").get().mode()).isEqualTo(DaneHost.Mode.UNUSABLE);
        assertThat(policy.host("mx.p.test").get().reason())
                .isEqualTo("address lookup bogus: RRSIG expired");
    }

    @Test
    void aSecureAliasShouldTakeTheTlsaRecordsOfItsExpandedNameFirst() {
        dns.mx.put("p.test", DnssecAnswer.of(DnssecStatus.SECURE, List.of("mx.p.test")));
        dns.addresses.put(
                "mx.p.test",
                DnssecAddresses.of(
                        DnssecStatus.SECURE,
                        "mx.p.test",
                        "smtp.hoster.test",
                        List.of("192.0.2.1")));
        dns.tlsa.put("smtp.hoster.test", DnssecAnswer.of(DnssecStatus.SECURE, List.of(EE)));
        dns.tlsa.put("mx.p.test", DnssecAnswer.of(DnssecStatus.SECURE, List.of(PKIX_EE)));

        DaneHost host = policies.resolve("p.test").host("mx.p.test").get();

        assertThat(host.mode()).isEqualTo(DaneHost.Mode.AUTHENTICATED);
        assertThat(host.tlsaBase()).isEqualTo("smtp.hoster.test");
        assertThat(host.records()).containsExactly(EE);
        assertThat(host.referenceNames()).containsExactly("mx.p.test", "smtp.hoster.test");
        assertThat(dns.tlsaAsked).containsExactly("smtp.hoster.test");
    }

    @Test
    void anAliasWithoutTlsaAtItsExpandedNameShouldTryTheOriginalName() {
        dns.mx.put("p.test", DnssecAnswer.of(DnssecStatus.SECURE, List.of("mx.p.test")));
        dns.addresses.put(
                "mx.p.test",
                DnssecAddresses.of(
                        DnssecStatus.SECURE,
                        "mx.p.test",
                        "smtp.hoster.test",
                        List.of("192.0.2.1")));
        dns.tlsa.put("smtp.hoster.test", DnssecAnswer.of(DnssecStatus.SECURE, List.of()));
        dns.tlsa.put("mx.p.test", DnssecAnswer.of(DnssecStatus.SECURE, List.of(EE)));

        DaneHost host = policies.resolve("p.test").host("mx.p.test").get();

        assertThat(host.mode()).isEqualTo(DaneHost.Mode.AUTHENTICATED);
        assertThat(host.tlsaBase()).isEqualTo("mx.p.test");
        assertThat(host.referenceNames()).containsExactly("mx.p.test");
        assertThat(dns.tlsaAsked).containsExactly("smtp.hoster.test", "mx.p.test");
    }

    @Test
    void aBogusTlsaAnswerAtTheExpandedNameShouldNotFallBackToTheOriginalName() {
        dns.mx.put("p.test", DnssecAnswer.of(DnssecStatus.SECURE, List.of("mx.p.test")));
        dns.addresses.put(
                "mx.p.test",
                DnssecAddresses.of(
                        DnssecStatus.SECURE,
                        "mx.p.test",
                        "smtp.hoster.test",
                        List.of("192.0.2.1")));
        dns.tlsa.put("smtp.hoster.test", DnssecAnswer.failed(DnssecStatus.BOGUS, "bad signature"));
        dns.tlsa.put("mx.p.test", DnssecAnswer.of(DnssecStatus.SECURE, List.of()));

        DanePolicy policy = policies.resolve("p.test");

        assertThat(policy.kind()).isEqualTo(DanePolicy.Kind.HOLD);
        assertThat(policy.host("mx.p.test").get().mode()).isEqualTo(DaneHost.Mode.UNUSABLE);
    }
}
