package dev.mailsec.bench.tls;

import dev.mailsec.tls.connector.dane.DaneDns;
import dev.mailsec.tls.connector.dane.DanePki;
import dev.mailsec.tls.connector.dane.DanePolicies;
import dev.mailsec.tls.connector.dane.DanePolicy;
import dev.mailsec.tls.connector.dane.DaneVerifier;
import dev.mailsec.tls.connector.dane.TlsaRecord;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.Type;

/**
 * JMH: what the DANE decision adds per outbound message once the answers are cached (the steady
 * state: {@code DaneDns} keeps secure answers for their TTL). {@code decisionPerMessage} is {@link
 * DanePolicies#resolve} for a domain with two secure MX hosts, each with a secure TLSA record,
 * answered from the cache, plus the hosts delivery may use; {@code tlsaCheckPerConnection} is the
 * certificate check a DANE-EE(3) SPKI SHA2-256 record adds to each TLS handshake. The answers come
 * once, at setup, from a small loopback responder that sets the AD bit (as a validating resolver on
 * loopback would).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DaneDecisionBench {

    private DatagramSocket socket;
    private Thread responder;
    private DanePolicies policies;
    private List<X509Certificate> chain;
    private List<TlsaRecord> records;

    @Setup
    public void setUp() throws Exception {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        responder = new Thread(this::answer, "dane-bench-dns");
        responder.setDaemon(true);
        responder.start();
        DanePki.Issued server = DanePki.selfSigned("mx1.example.com");
        chain = List.of(server.certificate);
        records = List.of(TlsaRecord.of(3, 1, 1, server.certificate));
        policies =
                new DanePolicies(
                        DaneDns.trustedResolver(
                                new InetSocketAddress(
                                        InetAddress.getLoopbackAddress(), socket.getLocalPort()),
                                Set.of()));
        DanePolicy first = policies.resolve("example.com");
        if (first.kind() != DanePolicy.Kind.DANE || first.deliverableHosts().size() != 2) {
            throw new IllegalStateException("unexpected decision: " + first.describe());
        }
        socket.close(); // from now on every answer must come from the cache
        if (policies.resolve("example.com").kind() != DanePolicy.Kind.DANE) {
            throw new IllegalStateException("the answers are not cached");
        }
    }

    @TearDown
    public void tearDown() {
        socket.close();
    }

    private void answer() {
        byte[] buffer = new byte[1500];
        try {
            while (true) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                Message query = new Message(Arrays.copyOf(buffer, packet.getLength()));
                Message response = new Message(query.getHeader().getID());
                response.getHeader().setFlag(Flags.QR);
                response.getHeader().setFlag(Flags.AD);
                Record question = query.getQuestion();
                response.addRecord(question, Section.QUESTION);
                Name name = question.getName();
                if (question.getType() == Type.MX) {
                    response.addRecord(
                            new MXRecord(name, DClass.IN, 3600, 10, Name.fromString("mx1." + name)),
                            Section.ANSWER);
                    response.addRecord(
                            new MXRecord(name, DClass.IN, 3600, 20, Name.fromString("mx2." + name)),
                            Section.ANSWER);
                } else if (question.getType() == Type.TLSA) {
                    TlsaRecord tlsa = records.get(0);
                    response.addRecord(
                            new TLSARecord(
                                    name,
                                    DClass.IN,
                                    3600,
                                    tlsa.usage(),
                                    tlsa.selector(),
                                    tlsa.matchingType(),
                                    hex(tlsa.toString().split(" ")[3])),
                            Section.ANSWER);
                }
                byte[] wire = response.toWire();
                socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            }
        } catch (Exception closed) {
            // the socket was closed after setup
        }
    }

    private static byte[] hex(String text) {
        byte[] bytes = new byte[text.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }

    @Benchmark
    public int decisionPerMessage() {
        DanePolicy policy = policies.resolve("example.com");
        return policy.kind() == DanePolicy.Kind.DANE ? policy.deliverableHosts().size() : -1;
    }

    @Benchmark
    public boolean tlsaCheckPerConnection() {
        return DaneVerifier.check(chain, records, List.of("mx1.example.com"), new Date()).matched();
    }
}
