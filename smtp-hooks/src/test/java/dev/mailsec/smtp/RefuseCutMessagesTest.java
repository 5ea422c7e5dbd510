package dev.mailsec.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.io.StringReader;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.configuration2.XMLConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.io.FileHandler;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.Test;

class RefuseCutMessagesTest {

    @Test
    void aLineTheDecoderDropsShouldMakeTheTransactionsMessageRefused() throws Exception {
        Map<ProtocolSession.AttachmentKey<?>, Object> transaction = new HashMap<>();
        SMTPSession session = session(transaction);
        // James's decoder, as it is configured (maximum, keep the delimiter, not fail-fast), with a
        // small maximum
        EmbeddedChannel channel =
                new EmbeddedChannel(
                        new LineBasedFrameDecoder(16, false, false),
                        new RefuseCutMessages.Watcher(session));

        channel.writeInbound(Unpooled.copiedBuffer("short line\r\n", StandardCharsets.US_ASCII));
        assertThat(transaction).isEmpty();
        assertThatThrownBy(
                        () ->
                                channel.writeInbound(
                                        Unpooled.copiedBuffer(
                                                "a line longer than sixteen bytes\r\n",
                                                StandardCharsets.US_ASCII)))
                .isInstanceOf(TooLongFrameException.class);
        assertThat(transaction).containsEntry(RefuseCutMessages.LINE_CUT, Boolean.TRUE);

        HookResult result =
                new RefuseCutMessages().onMessage(session, FakeMail.builder().name("m").build());
        assertThat(result.getResult()).isEqualTo(HookReturnCode.deny());
        assertThat(result.getSmtpRetCode()).isEqualTo("554");
        assertThat(result.getSmtpDescription()).startsWith("5.6.0 ").contains("8192");
    }

    @Test
    void aMessageWithoutACutLineShouldGoOn() throws Exception {
        HookResult result =
                new RefuseCutMessages()
                        .onMessage(session(new HashMap<>()), FakeMail.builder().name("m").build());

        assertThat(result).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void initShouldAcceptNoParameter() throws Exception {
        new RefuseCutMessages()
                .init(xml("<handler class=\"dev.mailsec.smtp.RefuseCutMessages\"/>"));
        assertThatThrownBy(
                        () ->
                                new RefuseCutMessages()
                                        .init(
                                                xml(
                                                        "<handler class=\"dev.mailsec.smtp.RefuseCutMessages\"><maxLineLength>1000</maxLineLength></handler>")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown parameter 'maxLineLength'")
                .hasMessageEndingWith("; it takes none");
    }

    @Test
    void onConnectShouldSayNothingRatherThanNull() {
        // James's JMX statistics of connect handlers drop the connection on a null answer
        assertThat(RefuseCutMessages.NOTHING_TO_SAY.getLines()).isEmpty();
        assertThat(RefuseCutMessages.NOTHING_TO_SAY.isEndSession()).isFalse();
    }

    private static SMTPSession session(Map<ProtocolSession.AttachmentKey<?>, Object> transaction) {
        return (SMTPSession)
                Proxy.newProxyInstance(
                        RefuseCutMessagesTest.class.getClassLoader(),
                        new Class<?>[] {SMTPSession.class},
                        (proxy, method, args) -> {
                            switch (method.getName()) {
                                case "setAttachment":
                                    assertThat(args[2])
                                            .isEqualTo(ProtocolSession.State.Transaction);
                                    return Optional.ofNullable(
                                            transaction.put(
                                                    (ProtocolSession.AttachmentKey<?>) args[0],
                                                    args[1]));
                                case "getAttachment":
                                    assertThat(args[1])
                                            .isEqualTo(ProtocolSession.State.Transaction);
                                    return Optional.ofNullable(transaction.get(args[0]));
                                case "getSessionID":
                                    return "s1";
                                default:
                                    throw new AssertionError("unexpected call " + method);
                            }
                        });
    }

    private static XMLConfiguration xml(String xml) throws ConfigurationException {
        XMLConfiguration configuration = new XMLConfiguration();
        new FileHandler(configuration).load(new StringReader(xml));
        return configuration;
    }
}
