package dev.mailsec.tls.connector;

import dev.mailsec.config.reload.ReloadRefusedException;
import dev.mailsec.config.reload.ReloadableFile;
import dev.mailsec.config.reload.ReloadableFiles;
import dev.mailsec.config.reload.Snapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The connectors file as the running James enforces it: one shared {@link ReloadableFile} per file
 * (see docs/tls-connectors.md, "Reload"), which the SMTP hook, the matchers, the mailets and the
 * WebAdmin routes ask for the generation in force. A reload is refused, with the start's message,
 * when the file is invalid, when a connector would not be enforced ({@link ConnectorRoutes}, once
 * an adapter knowing James's working directory asked for it with {@link #requireEnforced}), or when
 * it changes how an outbound connector already running delivers (smart hosts, TLS, trust, client
 * certificate): those are fixed in that connector's {@code RemoteDelivery} and queue when it
 * starts, so a mail routed to it is always delivered with one policy.
 */
public final class LiveConnectors {

    /** The kind of file in audit lines and in {@link ReloadableFiles}. */
    public static final String KIND = "connectors";

    private static final Map<Path, Map<String, String>> DELIVERY_SETTINGS =
            new ConcurrentHashMap<>();

    private LiveConnectors() {}

    /**
     * The shared connectors file at {@code file}; an invalid file fails with the start's message.
     */
    public static ReloadableFile<Connectors> shared(Path file) throws InvalidConnectorsException {
        try {
            return ReloadableFiles.shared(KIND, file, LiveConnectors::open);
        } catch (ReloadRefusedException e) {
            throw new InvalidConnectorsException(e.getMessage(), e);
        }
    }

    private static ReloadableFile<Connectors> open(Path file) throws ReloadRefusedException {
        ReloadableFile<Connectors> live =
                ReloadableFile.open(KIND, file, LiveConnectors::read, LiveConnectors::changes);
        Map<String, String> fixed =
                DELIVERY_SETTINGS.computeIfAbsent(live.file(), f -> new ConcurrentHashMap<>());
        live.addCheck(
                "delivery settings",
                (running, candidate) -> sameDelivery(file, fixed, running, candidate));
        return live;
    }

    /**
     * From now on a reload of {@code live} must keep every connector enforced by James's
     * configuration in {@code jamesWorkingDirectory}, as at start.
     */
    public static void requireEnforced(
            ReloadableFile<Connectors> live, Path jamesWorkingDirectory) {
        live.addCheck(
                "declared policies",
                (running, candidate) -> {
                    try {
                        ConnectorRoutes.requireEnforced(
                                candidate, live.file(), jamesWorkingDirectory);
                    } catch (InvalidConnectorsException e) {
                        throw new ReloadRefusedException(e.getMessage(), e);
                    }
                });
    }

    /**
     * The generation a mail carrying {@code stamp} ({@link
     * ConnectorAttributeNames#OUTBOUND_GENERATION}) was routed under, if it names this file and is
     * still retained; otherwise the one in force (and the caller stamps the mail with it).
     */
    public static Snapshot<Connectors> forStamp(
            ReloadableFile<Connectors> live, Optional<String> stamp) {
        if (stamp.isPresent()) {
            String text = stamp.get();
            int at = text.indexOf('@');
            if (at > 0 && text.substring(at + 1).equals(live.file().toString())) {
                try {
                    Optional<Snapshot<Connectors>> routed =
                            live.generation(Long.parseLong(text.substring(0, at)));
                    if (routed.isPresent()) {
                        return routed.get();
                    }
                } catch (NumberFormatException e) {
                    // not ours: decide under the generation in force
                }
            }
        }
        return live.current();
    }

    /** The value of {@link ConnectorAttributeNames#OUTBOUND_GENERATION} for {@code snapshot}. */
    public static String stamp(ReloadableFile<Connectors> live, Snapshot<Connectors> snapshot) {
        return snapshot.generation() + "@" + live.file();
    }

    private static Connectors read(Path file) throws ReloadRefusedException {
        try {
            return ConnectorsFile.load(file);
        } catch (InvalidConnectorsException e) {
            throw new ReloadRefusedException(e.getMessage(), e);
        }
    }

    private static void sameDelivery(
            Path file, Map<String, String> fixed, Connectors running, Connectors candidate)
            throws ReloadRefusedException {
        // every generation that ran fixed the delivery of its connectors
        running.outbound().forEach(c -> fixed.putIfAbsent(c.name(), deliverySettings(c)));
        List<String> problems = new ArrayList<>();
        for (OutboundConnector c : candidate.outbound()) {
            String before = fixed.get(c.name());
            if (before != null && !before.equals(deliverySettings(c))) {
                problems.add(
                        "outbound connector '"
                                + c.name()
                                + "' of "
                                + file
                                + ": its smart hosts, TLS level, trust or client certificate changed, "
                                + "but they are fixed in its RemoteDelivery and queue since it started: "
                                + "restart James to change them, or add the new settings as a "
                                + "connector with another name");
            }
        }
        if (!running.dane().map(Object::toString).equals(candidate.dane().map(Object::toString))
                && candidate.outbound().stream()
                        .anyMatch(c -> c.tlsLevel() == OutboundTlsLevel.DANE)) {
            // the DANE resolver is fixed in RouteByDane and DaneRemoteDelivery at start
            problems.add(
                    "<dane> of "
                            + file
                            + " changed, but the DANE resolver is fixed in the dane connectors' "
                            + "delivery since it started: restart James to change it");
        }
        if (!problems.isEmpty()) {
            throw new ReloadRefusedException(String.join("; ", problems));
        }
    }

    /** Everything of an outbound connector but its name and recipient domains; never shown. */
    static String deliverySettings(OutboundConnector c) {
        return String.join(
                "|",
                c.smartHosts().toString(),
                c.tlsLevel().name(),
                c.minimumProtocol().map(Object::toString).orElse("-"),
                c.fallbackLevel().name(),
                c.mtaStsFallbackLevel().name(),
                c.trustStore().orElse("-"),
                Integer.toHexString(Objects.hashCode(c.trustStorePassword().orElse(null))),
                c.expectedNames().toString(),
                c.clientCertificate().orElse("-"),
                c.clientCertificateRefresh().toString());
    }

    /** The changes from {@code before} to {@code after}, connector by connector. */
    public static List<String> changes(Connectors before, Connectors after) {
        List<String> changes = new ArrayList<>();
        compare(
                "inbound",
                named(before.inbound(), InboundConnector::name),
                named(after.inbound(), InboundConnector::name),
                changes);
        compare(
                "outbound",
                named(before.outbound(), OutboundConnector::name),
                named(after.outbound(), OutboundConnector::name),
                changes);
        if (!before.dane().map(Object::toString).equals(after.dane().map(Object::toString))) {
            changes.add("<dane> changed");
        }
        return changes;
    }

    private static <C> Map<String, String> named(List<C> connectors, Function<C, String> name) {
        Map<String, String> out = new LinkedHashMap<>();
        connectors.forEach(c -> out.put(name.apply(c), c.toString()));
        return out;
    }

    private static void compare(
            String direction,
            Map<String, String> before,
            Map<String, String> after,
            List<String> changes) {
        for (Map.Entry<String, String> e : after.entrySet()) {
            String old = before.get(e.getKey());
            if (old == null) {
                changes.add(direction + " connector '" + e.getKey() + "' added");
            } else if (!old.equals(e.getValue())) {
                changes.add(direction + " connector '" + e.getKey() + "' changed");
            }
        }
        for (String name : before.keySet()) {
            if (!after.containsKey(name)) {
                changes.add(direction + " connector '" + name + "' removed");
            }
        }
        List<String> order = new ArrayList<>(after.keySet());
        order.retainAll(before.keySet());
        List<String> oldOrder = new ArrayList<>(before.keySet());
        oldOrder.retainAll(after.keySet());
        if (!order.equals(oldOrder)) {
            // the first connector covering a domain wins
            changes.add(direction + " connectors reordered: " + String.join(", ", order));
        }
    }
}
