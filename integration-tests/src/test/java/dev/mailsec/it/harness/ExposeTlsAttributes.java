package dev.mailsec.it.harness;

import java.util.Collection;
import java.util.stream.Collectors;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * Test-only mailet: copies every TLS attribute ({@code org.apache.james.ssl.*}, {@code
 * dev.mailsec.tls.*}) of the mail into an {@code X-Test-Attribute: name=value} header, so a test
 * reading the message over IMAP sees exactly what the SMTP hook recorded. Collections are written
 * as comma-separated values.
 *
 * <pre>{@code <mailet match="All" class="dev.mailsec.it.harness.ExposeTlsAttributes"/>}</pre>
 */
public class ExposeTlsAttributes extends GenericMailet {

    public static final String HEADER = "X-Test-Attribute";

    @Override
    public void service(Mail mail) throws MessagingException {
        MimeMessage message = mail.getMessage();
        message.removeHeader(HEADER);
        for (Attribute attribute : mail.attributes().collect(Collectors.toList())) {
            String name = attribute.getName().asString();
            if (name.startsWith("org.apache.james.ssl.") || name.startsWith("dev.mailsec.tls.")) {
                message.addHeader(HEADER, name + "=" + render(attribute.getValue()));
            }
        }
        message.saveChanges();
    }

    private static String render(AttributeValue<?> value) {
        if (value.value() instanceof Collection) {
            return ((Collection<?>) value.value())
                    .stream()
                            .map(
                                    element ->
                                            element instanceof AttributeValue
                                                    ? String.valueOf(
                                                            ((AttributeValue<?>) element).value())
                                                    : String.valueOf(element))
                            .collect(Collectors.joining(","));
        }
        return String.valueOf(value.value());
    }
}
