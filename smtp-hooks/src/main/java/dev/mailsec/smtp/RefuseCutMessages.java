package dev.mailsec.smtp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import java.lang.reflect.Field;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProtocolSessionImpl;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.ConnectHandler;
import org.apache.james.protocols.netty.HandlerConstants;
import org.apache.james.protocols.netty.NettyProtocolTransport;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses a message during whose transaction James cut a line, so that no shortened copy is
 * delivered.
 *
 * <p>James 3.8.1 reads SMTP lines with Netty's {@code LineBasedFrameDecoder} at a fixed 8192 bytes
 * ({@code AbstractChannelPipelineFactory.MAX_LINE_LENGTH}; no setting changes it). A longer line is
 * dropped whole, James answers {@code 500 Line length exceeded} at once, even in the middle of
 * DATA, and carries on: the message without that line is delivered, and the client takes the 500
 * for the answer to its final dot. No SMTP hook sees the dropped line, so this handler watches the
 * connection's decoder for it (a Netty handler placed after James's {@code framer}) and, at the end
 * of DATA, refuses the message with {@code 554 5.6.0}. Install it in every {@code <smtpserver>}'s
 * handler chain:
 *
 * <pre>{@code
 * <handler class="dev.mailsec.smtp.RefuseCutMessages"/>
 * }</pre>
 *
 * It takes no parameters; any parameter fails James's start.
 */
public class RefuseCutMessages implements ConnectHandler<SMTPSession>, JamesMessageHook {

    private static final Logger LOG = LoggerFactory.getLogger(RefuseCutMessages.class);
    static final String WATCHER = "mailsec-line-cut-watcher";
    static final ProtocolSession.AttachmentKey<Boolean> LINE_CUT =
            ProtocolSession.AttachmentKey.of("dev.mailsec.smtp.lineCut", Boolean.class);
    static final String REFUSAL =
            "5.6.0 A line of this message was longer than 8192 bytes and was cut by the server:"
                    + " message refused, nothing delivered (RFC 5321 section 4.5.3.1.6)";

    /**
     * What {@code onConnect} answers: nothing is written (no lines) and the session goes on. Not
     * {@code null}: James's JMX statistics of connect handlers fail on a null answer and drop the
     * connection.
     */
    static final Response NOTHING_TO_SAY =
            new Response() {
                @Override
                public String getRetCode() {
                    return "";
                }

                @Override
                public List<CharSequence> getLines() {
                    return Collections.emptyList();
                }

                @Override
                public boolean isEndSession() {
                    return false;
                }
            };

    /**
     * James 3.8.1 gives no public way from a session to its Netty channel; this is the one place
     * that reaches it.
     */
    private static final Field CHANNEL = channelField();

    private static Field channelField() {
        try {
            Field field = NettyProtocolTransport.class.getDeclaredField("channel");
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        HookParameters.read(getClass().getName(), config, Set.of());
        if (CHANNEL == null) {
            throw new ConfigurationException(
                    getClass().getName()
                            + ": this James does not keep its SMTP channel where"
                            + " James 3.8.1 does (NettyProtocolTransport.channel); this handler supports James 3.8.1");
        }
    }

    @Override
    public Response onConnect(SMTPSession session) {
        if (session instanceof ProtocolSessionImpl
                && ((ProtocolSessionImpl) session).getProtocolTransport()
                        instanceof NettyProtocolTransport) {
            try {
                Channel channel =
                        (Channel)
                                CHANNEL.get(((ProtocolSessionImpl) session).getProtocolTransport());
                if (channel.pipeline().get(HandlerConstants.FRAMER) != null
                        && channel.pipeline().get(WATCHER) == null) {
                    channel.pipeline()
                            .addAfter(HandlerConstants.FRAMER, WATCHER, new Watcher(session));
                }
            } catch (IllegalAccessException e) {
                LOG.warn("cannot watch SMTP session {} for cut lines", session.getSessionID(), e);
            }
        }
        return NOTHING_TO_SAY;
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        if (session.getAttachment(LINE_CUT, ProtocolSession.State.Transaction).orElse(false)) {
            LOG.info(
                    "refused mail {} from session {}: James cut a line longer than 8192 bytes",
                    mail.getName(),
                    session.getSessionID());
            return HookResult.builder()
                    .hookReturnCode(HookReturnCode.deny())
                    .smtpReturnCode("554")
                    .smtpDescription(REFUSAL)
                    .build();
        }
        return HookResult.DECLINED;
    }

    /**
     * Marks the transaction when James's line decoder drops an over-long line, then lets James
     * answer as before.
     */
    static final class Watcher extends ChannelInboundHandlerAdapter {
        private final SMTPSession session;

        Watcher(SMTPSession session) {
            this.session = session;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
            if (cause instanceof TooLongFrameException) {
                session.setAttachment(LINE_CUT, Boolean.TRUE, ProtocolSession.State.Transaction);
            }
            super.exceptionCaught(ctx, cause);
        }
    }
}
