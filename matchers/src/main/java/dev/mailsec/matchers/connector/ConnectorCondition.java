package dev.mailsec.matchers.connector;

import dev.mailsec.config.Condition;
import dev.mailsec.config.ConfigException;
import dev.mailsec.config.reload.ReloadableFile;
import dev.mailsec.matchers.Conditions;
import dev.mailsec.tls.connector.Connectors;
import dev.mailsec.tls.connector.ConnectorsFile;
import dev.mailsec.tls.connector.InvalidConnectorsException;
import dev.mailsec.tls.connector.LiveConnectors;
import java.util.List;
import javax.mail.MessagingException;

/**
 * The condition of the connector matchers, {@code NAME} or {@code NAME,FILE}: a connector name,
 * then the connectors file (default {@code file://conf/connectors.xml}, relative to James's working
 * directory), loaded and checked at init so that a misspelt name fails the start instead of never
 * matching. The file is the shared, reloadable one ({@link LiveConnectors}): {@link #connectors} is
 * the generation in force at init, {@link #live} the one to ask per mail.
 */
final class ConnectorCondition {

    static final String DEFAULT_LOCATION = "file://conf/connectors.xml";

    private final Condition condition;
    final String name;
    final String location;
    final ReloadableFile<Connectors> live;
    final Connectors connectors;

    private ConnectorCondition(
            Condition condition, String name, String location, ReloadableFile<Connectors> live) {
        this.condition = condition;
        this.name = name;
        this.location = location;
        this.live = live;
        this.connectors = live.current().value();
        live.watch();
    }

    /**
     * Reads {@code condition} and loads its connectors file; {@code kind} ({@code inbound}, {@code
     * outbound}) words the messages.
     */
    static ConnectorCondition parse(String matcher, String kind, String condition)
            throws MessagingException {
        return Conditions.read(
                matcher,
                condition,
                c -> {
                    String text = c.text();
                    int comma = text.indexOf(',');
                    String name = (comma < 0 ? text : text.substring(0, comma)).trim();
                    String location =
                            comma < 0 ? DEFAULT_LOCATION : text.substring(comma + 1).trim();
                    if (name.isEmpty() || location.isEmpty()) {
                        throw c.fail(
                                "the condition must be an "
                                        + kind
                                        + " connector name, optionally followed by ',' and the"
                                        + " connectors file, got '"
                                        + text
                                        + "'");
                    }
                    try {
                        return new ConnectorCondition(
                                c,
                                name,
                                location,
                                LiveConnectors.shared(ConnectorsFile.locate(location)));
                    } catch (InvalidConnectorsException e) {
                        throw c.fail(e.getMessage(), e);
                    }
                });
    }

    /** The failure for a name the file does not define, listing the names it does. */
    MessagingException unknown(String kind, List<String> defined) {
        ConfigException e =
                condition.fail(
                        "no "
                                + kind
                                + " connector '"
                                + name
                                + "' in "
                                + location
                                + "; defined: "
                                + (defined.isEmpty() ? "none" : String.join(", ", defined)));
        return new MessagingException(e.getMessage(), e);
    }
}
