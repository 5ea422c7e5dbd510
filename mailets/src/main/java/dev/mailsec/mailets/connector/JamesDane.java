package dev.mailsec.mailets.connector;

import dev.mailsec.config.PackPaths;
import dev.mailsec.tls.connector.Connectors;
import dev.mailsec.tls.connector.ConnectorsFile;
import dev.mailsec.tls.connector.InvalidConnectorsException;
import dev.mailsec.tls.connector.dane.DanePolicies;
import dev.mailsec.tls.connector.dane.DaneResolverSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.mail.MessagingException;

/**
 * The DANE decisions of mailets running in James: DNSSEC-aware MX and TLSA lookups as the
 * connectors file's {@code <dane>} element says ({@link DaneResolverSettings}), one {@link
 * DanePolicies} (and so one answer cache) per connectors file and settings, shared by the routing
 * step and both deliveries of every {@code dane} connector of that file.
 */
final class JamesDane {

    private static final Map<String, DanePolicies> SHARED = new ConcurrentHashMap<>();

    private JamesDane() {}

    /**
     * The decisions for the connectors file at {@code location}.
     *
     * @throws MessagingException naming {@code mailet} and {@code connectors} when the file cannot
     *     be read, has no {@code <dane>} element, or its trust anchor file cannot be read
     */
    static DanePolicies policies(String mailet, String location) throws MessagingException {
        Path file;
        Connectors connectors;
        try {
            file = ConnectorsFile.locate(location);
            connectors = ConnectorsFile.load(file);
        } catch (InvalidConnectorsException e) {
            throw new MessagingException(mailet + ": connectors: " + e.getMessage(), e);
        }
        DaneResolverSettings settings =
                connectors
                        .dane()
                        .orElseThrow(
                                () ->
                                        new MessagingException(
                                                mailet
                                                        + ": connectors: "
                                                        + file
                                                        + " has no <dane> element, so DANE has no"
                                                        + " DNSSEC answers"));
        String key = file.toAbsolutePath().normalize() + " " + settings;
        DanePolicies policies = SHARED.get(key);
        if (policies != null) {
            return policies;
        }
        try {
            policies = new DanePolicies(settings.open(PackPaths.home()));
        } catch (IOException | IllegalArgumentException e) {
            throw new MessagingException(
                    mailet + ": connectors: " + file + ": dane: " + e.getMessage(), e);
        }
        DanePolicies raced = SHARED.putIfAbsent(key, policies);
        return raced == null ? policies : raced;
    }
}
