package dev.mailsec.tls.connector;

/**
 * The connectors file cannot be used. The message names the file, the connector, the field and the
 * bad value, e.g. {@code connectors.xml: inbound connector 'partner': minimumProtocol: expected one
 * of ..., got 'TLSv9'}.
 */
public final class InvalidConnectorsException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidConnectorsException(String message) {
        super(message);
    }

    public InvalidConnectorsException(String message, Throwable cause) {
        super(message, cause);
    }
}
