package dev.mailsec.mailets;

import dev.mailsec.config.ConfigException;
import dev.mailsec.config.InitParameters;
import dev.mailsec.config.Parameters;
import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.mailets.mime.HeaderChanges;
import dev.mailsec.tls.TlsAttributeNames;
import dev.mailsec.tls.TlsFacts;
import dev.mailsec.tls.TlsTrace;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * Adds a header that tells the reader how the mail reached this server, from the TLS facts the
 * {@code dev.mailsec.smtp.RecordTlsFacts} SMTP hook recorded:
 *
 * <pre>
 * X-Mailsec-TLS: TLSv1.3; cipher=TLS_AES_256_GCM_SHA384
 * X-Mailsec-TLS: TLSv1.3; cipher=TLS_AES_256_GCM_SHA384; client-certificate="CN=relay.partner.example"
 * X-Mailsec-TLS: none; received in clear
 * </pre>
 *
 * Any header of that name already in the message (for example one the sender wrote to fake an
 * encrypted delivery) is replaced, so exactly one, ours, remains.
 *
 * <pre>{@code
 * <mailet match="All" class="dev.mailsec.mailets.AddTlsTrace">
 *     <headerName>X-Mailsec-TLS</headerName>
 * </mailet>
 * }</pre>
 *
 * {@code headerName}: optional, default {@code X-Mailsec-TLS}; must be a valid RFC 5322 field name.
 * Other parameters fail the start.
 */
public class AddTlsTrace extends GenericMailet {

    static final String HEADER_NAME = "headerName";
    static final String DEFAULT_HEADER_NAME = "X-Mailsec-TLS";

    private static final AttributeName PROTOCOL = AttributeName.of(TlsAttributeNames.PROTOCOL);
    private static final AttributeName CIPHER = AttributeName.of(TlsAttributeNames.CIPHER);
    private static final AttributeName PEER_SUBJECT =
            AttributeName.of(TlsAttributeNames.PEER_SUBJECT);

    private String headerName;

    @Override
    public void init() throws MessagingException {
        InitParameters.checkKnown("AddTlsTrace", getInitParameterNames(), Set.of(HEADER_NAME));
        try {
            headerName =
                    Parameters.of("AddTlsTrace", this::getInitParameter)
                            .given(HEADER_NAME, AddTlsTrace::fieldName)
                            .orElse(DEFAULT_HEADER_NAME);
        } catch (ConfigException e) {
            throw new MessagingException(e.getMessage(), e);
        }
    }

    private static String fieldName(String name) {
        if (!isFieldName(name)) {
            throw new IllegalArgumentException(
                    "must be a header field name (printable ASCII without ':' or spaces)");
        }
        return name;
    }

    /** RFC 5322 section 3.6.8: field-name = 1*ftext, ftext = %d33-57 / %d59-126. */
    private static boolean isFieldName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 33 || c > 126 || c == ':') {
                return false;
            }
        }
        return true;
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        PerMailGuard.run(getClass().getSimpleName(), () -> process(mail));
    }

    private void process(Mail mail) throws MessagingException {
        String trace = TlsTrace.render(facts(mail));
        MimeMessage message = mail.getMessage();
        message.setHeader(headerName, MimeUtility.fold(headerName.length() + 2, trace));
        HeaderChanges.save(mail);
    }

    /**
     * The trace shows the certificate's subject only; its alternative names stay in the attribute.
     */
    private static Optional<TlsFacts> facts(Mail mail) {
        return AttributeUtils.getValueAndCastFromMail(mail, PROTOCOL, String.class)
                .map(
                        protocol ->
                                TlsFacts.of(
                                        protocol,
                                        AttributeUtils.getValueAndCastFromMail(
                                                        mail, CIPHER, String.class)
                                                .orElse(""),
                                        AttributeUtils.getValueAndCastFromMail(
                                                mail, PEER_SUBJECT, String.class),
                                        Collections.emptyList()));
    }

    @Override
    public String getMailetInfo() {
        return "AddTlsTrace: adds a header showing the TLS facts of the session the mail arrived on";
    }
}
