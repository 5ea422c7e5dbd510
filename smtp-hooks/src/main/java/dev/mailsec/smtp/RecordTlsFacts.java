package dev.mailsec.smtp;

import dev.mailsec.config.Parameters;
import dev.mailsec.tls.TlsAttributeNames;
import dev.mailsec.tls.TlsFacts;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Set;
import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

/**
 * Records on every {@link Mail} the TLS facts of the SMTP session it arrived on, for matchers such
 * as {@code IsReceivedOverTls} and mailets such as {@code AddTlsTrace}:
 *
 * <ul>
 *   <li>{@code org.apache.james.ssl.protocol} (String, e.g. {@code TLSv1.3}) and {@code
 *       org.apache.james.ssl.cipher} (String, e.g. {@code TLS_AES_256_GCM_SHA384}), the names James
 *       3.9 itself uses, so the same mailets work there;
 *   <li>where the client presented a certificate, {@code dev.mailsec.tls.peer.subject} (String, RFC
 *       2253) and {@code dev.mailsec.tls.peer.subjectAltNames} (collection of Strings such as
 *       {@code DNS:mx.example.com}, {@code EMAIL:a@example.com}).
 * </ul>
 *
 * A mail received in clear (no STARTTLS, no implicit TLS) gets none of these attributes.
 *
 * <p>In {@code smtpserver.xml}, inside each {@code <smtpserver>}'s handler chain:
 *
 * <pre>{@code
 * <handlerchain>
 *     <handler class="org.apache.james.smtpserver.fastfail.ValidRcptHandler"/>
 *     <handler class="org.apache.james.smtpserver.CoreCmdHandlerLoader"/>
 *     <handler class="dev.mailsec.smtp.RecordTlsFacts">
 *         <recordPeerCertificate>true</recordPeerCertificate>
 *     </handler>
 * </handlerchain>
 * }</pre>
 *
 * {@code recordPeerCertificate} ({@code true} or {@code false}, also {@code yes}/{@code no} as
 * everywhere in the pack; default {@code true}) controls the two client-certificate attributes. Any
 * other value (an empty one too), and any other child element, fails James's start; parameters are
 * read through {@link HookParameters}.
 */
public class RecordTlsFacts implements JamesMessageHook {

    static final String RECORD_PEER_CERTIFICATE = "recordPeerCertificate";

    static final AttributeName PROTOCOL = AttributeName.of(TlsAttributeNames.PROTOCOL);
    static final AttributeName CIPHER = AttributeName.of(TlsAttributeNames.CIPHER);
    static final AttributeName PEER_SUBJECT = AttributeName.of(TlsAttributeNames.PEER_SUBJECT);
    static final AttributeName PEER_SUBJECT_ALT_NAMES =
            AttributeName.of(TlsAttributeNames.PEER_SUBJECT_ALT_NAMES);

    private boolean recordPeerCertificate = true;

    @Override
    public void init(Configuration config) throws ConfigurationException {
        Parameters p =
                HookParameters.read(getClass().getName(), config, Set.of(RECORD_PEER_CERTIFICATE));
        recordPeerCertificate =
                HookParameters.reading(
                        () -> p.given(RECORD_PEER_CERTIFICATE, Parameters::bool).orElse(true));
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        session.getSSLSession()
                .map(sslSession -> TlsFacts.fromSession(sslSession, recordPeerCertificate))
                .ifPresent(facts -> record(facts, mail));
        return HookResult.DECLINED;
    }

    private static void record(TlsFacts facts, Mail mail) {
        mail.setAttribute(new Attribute(PROTOCOL, AttributeValue.of(facts.protocol())));
        mail.setAttribute(new Attribute(CIPHER, AttributeValue.of(facts.cipherSuite())));
        facts.peerSubject()
                .ifPresent(
                        subject -> {
                            mail.setAttribute(
                                    new Attribute(PEER_SUBJECT, AttributeValue.of(subject)));
                            Collection<AttributeValue<?>> names = new ArrayList<>();
                            for (String name : facts.peerSubjectAltNames()) {
                                names.add(AttributeValue.of(name));
                            }
                            mail.setAttribute(
                                    new Attribute(
                                            PEER_SUBJECT_ALT_NAMES, AttributeValue.of(names)));
                        });
    }
}
