package dev.mailsec.tls.connector;

/**
 * Names of the mail attributes that carry the inbound connector decision, set by the {@code
 * CheckInboundConnector} mailet and read by the {@code ConnectorIs} matcher. Adapters turn them
 * into James {@code AttributeName}s; this class stays free of James types.
 */
public final class ConnectorAttributeNames {

    /**
     * Name of the inbound connector covering the mail. String value; absent when none covers it.
     */
    public static final String INBOUND_CONNECTOR = "dev.mailsec.tls.connector.inbound";

    /**
     * {@code compliant} or {@code violation}. String value; absent when no connector covers the
     * mail.
     */
    public static final String INBOUND_VERDICT = "dev.mailsec.tls.connector.inbound.verdict";

    /**
     * The verdict's reason, e.g. {@code partner.test requires TLS (connector partner)}. String
     * value.
     */
    public static final String INBOUND_REASON = "dev.mailsec.tls.connector.inbound.reason";

    /**
     * The generation of the connectors file a mail's outbound route was chosen under, {@code
     * N@FILE} ({@link LiveConnectors#stamp}): set by the first connector matcher or mailet that
     * routes the mail, so that every later step (the other {@code RecipientConnectorIs} matchers,
     * {@code ConnectorsRemoteDelivery}) decides under the same generation even when the file is
     * reloaded meanwhile. String value.
     */
    public static final String OUTBOUND_GENERATION =
            "dev.mailsec.tls.connector.outbound.generation";

    private ConnectorAttributeNames() {}
}
