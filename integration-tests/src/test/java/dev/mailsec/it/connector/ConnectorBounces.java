package dev.mailsec.it.connector;

import java.nio.file.Path;

/** The {@code bounces} processor the outbound connector tests give James: DSNs that say which connector refused. */
final class ConnectorBounces {

    private ConnectorBounces() {
    }

    /** {@code ExplainConnectorBounce} (reading {@code connectorsFile}) then {@code DSNBounce}. */
    static String processor(Path connectorsFile) {
        return "<processor state=\"bounces\" enableJmx=\"false\">\n"
            + "  <mailet match=\"All\" class=\"dev.mailsec.mailets.connector.ExplainConnectorBounce\">\n"
            + "    <connectors>" + connectorsFile + "</connectors>\n"
            + "  </mailet>\n"
            + "  <mailet match=\"All\" class=\"DSNBounce\"><passThrough>false</passThrough></mailet>\n"
            + "</processor>\n";
    }
}
