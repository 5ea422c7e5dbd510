package dev.mailsec.bench.tls;

import dev.mailsec.tls.TlsFacts;
import dev.mailsec.tls.connector.Connectors;
import dev.mailsec.tls.connector.ConnectorsFile;
import dev.mailsec.tls.connector.InboundSession;
import dev.mailsec.tls.connector.InboundVerdict;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH: the work the inbound connector hook and mailet add per message, with 1 to 1000 connectors in
 * the file: choosing the covering connector and judging the session. The worst case is a mail no
 * connector covers (every connector is tried); the partner case stops at its connector, placed
 * last.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class InboundConnectorBench {

    @Param({"1", "10", "100", "1000"})
    public int connectors;

    private Connectors file;
    private byte[] xml;
    private InboundSession uncovered;
    private InboundSession partnerOverTls;
    private InboundSession partnerInClearAfterData;

    @Setup
    public void setUp() throws Exception {
        StringBuilder content = new StringBuilder("<connectors>");
        for (int i = 0; i < connectors; i++) {
            String domain = i == connectors - 1 ? "partner.test" : "partner" + i + ".test";
            content.append("<inbound name=\"c")
                    .append(i)
                    .append("\"><senderDomain>")
                    .append(domain)
                    .append("</senderDomain><senderDomain>*.")
                    .append(domain)
                    .append("</senderDomain><clientNetwork>10.")
                    .append(i % 250)
                    .append(
                            ".0.0/16</clientNetwork><requires minimumProtocol=\"TLSv1.2\"/></inbound>");
        }
        xml = content.append("</connectors>").toString().getBytes(StandardCharsets.UTF_8);
        file = ConnectorsFile.parse(xml, "bench.xml");
        Optional<TlsFacts> tls13 =
                Optional.of(
                        TlsFacts.of(
                                "TLSv1.3", "TLS_AES_256_GCM_SHA384", Optional.empty(), List.of()));
        Optional<InetAddress> client = Optional.of(InetAddress.getByName("198.51.100.7"));
        uncovered = InboundSession.atMailFrom(client, Optional.of("elsewhere.example"), tls13);
        partnerOverTls = InboundSession.atMailFrom(client, Optional.of("partner.test"), tls13);
        partnerInClearAfterData =
                InboundSession.afterData(
                        client,
                        Optional.of("bounces.mailer.example"),
                        List.of("news.partner.test"),
                        Optional.empty());
    }

    @Benchmark
    public InboundVerdict mailFromNotCovered() {
        return file.evaluate(uncovered);
    }

    @Benchmark
    public InboundVerdict mailFromPartnerCompliant() {
        return file.evaluate(partnerOverTls);
    }

    @Benchmark
    public InboundVerdict afterDataFromHeaderViolation() {
        return file.evaluate(partnerInClearAfterData);
    }

    /** Start-up cost, paid once per James start by each hook, matcher and mailet instance. */
    @Benchmark
    public Connectors parseFile() throws Exception {
        return ConnectorsFile.parse(xml, "bench.xml");
    }
}
