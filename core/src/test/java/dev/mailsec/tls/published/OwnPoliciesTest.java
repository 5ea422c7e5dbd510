package dev.mailsec.tls.published;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.config.ConfigException;
import dev.mailsec.testsupport.PemPki;
import dev.mailsec.tls.connector.mtasts.MtaStsPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnPoliciesTest {

    @TempDir static Path dir;
    static Path[] credential;

    @BeforeAll
    static void certificate() throws Exception {
        PemPki pki = new PemPki("policies test CA");
        credential =
                pki.write(
                        pki.server(Duration.ofDays(30), "mta-sts.a.test", "mta-sts.b.test"),
                        dir,
                        "web");
    }

    private static Path file(String domains) throws Exception {
        Path file = Files.createTempFile(dir, "mta-sts", ".xml");
        Files.writeString(
                file,
                "<mta-sts bind=\"127.0.0.1\" port=\"8443\">\n"
                        + "  <certificate chain=\""
                        + credential[0]
                        + "\" key=\""
                        + credential[1]
                        + "\"/>\n"
                        + domains
                        + "</mta-sts>\n");
        return file;
    }

    @Test
    void loadShouldReadPoliciesTlsRptAndServerAddress() throws Exception {
        OwnPolicies policies =
                OwnPolicies.load(
                        file(
                                "<domain name=\"A.test\" mode=\"enforce\" maxAge=\"86400\" tlsrpt=\"mailto:tlsrpt@a.test\">"
                                        + "<mx>mx1.a.test</mx><mx>*.mx.a.test</mx></domain>"
                                        + "<domain name=\"b.test\" mode=\"none\"/>"));

        assertThat(policies.bind()).isEqualTo("127.0.0.1");
        assertThat(policies.port()).isEqualTo(8443);
        OwnPolicy a = policies.policies().get("a.test");
        assertThat(a.text())
                .isEqualTo(
                        "version: STSv1\r\nmode: enforce\r\nmx: mx1.a.test\r\nmx: *.mx.a.test\r\nmax_age: 86400\r\n");
        assertThat(policies.policies().get("b.test").mode()).isEqualTo(MtaStsPolicy.Mode.NONE);
        assertThat(policies.policies().get("b.test").maxAgeSeconds())
                .isEqualTo(OwnPolicies.DEFAULT_MAX_AGE);
        assertThat(policies.tlsRpt("a.test")).contains("mailto:tlsrpt@a.test");
        assertThat(policies.tlsRpt("b.test")).isEmpty();
    }

    @Test
    void idShouldFollowThePolicyContent() {
        OwnPolicy one =
                OwnPolicy.of("a.test", MtaStsPolicy.Mode.TESTING, List.of("mx.a.test"), 600);
        OwnPolicy same =
                OwnPolicy.of("a.test", MtaStsPolicy.Mode.TESTING, List.of("mx.a.test"), 600);
        OwnPolicy enforced =
                OwnPolicy.of("a.test", MtaStsPolicy.Mode.ENFORCE, List.of("mx.a.test"), 600);

        assertThat(one.id()).isEqualTo(same.id()).matches("[0-9a-f]{32}");
        assertThat(enforced.id()).isNotEqualTo(one.id());
        assertThat(OwnPolicy.idOf(enforced.text())).isEqualTo(enforced.id());
    }

    @Test
    void loadShouldNameTheParameterAndTheBadValue() {
        assertThatThrownBy(
                        () ->
                                OwnPolicies.load(
                                        file(
                                                "<domain name=\"a.test\" mode=\"strict\"><mx>mx.a.test</mx></domain>")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("domain[a.test] mode")
                .hasMessageContaining("got 'strict'");
        assertThatThrownBy(
                        () ->
                                OwnPolicies.load(
                                        file(
                                                "<domain name=\"a.test\" maxAge=\"31557601\"><mx>mx.a.test</mx></domain>")))
                .hasMessageContaining("domain[a.test] maxAge")
                .hasMessageContaining("got '31557601'");
        assertThatThrownBy(
                        () ->
                                OwnPolicies.load(
                                        file(
                                                "<domain name=\"a.test\"><mx>mx..a.test</mx></domain>")))
                .hasMessageContaining("domain[a.test] mx")
                .hasMessageContaining("got 'mx..a.test'");
        assertThatThrownBy(
                        () -> OwnPolicies.load(file("<domain name=\"a.test\" mode=\"enforce\"/>")))
                .hasMessageContaining("needs at least one <mx>");
        assertThatThrownBy(() -> OwnPolicies.load(file("<domain name=\"a.test\" mod=\"none\"/>")))
                .hasMessageContaining("domain mod")
                .hasMessageContaining("unknown attribute");
        assertThatThrownBy(
                        () ->
                                OwnPolicies.load(
                                        file(
                                                "<domain name=\"a.test\" tlsrpt=\"tlsrpt@a.test\"><mx>m.a.test</mx></domain>")))
                .hasMessageContaining("domain[a.test] tlsrpt")
                .hasMessageContaining("got 'tlsrpt@a.test'");
    }

    @Test
    void loadShouldRefuseADomainNoCertificateCovers() {
        assertThatThrownBy(() -> OwnPolicies.load(file("<domain name=\"c.test\" mode=\"none\"/>")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("domain[c.test]")
                .hasMessageContaining(
                        "no <certificate> is issued for this name, got 'mta-sts.c.test'");
    }

    @Test
    void loadShouldRefuseAKeyOfAnotherCertificate() throws Exception {
        PemPki other = new PemPki("other CA");
        Path[] stranger =
                other.write(other.server(Duration.ofDays(3), "mta-sts.a.test"), dir, "stranger");
        Path file = dir.resolve("mixed.xml");
        Files.writeString(
                file,
                "<mta-sts><certificate chain=\""
                        + credential[0]
                        + "\" key=\""
                        + stranger[1]
                        + "\"/>"
                        + "<domain name=\"a.test\" mode=\"none\"/></mta-sts>");

        assertThatThrownBy(() -> OwnPolicies.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("certificate chain")
                .hasMessageContaining("is not the key of the certificate");
    }
}
