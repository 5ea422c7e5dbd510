package dev.mailsec.cli.tls;

import dev.mailsec.cli.ConfigConverters;
import dev.mailsec.cli.UserException;
import dev.mailsec.tls.connector.Connectors;
import dev.mailsec.tls.connector.OutboundConnector;
import dev.mailsec.tls.connector.RemoteDeliveryPlan;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ./mailsec tls remote-delivery}: prints the mailetcontainer.xml pieces that enforce every
 * outbound connector with James's own RemoteDelivery: the routing steps for the relay processor and
 * one processor per connector.
 */
@Command(
        name = "remote-delivery",
        mixinStandardHelpOptions = true,
        description =
                "Print the routing steps and per-connector RemoteDelivery processors for mailetcontainer.xml.")
public final class TlsRemoteDeliveryCommand implements Runnable {

    @ParentCommand TlsCommand parent;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--bounce-processor",
            paramLabel = "NAME",
            defaultValue = "bounces",
            converter = ConfigConverters.ProcessorName.class,
            description = "processor that receives bounces (default: ${DEFAULT-VALUE})")
    String bounceProcessor;

    @Option(
            names = "--connectors-location",
            paramLabel = "LOCATION",
            defaultValue = "file://conf/connectors.xml",
            description =
                    "how James names the connectors file in the matcher condition (default: ${DEFAULT-VALUE})")
    String location;

    @Override
    public void run() {
        Connectors connectors = parent.loadConnectors();
        if (connectors.outbound().isEmpty()) {
            throw new UserException(parent.connectors + " defines no outbound connector", 1);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(
                "<!-- In the processor that holds the general RemoteDelivery (stock James: relay), before it,");
        out.println("     so only mail James may relay reaches a connector: -->");
        for (OutboundConnector connector : connectors.outbound()) {
            out.print(RemoteDeliveryPlan.of(connector).routingStepXml(location));
        }
        out.println();
        out.println(
                "<!-- Inside <processors>: one processor, with its own outgoing queue, per connector. -->");
        for (OutboundConnector connector : connectors.outbound()) {
            out.print(RemoteDeliveryPlan.of(connector, location).processorXml(bounceProcessor));
        }
        out.flush();
    }
}
