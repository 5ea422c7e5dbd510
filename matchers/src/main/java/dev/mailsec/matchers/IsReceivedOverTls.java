package dev.mailsec.matchers;

import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.tls.TlsAttributeNames;
import dev.mailsec.tls.TlsProtocolVersion;
import java.util.Collection;
import java.util.Collections;
import java.util.Optional;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

/**
 * Matches mail that arrived over TLS, optionally of at least a given protocol version, as recorded
 * by the {@code dev.mailsec.smtp.RecordTlsFacts} SMTP hook (or by James 3.9 itself) in the {@code
 * org.apache.james.ssl.protocol} attribute. Returns all recipients, or none.
 *
 * <pre>{@code
 * <!-- any TLS version -->
 * <mailet match="dev.mailsec.matchers.IsReceivedOverTls" class="ToProcessor">
 *     <processor>transport</processor>
 * </mailet>
 * <!-- TLS 1.2 or newer (SSLv3 < TLSv1 < TLSv1.1 < TLSv1.2 < TLSv1.3) -->
 * <mailet match="dev.mailsec.matchers.IsReceivedOverTls=TLSv1.2" class="SetMimeHeader">
 *     <name>X-Mailsec-Transport</name>
 *     <value>encrypted</value>
 * </mailet>
 * }</pre>
 *
 * A condition that is not one of {@code SSLv3}, {@code TLSv1}, {@code TLSv1.1}, {@code TLSv1.2},
 * {@code TLSv1.3} fails at start. A recorded protocol outside that list (none exists in JDK 17)
 * matches only when no minimum is given.
 */
public class IsReceivedOverTls extends GenericMatcher {

    private static final AttributeName PROTOCOL = AttributeName.of(TlsAttributeNames.PROTOCOL);

    private Optional<TlsProtocolVersion> minimum = Optional.empty();

    @Override
    public void init() throws MessagingException {
        minimum =
                Conditions.read(
                        "IsReceivedOverTls",
                        getCondition(),
                        c -> c.parse("a minimum protocol version", TlsProtocolVersion::parse));
    }

    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        return PerMailGuard.call(getClass().getSimpleName(), () -> matchRecipients(mail));
    }

    private Collection<MailAddress> matchRecipients(Mail mail) {
        Optional<String> protocol =
                AttributeUtils.getValueAndCastFromMail(mail, PROTOCOL, String.class);
        if (protocol.isEmpty()) {
            return Collections.emptyList();
        }
        if (minimum.isPresent()) {
            boolean strongEnough =
                    TlsProtocolVersion.fromJsseName(protocol.get())
                            .map(version -> version.isAtLeast(minimum.get()))
                            .orElse(false);
            if (!strongEnough) {
                return Collections.emptyList();
            }
        }
        return mail.getRecipients();
    }

    @Override
    public String getMatcherInfo() {
        return "IsReceivedOverTls: matches mail received over TLS, optionally of at least the given version";
    }
}
