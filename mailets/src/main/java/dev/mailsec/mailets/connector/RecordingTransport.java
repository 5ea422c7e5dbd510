package dev.mailsec.mailets.connector;

import dev.mailsec.tls.report.ReportingSmtpTransport;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.mail.MessagingException;
import org.apache.mailet.MailetConfig;
import org.apache.mailet.MailetContext;

/**
 * The pack's RemoteDelivery subclasses always deliver through {@link ReportingSmtpTransport}, so
 * every session they make counts in the TLS reports without the operator adding {@code
 * mail.smtp.class}. James's {@code RemoteDelivery} hands every {@code mail.*} init parameter to
 * JavaMail (3.8.1 {@code RemoteDeliveryConfiguration}), and JavaMail 1.6.2 silently falls back to
 * its default SMTP transport when {@code mail.smtp.class} names a provider it cannot find (James's
 * own class loader does not see extension jars): hence a subclass, whose DNS view sets the thread's
 * context class loader and the recipient domain, rather than the parameter alone.
 */
final class RecordingTransport {

    /** The JavaMail property that selects the transport. */
    static final String PROPERTY = "mail.smtp.class";

    static final String VALUE = ReportingSmtpTransport.class.getName();

    private RecordingTransport() {}

    /**
     * {@code config} with {@code mail.smtp.class} set to the recording transport; another value
     * fails the start, since James would then deliver without recording.
     */
    static MailetConfig config(String mailet, MailetConfig config) throws MessagingException {
        String given = config.getInitParameter(PROPERTY);
        if (given != null) {
            if (!given.trim().equals(VALUE)) {
                throw new MessagingException(
                        mailet
                                + ": "
                                + PROPERTY
                                + ": must be "
                                + VALUE
                                + " (or left out), got '"
                                + given
                                + "'");
            }
            return config;
        }
        return new MailetConfig() {
            @Override
            public String getInitParameter(String name) {
                return PROPERTY.equals(name) ? VALUE : config.getInitParameter(name);
            }

            @Override
            public Iterator<String> getInitParameterNames() {
                List<String> names = new ArrayList<>();
                config.getInitParameterNames().forEachRemaining(names::add);
                names.add(PROPERTY);
                return names.iterator();
            }

            @Override
            public MailetContext getMailetContext() {
                return config.getMailetContext();
            }

            @Override
            public String getMailetName() {
                return config.getMailetName();
            }
        };
    }
}
