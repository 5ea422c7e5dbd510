package dev.mailsec.tls.connector.dane;

import dev.mailsec.config.PackPaths;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;

/**
 * Where DANE's DNSSEC answers come from, as the connectors file's {@code <dane>} element says: the
 * AD bit of a validating resolver the operator runs ({@code validation="resolver"}, on loopback
 * unless declared {@code trusted}), or dnsjava's validator over that resolver from a trust anchor
 * file ({@code validation="dnsjava"}). Immutable.
 */
public final class DaneResolverSettings {

    /** The two modes. */
    public enum Validation {
        RESOLVER("resolver"),
        DNSJAVA("dnsjava");

        private final String configName;

        Validation(String configName) {
            this.configName = configName;
        }

        @Override
        public String toString() {
            return configName;
        }
    }

    private final Validation validation;
    private final InetSocketAddress resolver;
    private final boolean trusted;
    private final Optional<String> trustAnchors;

    public DaneResolverSettings(
            Validation validation,
            InetSocketAddress resolver,
            boolean trusted,
            Optional<String> trustAnchors) {
        this.validation = validation;
        this.resolver = resolver;
        this.trusted = trusted;
        this.trustAnchors = trustAnchors;
    }

    public Validation validation() {
        return validation;
    }

    public InetSocketAddress resolver() {
        return resolver;
    }

    /** True when the operator declared a non-loopback resolver's AD bit trustworthy. */
    public boolean trusted() {
        return trusted;
    }

    /** The trust anchor file (DS or DNSKEY records) for {@code dnsjava}, as written. */
    public Optional<String> trustAnchors() {
        return trustAnchors;
    }

    /**
     * The lookups these settings describe; paths relative to {@code workingDirectory}.
     *
     * @throws IOException when the trust anchor file cannot be read or holds no anchor
     */
    public DaneDns open(Path workingDirectory) throws IOException {
        if (validation == Validation.DNSJAVA) {
            return DaneDns.validating(
                    resolver, PackPaths.resolve(workingDirectory, trustAnchors.orElse("")));
        }
        Set<InetAddress> extra =
                trusted ? Set.of(resolver.getAddress()) : Collections.<InetAddress>emptySet();
        return DaneDns.trustedResolver(resolver, extra);
    }

    @Override
    public String toString() {
        return "dane{validation="
                + validation
                + ", resolver="
                + resolver.getAddress().getHostAddress()
                + ":"
                + resolver.getPort()
                + (trusted ? ", trusted" : "")
                + trustAnchors.map(t -> ", trustAnchors=" + t).orElse("")
                + "}";
    }
}
