package dev.mailsec.it.harness;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.apache.james.protocols.lib.netty.AbstractConfigurableAsyncServer;
import org.apache.james.smtpserver.netty.SMTPServerFactory;
import org.apache.james.utils.GuiceProbe;

/**
 * Reads back the port of every SMTP server, in the order of {@code smtpserver.xml} (James's own
 * {@code SmtpGuiceProbe} only finds the first server of a kind).
 */
public class ServerPortsProbe implements GuiceProbe {

    private final SMTPServerFactory smtpServerFactory;

    @Inject
    public ServerPortsProbe(SMTPServerFactory smtpServerFactory) {
        this.smtpServerFactory = smtpServerFactory;
    }

    public List<Integer> smtpPorts() {
        return smtpServerFactory.getServers().stream()
                .map(ServerPortsProbe::port)
                .collect(Collectors.toList());
    }

    private static int port(AbstractConfigurableAsyncServer server) {
        List<InetSocketAddress> addresses = server.getListenAddresses();
        if (addresses.isEmpty()) {
            throw new IllegalStateException("SMTP server " + server + " is not bound");
        }
        return addresses.get(0).getPort();
    }
}
