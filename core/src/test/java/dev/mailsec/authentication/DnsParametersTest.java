package dev.mailsec.authentication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.config.ConfigException;
import dev.mailsec.config.Parameters;
import dev.mailsec.dkim.DnsKeyRecordSource;
import dev.mailsec.spf.DnsjavaSpfDns;
import dev.mailsec.spf.SpfDns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one reader of the DNS parameters of the authentication steps. */
class DnsParametersTest {

    @TempDir Path tmp;

    private static Parameters params(String... pairs) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return Parameters.of("VerifyX", m::get);
    }

    @Test
    void aZoneFileServesBothTxtAndSpfQuestions() throws Exception {
        Path zone = tmp.resolve("z.zone");
        Files.writeString(
                zone,
                "_dmarc.shop.example. IN TXT \"v=DMARC1; p=reject\"\n"
                        + "shop.example. IN TXT \"v=spf1 -all\"\n");

        DnsParameters dns = DnsParameters.read("VerifyX", params("zoneFile", zone.toString()));

        assertThat(dns.txt().lookup("_dmarc.shop.example").records())
                .containsExactly("v=DMARC1; p=reject");
        assertThat(dns.spf().query("shop.example", SpfDns.Type.TXT).data())
                .containsExactly("v=spf1 -all");
    }

    @Test
    void withoutAZoneFileTheSourcesAskDns() {
        DnsParameters dns =
                DnsParameters.read(
                        "VerifyX",
                        params(
                                "dnsServers",
                                "127.0.0.1:5353, [::1]:53",
                                "dnsTimeoutMillis",
                                "800"));

        assertThat(dns.txt()).isInstanceOf(DnsKeyRecordSource.class);
        assertThat(dns.spf()).isInstanceOf(DnsjavaSpfDns.class);
    }

    @Test
    void aBadValueFailsNamingTheOwnerTheParameterAndTheValue() {
        assertThatThrownBy(() -> DnsParameters.read("VerifyX", params("dnsServers", "ns.example")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("VerifyX: dnsServers: must be IP addresses, got 'ns.example'");
        assertThatThrownBy(
                        () -> DnsParameters.read("VerifyX", params("dnsTimeoutMillis", "120000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("VerifyX: dnsTimeoutMillis: ")
                .hasMessageContaining("120000");
        assertThatThrownBy(() -> DnsParameters.read("VerifyX", params("dnsCacheSize", "-1")))
                .hasMessageStartingWith("VerifyX: dnsCacheSize: ")
                .hasMessageContaining("-1");
        assertThatThrownBy(
                        () ->
                                DnsParameters.read(
                                        "VerifyX",
                                        params("zoneFile", "/z.zone", "dnsServers", "10.0.0.1")))
                .hasMessage(
                        "VerifyX: dnsServers: cannot be combined with zoneFile, got '10.0.0.1'");
        DnsParameters missing =
                DnsParameters.read("VerifyX", params("zoneFile", "/nonexistent/z.zone"));
        assertThatThrownBy(missing::txt)
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("VerifyX: zoneFile: cannot read '/nonexistent/z.zone': ");
        assertThatThrownBy(missing::spf)
                .hasMessageStartingWith("VerifyX: zoneFile: cannot read '/nonexistent/z.zone': ");
    }
}
