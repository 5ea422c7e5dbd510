package dev.mailsec.matchers.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.Matcher;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectorIsTest {

    static final String CONNECTORS =
            "<connectors>"
                    + "<inbound name=\"partner\"><senderDomain>partner.test</senderDomain><requires tls=\"true\"/></inbound>"
                    + "<inbound name=\"partner-eu\"><senderDomain>partner.eu</senderDomain><requires tls=\"true\"/></inbound>"
                    + "<outbound name=\"bank-mx\"><recipientDomain>mx.bank.test</recipientDomain><tls level=\"required\"/></outbound>"
                    + "<outbound name=\"bank\"><recipientDomain>bank.test</recipientDomain><recipientDomain>*.bank.test</recipientDomain>"
                    + "<tls level=\"verify\"/></outbound>"
                    + "</connectors>";

    @TempDir Path dir;

    @Test
    void connectorIsShouldMatchOnlyTheNamedConnector() throws Exception {
        Matcher matcher = init(new ConnectorIs(), "partner," + write());
        Mail covered = FakeMail.builder().name("m").recipient("bob@mailsec.test").build();
        covered.setAttribute(
                new Attribute(
                        AttributeName.of("dev.mailsec.tls.connector.inbound"),
                        AttributeValue.of("partner")));
        Mail other = FakeMail.builder().name("m").recipient("bob@mailsec.test").build();
        other.setAttribute(
                new Attribute(
                        AttributeName.of("dev.mailsec.tls.connector.inbound"),
                        AttributeValue.of("partner2")));
        Mail none = FakeMail.builder().name("m").recipient("bob@mailsec.test").build();

        assertThat(matcher.match(covered)).containsExactly(new MailAddress("bob@mailsec.test"));
        assertThat(matcher.match(other)).isEmpty();
        assertThat(matcher.match(none)).isNotNull().isEmpty();
    }

    @Test
    void connectorIsShouldRequireAName() {
        assertThatThrownBy(() -> init(new ConnectorIs(), ""))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("got ''");
        assertThatThrownBy(() -> init(new ConnectorIs(), ",x.xml"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("got ',x.xml'");
    }

    @Test
    void connectorIsShouldFailOnANameTheConnectorsFileDoesNotDefine() throws Exception {
        Path file = write();
        assertThatThrownBy(() -> init(new ConnectorIs(), "parnter," + file))
                .isInstanceOf(MessagingException.class)
                .hasMessage(
                        "ConnectorIs: no inbound connector 'parnter' in "
                                + file
                                + "; defined: partner, partner-eu");
        // an outbound connector's name is not an inbound one
        assertThatThrownBy(() -> init(new ConnectorIs(), "bank," + file))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("no inbound connector 'bank'");
        assertThatThrownBy(() -> init(new ConnectorIs(), "partner," + dir.resolve("x.xml")))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("x.xml: no such file");
    }

    @Test
    void connectorIsShouldReadConfConnectorsXmlInJamesWorkingDirectoryByDefault() throws Exception {
        Files.createDirectories(dir.resolve("conf"));
        Files.write(
                dir.resolve("conf/connectors.xml"), CONNECTORS.getBytes(StandardCharsets.UTF_8));
        String saved = System.getProperty("working.directory");
        System.setProperty("working.directory", dir.toString());
        try {
            init(new ConnectorIs(), "partner");
            assertThatThrownBy(() -> init(new ConnectorIs(), "Partner"))
                    .isInstanceOf(MessagingException.class)
                    .hasMessage(
                            "ConnectorIs: no inbound connector 'Partner' in file://conf/connectors.xml; defined: partner,"
                                    + " partner-eu");
        } finally {
            if (saved == null) {
                System.clearProperty("working.directory");
            } else {
                System.setProperty("working.directory", saved);
            }
        }
    }

    private Path write() throws Exception {
        return write(dir);
    }

    /** {@link #CONNECTORS} as {@code connectors.xml} in {@code dir}. */
    static Path write(Path dir) throws Exception {
        return Files.write(
                dir.resolve("connectors.xml"), CONNECTORS.getBytes(StandardCharsets.UTF_8));
    }

    static Matcher init(Matcher matcher, String condition) throws MessagingException {
        matcher.init(
                FakeMatcherConfig.builder()
                        .matcherName(matcher.getClass().getSimpleName())
                        .condition(condition)
                        .build());
        return matcher;
    }
}
