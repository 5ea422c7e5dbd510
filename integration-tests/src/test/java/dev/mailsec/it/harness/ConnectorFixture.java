package dev.mailsec.it.harness;

import dev.mailsec.tls.connector.ConnectorsFile;
import dev.mailsec.tls.connector.RemoteDeliveryPlan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The partner side every outbound connector test sets up: a connectors file, the default {@link
 * SSLContext} swapped for one that trusts the partners' CA (James delivers with the JVM's trust
 * store) and put back on {@link #close()}, the routing steps and per-connector processors {@link
 * RemoteDeliveryPlan} makes from the file, the {@code bounces} processor that explains a
 * connector's refusal, and the partner servers to stop.
 */
public final class ConnectorFixture implements AutoCloseable {

    private final SSLContext previousDefault;
    private final List<AutoCloseable> resources;
    private final Path connectorsFile;
    private final String routingSteps;
    private final String processors;

    private ConnectorFixture(Builder b) throws Exception {
        this.previousDefault = b.previousDefault;
        this.resources = List.copyOf(b.resources);
        this.connectorsFile = b.connectorsFile;
        StringBuilder steps = new StringBuilder();
        StringBuilder xml = new StringBuilder();
        for (var connector : ConnectorsFile.load(connectorsFile).outbound()) {
            RemoteDeliveryPlan plan =
                    b.locatedPlans
                            ? RemoteDeliveryPlan.of(connector, connectorsFile.toString())
                            : RemoteDeliveryPlan.of(connector);
            steps.append(plan.routingStepXml(connectorsFile.toString()));
            xml.append(plan.processorXml("bounces", b.retryDelays, b.maxRetries));
        }
        this.routingSteps = steps.toString();
        this.processors = xml.toString();
    }

    /**
     * A fixture; {@link Builder#connectors(Path, String...)} names and writes its connectors file.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * One {@code <outbound>} element: recipient domain {@code NAME.test}, a smart host {@code
     * localhost:PORT} unless {@code port} is null, and {@code <tls TLS_ATTRIBUTES>TLS_BODY</tls>}.
     */
    public static String outbound(String name, Integer port, String tlsAttributes, String tlsBody) {
        return "  <outbound name=\""
                + name
                + "\">\n"
                + "    <recipientDomain>"
                + name
                + ".test</recipientDomain>\n"
                + (port == null ? "" : "    <smartHost>localhost:" + port + "</smartHost>\n")
                + "    <tls "
                + tlsAttributes
                + (tlsBody.isEmpty() ? "/>" : ">" + tlsBody + "</tls>")
                + "\n"
                + "  </outbound>\n";
    }

    /** {@code ExplainConnectorBounce} (reading the connectors file) then {@code DSNBounce}. */
    public static String bouncesProcessor(Path connectorsFile) {
        return "<processor state=\"bounces\" enableJmx=\"false\">\n"
                + "  <mailet match=\"All\" class=\"dev.mailsec.mailets.connector.ExplainConnectorBounce\">\n"
                + "    <connectors>"
                + connectorsFile
                + "</connectors>\n"
                + "  </mailet>\n"
                + "  <mailet match=\"All\" class=\"DSNBounce\"><passThrough>false</passThrough></mailet>\n"
                + "</processor>\n";
    }

    public Path connectorsFile() {
        return connectorsFile;
    }

    /** The root-processor steps that send each outbound connector's mail to its processor. */
    public String routingSteps() {
        return routingSteps;
    }

    /** Each outbound connector's delivery processor, then the {@code bounces} processor. */
    public String processors() {
        return processors + bouncesProcessor(connectorsFile);
    }

    @Override
    public void close() throws Exception {
        if (previousDefault != null) {
            SSLContext.setDefault(previousDefault);
        }
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    /** Sets the fixture up in the order its methods are called. */
    public static final class Builder {
        private Path connectorsFile;
        private final List<AutoCloseable> resources = new ArrayList<>();
        private SSLContext previousDefault;
        private boolean locatedPlans;
        private String retryDelays = "1000";
        private String maxRetries = "1";

        private Builder() {}

        /**
         * Makes {@code context} the JVM's default at once; {@link #close()} puts the previous one
         * back.
         */
        public Builder trustByDefault(SSLContext context) throws Exception {
            if (previousDefault == null) {
                previousDefault = SSLContext.getDefault();
            }
            SSLContext.setDefault(context);
            return this;
        }

        /** Writes {@code file}: {@code <connectors>}, the elements, {@code </connectors>}. */
        public Builder connectors(Path file, String... elements) throws Exception {
            this.connectorsFile = file;
            Files.write(
                    file,
                    ("<connectors>\n" + String.join("", elements) + "</connectors>\n")
                            .getBytes(StandardCharsets.UTF_8));
            return this;
        }

        /** Plans name the connectors file's location (trust stores in it), not the default one. */
        public Builder locatedPlans() {
            this.locatedPlans = true;
            return this;
        }

        /**
         * RemoteDelivery's {@code delayTime} and {@code maxRetries}; {@code 1000} and {@code 1} by
         * default.
         */
        public Builder retries(String delays, String max) {
            this.retryDelays = delays;
            this.maxRetries = max;
            return this;
        }

        /**
         * Closed by {@link ConnectorFixture#close()}, in this order, after the default context is
         * restored.
         */
        public Builder closing(AutoCloseable... more) {
            resources.addAll(Arrays.asList(more));
            return this;
        }

        public ConnectorFixture build() throws Exception {
            if (connectorsFile == null) {
                throw new IllegalStateException("connectors(file, elements) first");
            }
            return new ConnectorFixture(this);
        }
    }
}
