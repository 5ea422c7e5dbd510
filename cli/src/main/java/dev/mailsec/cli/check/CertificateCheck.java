package dev.mailsec.cli.check;

import dev.mailsec.config.PackPaths;
import dev.mailsec.tls.connector.Connectors;
import dev.mailsec.tls.connector.ConnectorsFile;
import dev.mailsec.tls.connector.InvalidConnectorsException;
import dev.mailsec.tls.connector.OutboundConnector;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Certificates of the installation with their expiry: the TLS keystores of James's servers ({@code
 * <tls>} in {@code smtpserver.xml}, {@code imapserver.xml}, {@code pop3server.xml}, {@code
 * lmtpserver.xml}, opened with their secret), the S/MIME certificate folders and trust anchors of
 * the pack's mailets, and the connectors' own trust stores. Expired or not yet valid is an error;
 * expiring within {@code warnDays} a warning.
 */
final class CertificateCheck {
    static final List<String> SERVERS =
            List.of("smtpserver.xml", "imapserver.xml", "pop3server.xml", "lmtpserver.xml");

    private final Path home;
    private final Report report;
    private final Clock clock;
    private final int warnDays;

    CertificateCheck(Path home, Report report, Clock clock, int warnDays) {
        this.home = home;
        this.report = report;
        this.clock = clock;
        this.warnDays = warnDays;
    }

    void check(List<Map<String, String>> mailets) {
        Set<String> keystores = new LinkedHashSet<>();
        for (String server : SERVERS) {
            tlsKeystores(server, keystores);
        }
        Set<String> folders = new LinkedHashSet<>();
        Set<String> anchors = new LinkedHashSet<>();
        Set<String> connectors = new LinkedHashSet<>();
        if (Files.isRegularFile(home.resolve("conf/connectors.xml"))) {
            connectors.add("file://conf/connectors.xml");
        }
        for (Map<String, String> mailet : mailets) {
            addIfSet(folders, mailet.get("certificateFolder"));
            addIfSet(anchors, mailet.get("trustAnchors"));
            addIfSet(connectors, mailet.get("connectors"));
        }
        folders.forEach(this::certificateFolder);
        anchors.forEach(a -> trustAnchors("trust anchors " + a, PackPaths.resolve(home, a)));
        connectors.forEach(this::connectorTrust);
    }

    private static void addIfSet(Set<String> set, String value) {
        if (value != null && !value.trim().isEmpty()) {
            set.add(value.trim());
        }
    }

    private void tlsKeystores(String serverFile, Set<String> seen) {
        Path file = home.resolve("conf").resolve(serverFile);
        if (!Files.isRegularFile(file)) {
            return;
        }
        NodeList tls;
        try {
            tls =
                    ConnectorsFile.document(Files.readAllBytes(file), file.toString(), true)
                            .getElementsByTagName("tls");
        } catch (IOException | InvalidConnectorsException e) {
            report.error("read conf/" + serverFile, Report.message(e));
            return;
        }
        for (int i = 0; i < tls.getLength(); i++) {
            Element element = (Element) tls.item(i);
            boolean used =
                    "true".equalsIgnoreCase(element.getAttribute("socketTLS").trim())
                            || "true".equalsIgnoreCase(element.getAttribute("startTLS").trim());
            boolean disabled =
                    element.getParentNode() instanceof Element
                            && "false"
                                    .equalsIgnoreCase(
                                            ((Element) element.getParentNode())
                                                    .getAttribute("enabled")
                                                    .trim());
            if (!used || disabled) {
                continue;
            }
            String keystore = text(element, "keystore");
            String type = text(element, "keystoreType");
            String what = "tls keystore " + keystore + " (conf/" + serverFile + ")";
            if (keystore == null) {
                report.error("tls keystore (conf/" + serverFile + ")", "<tls> without <keystore>");
                continue;
            }
            if (seen.add(keystore + "|" + type)) {
                String secret = text(element, "secret");
                keyStore(
                        what,
                        PackPaths.resolve(home, keystore),
                        type == null ? "JKS" : type,
                        secret == null ? new char[0] : secret.toCharArray(),
                        true);
            }
        }
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().trim();
    }

    /**
     * Every certificate of a keystore; {@code keysRequired}: a server keystore needs a private key
     * entry.
     */
    private void keyStore(
            String what, Path file, String type, char[] secret, boolean keysRequired) {
        KeyStore store;
        try (InputStream in = Files.newInputStream(file)) {
            store = KeyStore.getInstance(type);
            store.load(in, secret);
        } catch (IOException | GeneralSecurityException e) {
            report.error(what, "cannot open " + file + " as " + type + ": " + Report.message(e));
            return;
        }
        try {
            List<X509Certificate> certificates = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    Certificate[] chain = store.getCertificateChain(alias);
                    if (chain != null && chain.length > 0 && chain[0] instanceof X509Certificate) {
                        certificates.add((X509Certificate) chain[0]);
                    }
                } else if (!keysRequired
                        && store.getCertificate(alias) instanceof X509Certificate) {
                    certificates.add((X509Certificate) store.getCertificate(alias));
                }
            }
            if (certificates.isEmpty()) {
                report.error(
                        what,
                        file
                                + " holds no "
                                + (keysRequired
                                        ? "private key with its certificate"
                                        : "certificate"));
            }
            certificates.forEach(c -> expiry(what, c));
        } catch (GeneralSecurityException e) {
            report.error(what, Report.message(e));
        }
    }

    private void certificateFolder(String configured) {
        Path folder = PackPaths.resolve(home, configured);
        String what = "smime certificates " + configured;
        if (!Files.isDirectory(folder)) {
            report.error(what, "not a folder: " + folder);
            return;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            report.error(what, "cannot list " + folder + ": " + Report.message(e));
            return;
        }
        if (files.isEmpty()) {
            report.warn(what, "no certificate in " + folder);
        }
        for (Path file : files) {
            certificateFile(what + "/" + file.getFileName(), file, null);
        }
    }

    private void connectorTrust(String configured) {
        Connectors connectors;
        try {
            connectors = ConnectorsFile.load(PackPaths.resolve(home, configured));
        } catch (InvalidConnectorsException e) {
            report.error("connectors " + configured, Report.message(e));
            return;
        }
        for (OutboundConnector connector : connectors.outbound()) {
            if (connector.trustStore().isPresent()) {
                String location = connector.trustStore().get();
                String what = "connector trust " + connector.name() + " " + location;
                certificateFile(
                        what,
                        PackPaths.resolve(home, location),
                        connector
                                .trustStorePassword()
                                .map(String::toCharArray)
                                .orElse(new char[0]));
            }
        }
    }

    /**
     * A trust-anchor file (often a whole CA bundle): one line for the file, a warning per expired
     * anchor (it never validates anything, so it is dead weight rather than a fault), an error only
     * when no anchor is valid.
     */
    private void trustAnchors(String what, Path file) {
        List<X509Certificate> certificates = readCertificates(what, file);
        if (certificates == null) {
            return;
        }
        Instant now = clock.instant();
        List<X509Certificate> valid = new ArrayList<>();
        for (X509Certificate c : certificates) {
            if (now.isBefore(c.getNotAfter().toInstant())
                    && !now.isBefore(c.getNotBefore().toInstant())) {
                valid.add(c);
            } else {
                report.warn(
                        what,
                        c.getSubjectX500Principal()
                                + " is not valid now ("
                                + c.getNotBefore().toInstant()
                                + " to "
                                + c.getNotAfter().toInstant()
                                + "): it never validates a certificate; remove it");
            }
        }
        if (valid.isEmpty()) {
            report.error(what, "no valid certificate in " + file);
        } else if (valid.size() == 1) {
            expiry(what, valid.get(0));
        } else {
            X509Certificate soonest =
                    Collections.min(valid, (a, b) -> a.getNotAfter().compareTo(b.getNotAfter()));
            report.ok(
                    what
                            + ": "
                            + valid.size()
                            + " valid certificates; the first to expire is "
                            + soonest.getSubjectX500Principal()
                            + " on "
                            + LocalDate.ofInstant(
                                    soonest.getNotAfter().toInstant(), ZoneOffset.UTC));
        }
    }

    /**
     * PEM or DER certificates, or a PKCS12 file when it is named .p12/.pfx ({@code secret} opens
     * it).
     */
    private void certificateFile(String what, Path file, char[] secret) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".p12") || name.endsWith(".pfx")) {
            keyStore(what, file, "PKCS12", secret == null ? new char[0] : secret, false);
            return;
        }
        List<X509Certificate> certificates = readCertificates(what, file);
        if (certificates != null) {
            certificates.forEach(c -> expiry(what, c));
        }
    }

    /**
     * The PEM or DER certificates of {@code file}; {@code null} (reported) when unreadable or
     * empty.
     */
    private List<X509Certificate> readCertificates(String what, Path file) {
        List<X509Certificate> certificates = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) c);
            }
        } catch (IOException | GeneralSecurityException e) {
            report.error(what, "cannot read certificates from " + file + ": " + Report.message(e));
            return null;
        }
        if (certificates.isEmpty()) {
            report.error(what, "no certificate in " + file);
            return null;
        }
        return certificates;
    }

    void expiry(String what, X509Certificate certificate) {
        Instant now = clock.instant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        String subject = certificate.getSubjectX500Principal().toString();
        LocalDate until = LocalDate.ofInstant(notAfter, ZoneOffset.UTC);
        long days = Duration.between(now, notAfter).toDays();
        if (now.isBefore(certificate.getNotBefore().toInstant())) {
            report.error(
                    what,
                    subject
                            + " is not valid before "
                            + LocalDate.ofInstant(
                                    certificate.getNotBefore().toInstant(), ZoneOffset.UTC));
        } else if (!now.isBefore(notAfter)) {
            report.error(what, subject + " expired on " + until);
        } else if (days < warnDays) {
            report.warn(what, subject + " expires on " + until + " (in " + days + " days)");
        } else {
            report.ok(what + ": " + subject + " valid until " + until + " (" + days + " days)");
        }
    }
}
