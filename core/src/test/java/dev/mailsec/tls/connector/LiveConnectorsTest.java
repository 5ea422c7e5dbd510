package dev.mailsec.tls.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mailsec.config.reload.ReloadAudit;
import dev.mailsec.config.reload.ReloadRefusedException;
import dev.mailsec.config.reload.ReloadableFile;
import dev.mailsec.config.reload.Snapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** connectors.xml as a reloadable file: what a reload may change, and the mail's generation. */
class LiveConnectorsTest {
    @TempDir Path dir;

    private static String file(String redDomain, String redLevel) {
        return "<connectors>\n"
                + "  <outbound name=\"red\"><recipientDomain>"
                + redDomain
                + "</recipientDomain><smartHost>127.0.0.1:2525</smartHost><tls level=\""
                + redLevel
                + "\"/></outbound>\n"
                + "  <outbound name=\"blue\"><recipientDomain>c.test</recipientDomain>"
                + "<smartHost>127.0.0.1:2526</smartHost><tls level=\"opportunistic\"/></outbound>\n"
                + "</connectors>\n";
    }

    @Test
    void coverageMayChangeButARunningConnectorsDeliverySettingsMayNot() throws Exception {
        Path path = Files.writeString(dir.resolve("connectors.xml"), file("a.test", "required"));
        ReloadableFile<Connectors> live = LiveConnectors.shared(path);

        Files.writeString(path, file("b.test", "required"));
        assertThat(live.reload("webadmin:ops", ReloadAudit.NONE).changes())
                .containsExactly("outbound connector 'red' changed");
        assertThat(live.current().value().outboundFor("b.test").map(OutboundConnector::name))
                .contains("red");

        Files.writeString(path, file("b.test", "opportunistic"));
        assertThatThrownBy(() -> live.reload("webadmin:ops", ReloadAudit.NONE))
                .isInstanceOf(ReloadRefusedException.class)
                .hasMessageContaining("outbound connector 'red' of " + live.file())
                .hasMessageContaining("restart James to change them");
        assertThat(live.current().generation()).isEqualTo(2);
    }

    @Test
    void anInvalidFileShouldBeRefusedWithConnectorsFilesOwnMessage() throws Exception {
        Path path = Files.writeString(dir.resolve("connectors.xml"), file("a.test", "required"));
        ReloadableFile<Connectors> live = LiveConnectors.shared(path);
        Files.writeString(path, file("a.test", "bogus"));
        Throwable atStart = catchThrowable(() -> ConnectorsFile.load(path));
        assertThat(atStart).isInstanceOf(InvalidConnectorsException.class);
        String start = atStart.getMessage();

        assertThatThrownBy(() -> live.reload("webadmin:ops", ReloadAudit.NONE)).hasMessage(start);
    }

    @Test
    void aMailShouldBeDecidedUnderTheGenerationStampedOnIt() throws Exception {
        Path path = Files.writeString(dir.resolve("connectors.xml"), file("a.test", "required"));
        ReloadableFile<Connectors> live = LiveConnectors.shared(path);
        String stamp = LiveConnectors.stamp(live, live.current());
        Files.writeString(path, file("b.test", "required"));
        live.reload("webadmin:ops", ReloadAudit.NONE);

        Snapshot<Connectors> routed = LiveConnectors.forStamp(live, Optional.of(stamp));
        assertThat(routed.generation()).isEqualTo(1);
        assertThat(routed.value().outboundFor("a.test")).isPresent();
        assertThat(LiveConnectors.forStamp(live, Optional.empty()).generation()).isEqualTo(2);
        assertThat(LiveConnectors.forStamp(live, Optional.of("1@/elsewhere.xml")).generation())
                .as("a stamp of another file")
                .isEqualTo(2);
        assertThat(LiveConnectors.forStamp(live, Optional.of("x@" + live.file())).generation())
                .isEqualTo(2);
    }
}
