package dev.mailsec.matchers.connector;

import dev.mailsec.tls.connector.Connectors;
import dev.mailsec.tls.connector.ConnectorsFile;
import dev.mailsec.tls.connector.InvalidConnectorsException;
import java.util.List;
import javax.mail.MessagingException;

/**
 * The condition of the connector matchers, {@code NAME} or {@code NAME,FILE}: a connector name,
 * then the connectors file (default {@code file://conf/connectors.xml}, relative to James's working
 * directory), loaded and checked at init so that a misspelt name fails the start instead of never
 * matching.
 */
final class ConnectorCondition {

    static final String DEFAULT_LOCATION = "file://conf/connectors.xml";

    final String name;
    final String location;
    final Connectors connectors;

    private ConnectorCondition(String name, String location, Connectors connectors) {
        this.name = name;
        this.location = location;
        this.connectors = connectors;
    }

    /**
     * Reads {@code condition} and loads its connectors file; {@code kind} ({@code inbound}, {@code
     * outbound}) words the messages.
     */
    static ConnectorCondition parse(String matcher, String kind, String condition)
            throws MessagingException {
        String trimmed = condition == null ? "" : condition.trim();
        int comma = trimmed.indexOf(',');
        String name = (comma < 0 ? trimmed : trimmed.substring(0, comma)).trim();
        String location = comma < 0 ? DEFAULT_LOCATION : trimmed.substring(comma + 1).trim();
        if (name.isEmpty() || location.isEmpty()) {
            throw new MessagingException(
                    matcher
                            + ": the condition must be an "
                            + kind
                            + " connector name, "
                            + "optionally followed by ',' and the connectors file, got '"
                            + trimmed
                            + "'");
        }
        try {
            return new ConnectorCondition(
                    name, location, ConnectorsFile.load(ConnectorsFile.locate(location)));
        } catch (InvalidConnectorsException e) {
            throw new MessagingException(matcher + ": " + e.getMessage(), e);
        }
    }

    /** The failure for a name the file does not define, listing the names it does. */
    MessagingException unknown(String matcher, String kind, List<String> defined) {
        return new MessagingException(
                matcher
                        + ": no "
                        + kind
                        + " connector '"
                        + name
                        + "' in "
                        + location
                        + "; defined: "
                        + (defined.isEmpty() ? "none" : String.join(", ", defined)));
    }
}
