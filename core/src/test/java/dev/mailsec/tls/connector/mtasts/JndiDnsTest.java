package dev.mailsec.tls.connector.mtasts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.testsupport.Dnsmasq;
import dev.mailsec.tls.connector.MxLookup;
import dev.mailsec.tls.connector.SmartHost;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.naming.NamingException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MX and TXT lookups through the JDK's DNS provider against a real DNS server on loopback: dnsmasq
 * (Debian package dnsmasq-base), serving only the records below.
 */
class JndiDnsTest {

    private static Dnsmasq dnsmasq;
    private static int port;

    @BeforeAll
    static void startDnsmasq(@TempDir Path dir) throws Exception {
        dnsmasq =
                Dnsmasq.start(
                        dir,
                        "--local=/partner.test/",
                        "--local=/nomx.test/",
                        "--address=/nomx.test/127.0.0.1",
                        "--mx-host=partner.test,mx2.partner.test,20",
                        "--mx-host=partner.test,mx1.partner.test,10",
                        "--txt-record=_mta-sts.partner.test,v=STSv1; id=20261123;",
                        "--txt-record=_mta-sts.split.partner.test,v=STSv1; ,id=7;");
        port = dnsmasq.port();
    }

    @AfterAll
    static void stopDnsmasq() throws Exception {
        if (dnsmasq != null) {
            dnsmasq.close();
        }
    }

    private static Optional<String> server() {
        return Optional.of("127.0.0.1:" + port);
    }

    @Test
    void mxLookupShouldOrderHostsByPreference() throws Exception {
        List<SmartHost> hosts = new MxLookup(server()).hostsFor("partner.test");

        assertThat(hosts)
                .extracting(Object::toString)
                .containsExactly("mx1.partner.test:25", "mx2.partner.test:25");
    }

    @Test
    void mxLookupShouldFallBackToTheDomainWithoutMx() throws Exception {
        assertThat(new MxLookup(server()).hostsFor("nomx.test"))
                .extracting(Object::toString)
                .containsExactly("nomx.test:25");
    }

    @Test
    void mxLookupShouldFailForAMissingDomain() {
        assertThatThrownBy(() -> new MxLookup(server()).hostsFor("missing.partner.test"))
                .isInstanceOf(NamingException.class);
    }

    @Test
    void txtLookupShouldReturnTheRecordWithItsStringsJoined() throws Exception {
        JndiTxtLookup lookup = new JndiTxtLookup(server());

        assertThat(lookup.txt("_mta-sts.partner.test")).containsExactly("v=STSv1; id=20261123;");
        assertThat(lookup.txt("_mta-sts.split.partner.test")).containsExactly("v=STSv1; id=7;");
        assertThat(lookup.txt("_mta-sts.missing.partner.test")).isEmpty();
        assertThat(
                        MtaStsRecord.parse(lookup.txt("_mta-sts.split.partner.test").get(0))
                                .map(MtaStsRecord::id))
                .contains("7");
    }
}
