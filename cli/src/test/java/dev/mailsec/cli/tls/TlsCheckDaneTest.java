package dev.mailsec.cli.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.cli.MailsecCommand;
import dev.mailsec.testsupport.SignedDns;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tls check DOMAIN} through a {@code dane} connector, against a real signed zone (Knot
 * serving it, unbound validating it). The MX host names do not resolve to an address, so nothing is
 * probed: what is checked is the DANE decision printed before any connection.
 */
class TlsCheckDaneTest {

    private static SignedDns dns;
    private static Path connectors;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        dns =
                new SignedDns(dir, "dane.test")
                        .records(
                                "good MX 10 mx.good",
                                "_25._tcp.mx.good TLSA 3 1 1 " + "ab".repeat(32),
                                "bogus MX 10 mx.bogus",
                                "_25._tcp.mx.bogus TLSA 3 1 1 " + "11".repeat(32))
                        .bogus("3 1 1 " + "11".repeat(32), "3 1 1 " + "22".repeat(32))
                        .insecureChild("plain", "@ MX 10 mx")
                        .start();
        connectors = dir.resolve("connectors.xml");
        Files.writeString(
                connectors,
                "<connectors>\n"
                        + "  <dane resolver=\"127.0.0.1:"
                        + dns.resolverPort()
                        + "\"/>\n"
                        + "  <outbound name=\"default\">\n"
                        + "    <recipientDomain>*</recipientDomain>\n"
                        + "    <tls level=\"dane\" fallback=\"required\"/>\n"
                        + "  </outbound>\n"
                        + "</connectors>\n");
    }

    @AfterAll
    static void stop() throws Exception {
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void aSignedDomainWithTlsaShouldBeDeliveredOnlyToItsTlsaHosts() {
        int code = check("good.dane.test");

        assertThat(out.toString())
                .contains("connector:   default (dane: where the recipient domain's MX records")
                .contains(
                        "dane:        DANE applies to good.dane.test: only TLS authenticated by TLSA, never clear text")
                .contains(
                        "             mx.good.dane.test: TLS required, authenticated by 1 TLSA record")
                .contains("host:        mx.good.dane.test:25")
                .contains("decision:    mail would wait: no MX host with TLSA records answered");
        assertThat(code).isEqualTo(1);
    }

    @Test
    void aBogusTlsaShouldHoldTheMail() {
        int code = check("bogus.dane.test");

        assertThat(out.toString())
                .contains("dane:        DANE holds mail to bogus.dane.test: no MX host's TLSA")
                .contains("decision:    mail would wait (never sent in clear nor by another level)")
                .doesNotContain("host:");
        assertThat(code).isEqualTo(1);
    }

    @Test
    void anUnsignedDomainShouldGetTheFallbackLevel() {
        int code = check("plain.dane.test", "--dns-server", "127.0.0.1:" + dns.resolverPort());

        assertThat(out.toString())
                .contains(
                        "dane:        DANE does not apply to plain.dane.test: its MX records are not DNSSEC-signed")
                .contains("host:        mx.plain.dane.test:25");
        assertThat(code).isEqualTo(1);
    }

    private int check(String domain, String... more) {
        String[] args = new String[6 + more.length];
        args[0] = "tls";
        args[1] = "--connectors";
        args[2] = connectors.toString();
        args[3] = "check";
        args[4] = domain;
        args[5] = "--no-mta-sts";
        System.arraycopy(more, 0, args, 6, more.length);
        CommandLine cl = newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private static CommandLine newCommandLine() {
        try {
            Method factory = MailsecCommand.class.getDeclaredMethod("newCommandLine");
            factory.setAccessible(true);
            return (CommandLine) factory.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
