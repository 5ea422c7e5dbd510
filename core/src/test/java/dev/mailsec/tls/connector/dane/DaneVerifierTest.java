package dev.mailsec.tls.connector.dane;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

class DaneVerifierTest {

    private static final DanePki PKI = new DanePki();
    private static final List<String> NAMES = List.of("mx.partner.test", "partner.test");
    private static final Date NOW = new Date();

    private final X509Certificate leaf = PKI.server("mx.partner.test").certificate;
    private final List<X509Certificate> chain = List.of(leaf, PKI.intermediate, PKI.root);

    @Test
    void daneEeShouldMatchTheServerKeyWhateverItsNameAndDates() {
        X509Certificate expired = PKI.server("other.example", -20, -10).certificate;

        DaneVerifier.Result result =
                DaneVerifier.check(
                        List.of(expired), List.of(TlsaRecord.of(3, 1, 1, expired)), NAMES, NOW);

        assertThat(result.matched()).isTrue();
        assertThat(result.text()).isEqualTo("DANE-EE(3) SPKI(1) SHA2-256(1) matched");
    }

    @Test
    void daneEeShouldFailForAnotherCertificate() {
        X509Certificate other = DanePki.selfSigned("mx.partner.test").certificate;

        DaneVerifier.Result result =
                DaneVerifier.check(chain, List.of(TlsaRecord.of(3, 0, 2, other)), NAMES, NOW);

        assertThat(result.matched()).isFalse();
        assertThat(result.text()).isEqualTo("no TLSA record matched the server's certificates");
    }

    @Test
    void daneTaShouldMatchAnIssuerInTheChainAndTheMxName() {
        for (X509Certificate anchor : List.of(PKI.intermediate, PKI.root)) {
            DaneVerifier.Result result =
                    DaneVerifier.check(chain, List.of(TlsaRecord.of(2, 0, 1, anchor)), NAMES, NOW);

            assertThat(result.matched()).as(anchor.toString()).isTrue();
            assertThat(result.text())
                    .isEqualTo(
                            "DANE-TA(2) Cert(0) SHA2-256(1) matched, certificate for DNS:mx.partner.test");
        }
    }

    @Test
    void daneTaShouldAcceptTheRecipientDomainAsName() {
        X509Certificate domainCert = PKI.server("partner.test").certificate;

        DaneVerifier.Result result =
                DaneVerifier.check(
                        List.of(domainCert, PKI.intermediate),
                        List.of(TlsaRecord.of(2, 1, 1, PKI.intermediate)),
                        NAMES,
                        NOW);

        assertThat(result.matched()).isTrue();
    }

    @Test
    void daneTaShouldRefuseACertificateForAnotherName() {
        List<X509Certificate> wrongName =
                List.of(PKI.server("mx.elsewhere.test").certificate, PKI.intermediate);

        DaneVerifier.Result result =
                DaneVerifier.check(
                        wrongName, List.of(TlsaRecord.of(2, 1, 1, PKI.intermediate)), NAMES, NOW);

        assertThat(result.matched()).isFalse();
        assertThat(result.text()).contains("not issued for mx.partner.test or partner.test");
    }

    @Test
    void daneTaShouldRefuseAnExpiredServerCertificate() {
        List<X509Certificate> expired =
                List.of(PKI.server("mx.partner.test", -20, -1).certificate, PKI.intermediate);

        DaneVerifier.Result result =
                DaneVerifier.check(
                        expired, List.of(TlsaRecord.of(2, 1, 1, PKI.intermediate)), NAMES, NOW);

        assertThat(result.matched()).isFalse();
        assertThat(result.text()).contains("the chain does not validate");
    }

    @Test
    void daneTaShouldRefuseAChainWhoseAnchorDidNotIssueTheServerCertificate() {
        DanePki otherPki = new DanePki();
        List<X509Certificate> forged = List.of(leaf, otherPki.intermediate);

        DaneVerifier.Result result =
                DaneVerifier.check(
                        forged, List.of(TlsaRecord.of(2, 1, 1, otherPki.intermediate)), NAMES, NOW);

        assertThat(result.matched()).isFalse();
        assertThat(result.text()).contains("the chain does not validate");
    }

    @Test
    void daneTaShouldNotMatchTheServerCertificateItself() {
        DaneVerifier.Result result =
                DaneVerifier.check(chain, List.of(TlsaRecord.of(2, 1, 1, leaf)), NAMES, NOW);

        assertThat(result.matched()).isFalse();
    }

    @Test
    void pkixUsagesShouldNeverMatch() {
        DaneVerifier.Result result =
                DaneVerifier.check(
                        chain,
                        List.of(TlsaRecord.of(1, 1, 1, leaf), TlsaRecord.of(0, 1, 1, PKI.root)),
                        NAMES,
                        NOW);

        assertThat(result.matched()).isFalse();
        assertThat(result.text()).isEqualTo("no usable TLSA record");
    }

    @Test
    void anyMatchingRecordOfTheSetShouldDo() {
        X509Certificate other = DanePki.selfSigned("mx.partner.test").certificate;

        DaneVerifier.Result result =
                DaneVerifier.check(
                        chain,
                        List.of(TlsaRecord.of(3, 1, 1, other), TlsaRecord.of(3, 1, 2, leaf)),
                        NAMES,
                        NOW);

        assertThat(result.matched()).isTrue();
    }
}
