package dev.mailsec.tls.published;

import dev.mailsec.config.ConfigException;
import dev.mailsec.config.PackPaths;
import dev.mailsec.config.XmlDocuments;
import dev.mailsec.tls.connector.DomainPattern;
import dev.mailsec.tls.connector.mtasts.MtaStsPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Our own domains' MTA-STS, read from {@code conf/mta-sts.xml}: where the policy server listens,
 * its certificates, and per domain the policy (mode, mx patterns, max_age) and the TLS-RPT address.
 * Every mistake is a {@link ConfigException} naming the file, the element, the attribute and the
 * bad value; a domain no certificate covers is refused, so the server never starts with a policy a
 * sender could not fetch.
 *
 * <pre>
 * &lt;mta-sts bind="0.0.0.0" port="443"&gt;
 *   &lt;certificate chain="conf/mta-sts/chain.pem" key="conf/mta-sts/key.pem"/&gt;
 *   &lt;domain name="example.com" mode="enforce" maxAge="604800" tlsrpt="mailto:tlsrpt@example.com"&gt;
 *     &lt;mx&gt;mx1.example.com&lt;/mx&gt;
 *     &lt;mx&gt;*.mx.example.net&lt;/mx&gt;
 *   &lt;/domain&gt;
 * &lt;/mta-sts&gt;
 * </pre>
 */
public final class OwnPolicies {

    /** One week, what RFC 8461 section 3.2 suggests for a settled policy. */
    public static final long DEFAULT_MAX_AGE = 604_800L;

    private final String bind;
    private final int port;
    private final List<PemCredential> credentials;
    private final Map<String, OwnPolicy> policies;
    private final Map<String, String> tlsRpt;

    private OwnPolicies(
            String bind,
            int port,
            List<PemCredential> credentials,
            Map<String, OwnPolicy> policies,
            Map<String, String> tlsRpt) {
        this.bind = bind;
        this.port = port;
        this.credentials = Collections.unmodifiableList(credentials);
        this.policies = Collections.unmodifiableMap(policies);
        this.tlsRpt = Collections.unmodifiableMap(tlsRpt);
    }

    /** Reads and checks {@code file}; relative certificate paths resolve as all pack paths do. */
    public static OwnPolicies load(Path file) throws IOException {
        Element root;
        try {
            root = XmlDocuments.parse(Files.readAllBytes(file), false).getDocumentElement();
        } catch (SAXException e) {
            throw new ConfigException(
                    file.toString(), "", "is not well-formed XML: " + e.getMessage(), e);
        }
        String where = file.getFileName().toString();
        if (!root.getTagName().equals("mta-sts")) {
            throw new ConfigException(
                    where, root.getTagName(), "the root element must be <mta-sts>");
        }
        known(where, root, Set.of("bind", "port"));
        String bind = attribute(root, "bind").orElse("0.0.0.0");
        int port = number(where + " port", attribute(root, "port").orElse("443"), 1, 65535);
        List<PemCredential> credentials = new ArrayList<>();
        Map<String, OwnPolicy> policies = new LinkedHashMap<>();
        Map<String, String> tlsRpt = new LinkedHashMap<>();
        for (Element child : children(root)) {
            if (child.getTagName().equals("certificate")) {
                credentials.add(credential(where, child));
            } else if (child.getTagName().equals("domain")) {
                OwnPolicy policy = domain(where, child, tlsRpt);
                if (policies.put(policy.domain(), policy) != null) {
                    throw new ConfigException(
                            where + " domain name", policy.domain(), "is declared twice");
                }
            } else {
                throw new ConfigException(
                        where, child.getTagName(), "unknown element (certificate, domain)");
            }
        }
        if (policies.isEmpty()) {
            throw new ConfigException(where, "", "declares no <domain>");
        }
        for (OwnPolicy policy : policies.values()) {
            if (credentials.stream().noneMatch(c -> c.covers(policy.policyHost()))) {
                throw new ConfigException(
                        where + " domain[" + policy.domain() + "]",
                        policy.policyHost(),
                        "no <certificate> is issued for this name");
            }
        }
        return new OwnPolicies(bind, port, credentials, policies, tlsRpt);
    }

    private static PemCredential credential(String where, Element element) {
        known(where + " certificate", element, Set.of("chain", "key"));
        String chain = required(where + " certificate", element, "chain");
        String key = required(where + " certificate", element, "key");
        try {
            return PemCredential.load(PackPaths.resolve(chain), PackPaths.resolve(key));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + " certificate chain", chain, e.getMessage(), e);
        }
    }

    private static OwnPolicy domain(String where, Element element, Map<String, String> tlsRpt) {
        known(where + " domain", element, Set.of("name", "mode", "maxAge", "tlsrpt"));
        String rawName = required(where + " domain", element, "name");
        String name =
                DomainPattern.normalize(rawName)
                        .orElseThrow(
                                () ->
                                        new ConfigException(
                                                where + " domain name",
                                                rawName,
                                                "must be a domain name"));
        String at = where + " domain[" + name + "] ";
        String rawMode = attribute(element, "mode").orElse("enforce");
        MtaStsPolicy.Mode mode;
        try {
            mode = MtaStsPolicy.Mode.valueOf(rawMode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(at + "mode", rawMode, "must be enforce, testing or none");
        }
        long maxAge =
                number(
                        at + "maxAge",
                        attribute(element, "maxAge").orElse(Long.toString(DEFAULT_MAX_AGE)),
                        0,
                        MtaStsPolicy.MAX_AGE_LIMIT);
        List<String> mx = new ArrayList<>();
        for (Element child : children(element)) {
            if (!child.getTagName().equals("mx")) {
                throw new ConfigException(at.trim(), child.getTagName(), "unknown element (mx)");
            }
            String pattern = child.getTextContent().trim();
            try {
                OwnPolicy.of(name, MtaStsPolicy.Mode.NONE, List.of(pattern), maxAge);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(at + "mx", pattern, "must be a host name or *.name");
            }
            mx.add(pattern.toLowerCase(Locale.ROOT));
        }
        if (mx.isEmpty() && mode != MtaStsPolicy.Mode.NONE) {
            throw new ConfigException(
                    at + "mx", "", "mode " + rawMode + " needs at least one <mx>");
        }
        attribute(element, "tlsrpt")
                .ifPresent(
                        rua -> {
                            for (String uri : rua.split(",")) {
                                if (!uri.trim()
                                        .matches(
                                                "(mailto:[^@\\s;!,]+@[^@\\s;!,]+|https://[^\\s;!,]+)")) {
                                    throw new ConfigException(
                                            at + "tlsrpt",
                                            rua,
                                            "must be mailto:ADDRESS or https://URL, comma separated");
                                }
                            }
                            tlsRpt.put(name, rua.replace(" ", ""));
                        });
        return OwnPolicy.of(name, mode, mx, maxAge);
    }

    private static void known(String where, Element element, Set<String> names) {
        NamedNodeMap attributes = element.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            String name = attributes.item(i).getNodeName();
            if (!names.contains(name)) {
                throw new ConfigException(
                        where + " " + name, attributes.item(i).getNodeValue(), "unknown attribute");
            }
        }
    }

    private static Optional<String> attribute(Element element, String name) {
        String value = element.getAttribute(name).trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private static String required(String where, Element element, String name) {
        return attribute(element, name)
                .orElseThrow(() -> new ConfigException(where + " " + name, "", "is required"));
    }

    private static int number(String parameter, String value, long min, long max) {
        if (!value.matches("[0-9]{1,10}")
                || Long.parseLong(value) < min
                || Long.parseLong(value) > max) {
            throw new ConfigException(
                    parameter, value, "must be a whole number from " + min + " to " + max);
        }
        return (int) Long.parseLong(value);
    }

    private static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE) {
                out.add((Element) nodes.item(i));
            }
        }
        return out;
    }

    public String bind() {
        return bind;
    }

    public int port() {
        return port;
    }

    public List<PemCredential> credentials() {
        return credentials;
    }

    /** The policies by domain (lower case), in file order. */
    public Map<String, OwnPolicy> policies() {
        return policies;
    }

    /** The TLS-RPT {@code rua} of a domain, when the file gives one. */
    public Optional<String> tlsRpt(String domain) {
        return Optional.ofNullable(tlsRpt.get(domain));
    }
}
