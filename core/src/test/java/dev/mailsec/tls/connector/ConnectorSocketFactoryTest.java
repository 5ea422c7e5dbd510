package dev.mailsec.tls.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;

class ConnectorSocketFactoryTest {

    private final SSLSocketFactory factory = (SSLSocketFactory) ConnectorSocketFactory.getDefault();

    @Test
    void aHostNobodyRegisteredOnAnUnboundThreadShouldGetNoTls() throws Exception {
        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        Thread thread =
                new Thread(
                        () -> {
                            try {
                                factory.createSocket(new Socket(), "mx.nobody.test", 25, true);
                            } catch (IOException | RuntimeException e) {
                                thrown.add(e);
                            }
                        });
        thread.start();
        thread.join();
        assertThat(thrown).hasSize(1);
        assertThat(thrown.get(0))
                .isInstanceOf(IOException.class)
                .hasMessage("no outbound connector trust is registered for mx.nobody.test:25");
    }

    @Test
    void aBoundThreadShouldAskItsConnectorForEveryHost() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Thread thread =
                new Thread(
                        () -> {
                            ConnectorSocketFactory.bindCurrentThread(
                                    host -> {
                                        asked.add(host);
                                        throw new IOException("connector trust asked for " + host);
                                    });
                            for (String host : List.of("mx1.partner.test", "MX2.partner.test")) {
                                try {
                                    factory.createSocket(new Socket(), host, 25, true);
                                } catch (IOException expected) {
                                    if (!expected.getMessage()
                                            .equals("connector trust asked for " + host)) {
                                        failures.add(expected);
                                    }
                                }
                            }
                        });
        thread.start();
        thread.join();
        assertThat(failures).isEmpty();
        assertThat(asked).containsExactly("mx1.partner.test", "MX2.partner.test");
    }
}
