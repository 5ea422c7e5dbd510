package dev.mailsec.smtp;

import dev.mailsec.config.ConfigException;
import dev.mailsec.config.InitParameters;
import dev.mailsec.config.Parameters;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import javax.mail.MessagingException;
import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;

/**
 * The hooks' one way to read their configuration: James gives a hook its {@code <handler>} element
 * as a {@link Configuration}; this adapts it to core's {@link Parameters} (the mailets' and
 * matchers' reader) with a lookup function, after refusing what {@link Parameters} cannot see:
 *
 * <ul>
 *   <li>a child element or attribute the hook does not know ({@link InitParameters}'s message:
 *       {@code dev.mailsec.smtp.RecordTlsFacts: unknown parameter 'recordPeerCert'; known:
 *       recordPeerCertificate});
 *   <li>a parameter given more than once ({@code ...: recordPeerCertificate is given 2 times,
 *       expected once: [true, false]}).
 * </ul>
 *
 * A bad value then fails as everywhere in the pack, naming the parameter and the value ({@code
 * dev.mailsec.smtp.RecordTlsFacts: recordPeerCertificate: must be true or false, got 'maybe'}). The
 * owner is the hook's full class name, as written in {@code smtpserver.xml}.
 */
public final class HookParameters {

    /** James's own attribute on every {@code <handler>}. */
    static final String CLASS_ATTRIBUTE = "[@class]";

    private HookParameters() {}

    /**
     * {@code config}'s parameters for the hook {@code owner}, each given at most once and all in
     * {@code known}.
     */
    public static Parameters read(String owner, Configuration config, Set<String> known)
            throws ConfigurationException {
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = config.getKeys(); it.hasNext(); ) {
            String key = it.next();
            if (!key.equals(CLASS_ATTRIBUTE)) {
                keys.add(key);
            }
        }
        try {
            InitParameters.checkKnown(owner, keys.iterator(), known);
        } catch (MessagingException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
        for (String key : keys) {
            List<String> values = config.getList(String.class, key);
            if (values.size() > 1) {
                throw new ConfigurationException(
                        owner
                                + ": "
                                + key
                                + " is given "
                                + values.size()
                                + " times, expected once"
                                + (ConfigException.isSecret(key) ? "" : ": " + values));
            }
        }
        return Parameters.of(owner, name -> keys.contains(name) ? value(config, name) : null);
    }

    /** The one value of a parameter that is given; {@code ""} for an empty element. */
    private static String value(Configuration config, String name) {
        List<String> values = config.getList(String.class, name);
        return values.isEmpty() || values.get(0) == null ? "" : values.get(0);
    }

    /**
     * Runs {@code reading}, turning a {@link ConfigException} into the {@link
     * ConfigurationException} James's hook {@code init} declares, with the same message.
     */
    public static <T> T reading(Reading<T> reading) throws ConfigurationException {
        try {
            return reading.read();
        } catch (ConfigException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
    }

    /** A read of parameters that may throw {@link ConfigException}. */
    @FunctionalInterface
    public interface Reading<T> {
        /** Reads; a bad value throws {@link ConfigException}. */
        T read() throws ConfigurationException;
    }
}
