package dev.mailsec.cli.install;

import dev.mailsec.cli.MailsecCommand;
import dev.mailsec.cli.UserException;
import dev.mailsec.cli.dkim.DkimKeygenCommand;
import dev.mailsec.config.PackPaths;
import dev.mailsec.dns.DnsServers;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mailsec install --james-home DIR --domain D ...}: sets the pack up in an existing James
 * 3.8.1 (INSTALL.md). The flags are checked here; {@link Installer} does the work.
 */
@Command(
        name = "install",
        mixinStandardHelpOptions = true,
        description = {
            "Set the pack up in an existing James 3.8.1 home: jars, DKM store, identities, DKIM and rights",
            "keys, conf/dkm.properties, conf/rights.xml, S/MIME folders and (--sample-pipeline) the sample pipeline.",
            "Idempotent: a second run with the same flags changes nothing and says so. See INSTALL.md."
        })
public final class InstallCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--james-home",
            required = true,
            paramLabel = "DIR",
            description = "James's home (holds conf/ and extensions-jars/).")
    Path jamesHome;

    @Option(
            names = "--domain",
            required = true,
            paramLabel = "DOMAIN",
            description =
                    "A mail domain of yours (repeat for more); the first is the authserv-id and the licence issuer.")
    List<String> domains;

    @Option(
            names = "--organisation-domain",
            paramLabel = "DOMAIN",
            description =
                    "Another domain whose users are inside the organisation (not hosted here); repeatable.")
    List<String> organisationDomains = new ArrayList<>();

    @Option(
            names = "--portal-url",
            paramLabel = "URL",
            defaultValue = "http://127.0.0.1:8090",
            description =
                    "The rights portal's address as outside readers open it (default: ${DEFAULT-VALUE}).")
    String portalUrl;

    @Option(
            names = "--portal-listen",
            paramLabel = "HOST:PORT",
            defaultValue = "127.0.0.1:8090",
            description =
                    "Where the portal listens (default: ${DEFAULT-VALUE}; put a TLS reverse proxy in front).")
    String portalListen;

    @Option(
            names = "--portal-smtp",
            paramLabel = "HOST:PORT",
            description =
                    "The SMTP server the portal sends passcodes through (default: this James, 127.0.0.1 and the"
                            + " port of --smtp-listen).")
    String portalSmtp;

    @Option(
            names = "--smtp-listen",
            paramLabel = "HOST:PORT",
            defaultValue = "0.0.0.0:25",
            description =
                    "With --sample-pipeline: where its SMTP server (STARTTLS offered) listens (default: ${DEFAULT-VALUE}).")
    String smtpListen;

    @Option(
            names = "--smtps-listen",
            paramLabel = "HOST:PORT",
            defaultValue = "0.0.0.0:465",
            description =
                    "With --sample-pipeline: where its SMTP server over implicit TLS listens (default: ${DEFAULT-VALUE}).")
    String smtpsListen;

    @Option(
            names = "--sample-pipeline",
            description =
                    "Install the pack's sample mailetcontainer.xml, smtpserver.xml and mailrepositorystore.xml over"
                            + " James's while they are stock (backed up as FILE.before-mailsec).")
    boolean samplePipeline;

    @Option(
            names = "--dmarc-reject",
            paramLabel = "smtp|bounce|quarantine",
            defaultValue = "bounce",
            description =
                    "With --sample-pipeline: what happens to mail failing DMARC whose From domain publishes"
                            + " p=reject: refused at SMTP time (smtp; leftovers quarantined), bounced with a DSN"
                            + " (bounce) or held in var/mail/dmarc-quarantine (quarantine) (default: ${DEFAULT-VALUE}).")
    String dmarcReject;

    @Option(
            names = "--dns-servers",
            paramLabel = "HOST[:PORT],...",
            description =
                    "With --sample-pipeline: the DNS resolvers the DKIM, SPF, ARC and DMARC steps ask (default:"
                            + " the system's, /etc/resolv.conf).")
    String dnsServers;

    @Option(
            names = "--smime-directory",
            paramLabel = "URL",
            description =
                    "ldap[s]://HOST[:PORT]/BASE-DN: the sample pipeline's local S/MIME step reads recipients'"
                            + " certificates from this directory instead of conf/smime/certs, and holds mail in"
                            + " var/mail/smime-directory-down while the directory is down (docs/faults.md).")
    String smimeDirectory;

    @Option(
            names = "--smime-directory-bind-dn",
            paramLabel = "DN",
            description =
                    "With --smime-directory: bind as this DN (with --smime-directory-password-secret).")
    String smimeDirectoryBindDn;

    @Option(
            names = "--smime-directory-password-secret",
            paramLabel = "NAME",
            description =
                    "With --smime-directory-bind-dn: the DKM secret holding the bind password (docs/smime.md).")
    String smimeDirectoryPasswordSecret;

    @Option(
            names = "--dkm-store",
            paramLabel = "PATH|URL",
            description =
                    "An existing DKM directory (made by 'dkm init'), or jdbc:postgresql://... for records in"
                            + " PostgreSQL (default: a new file store in var/mailsec/dkm).")
    String dkmStore;

    @Option(
            names = "--dkm-schema",
            paramLabel = "SCHEMA",
            defaultValue = "mailsec_dkm",
            description = "PostgreSQL schema of the DKM store (default: ${DEFAULT-VALUE}).")
    String dkmSchema;

    @Option(
            names = "--rights-store",
            paramLabel = "URL",
            description =
                    "jdbc:postgresql://... for the rights store a cluster's nodes and portals share (schema"
                            + " mailsec_rights; default: files in var/mailsec/rights).")
    String rightsStore;

    @Option(
            names = "--root-keys",
            paramLabel = "DIR",
            description =
                    "Folder of the DKM file root keys (default: var/mailsec/dkm-root-keys; with --join: the cluster's).")
    Path rootKeys;

    @Option(
            names = "--join",
            description =
                    "This node joins an existing cluster store: it gets its own identities"
                            + " (james-transport-NODE, rights-portal-NODE) and memberships; needs --admin-credential.")
    boolean join;

    @Option(
            names = "--node-name",
            paramLabel = "NODE",
            description = "With --join: this node's name (default: the host name).")
    String nodeName;

    @Option(
            names = "--admin-credential",
            paramLabel = "FILE",
            description = "A DKM admin's credential (default: the store's credentials/admin.cred).")
    Path adminCredential;

    @Option(
            names = "--tls-keystore",
            paramLabel = "FILE",
            description =
                    "PKCS#12 keystore with your server certificate, for the sample smtpserver.xml (default: a self-signed one).")
    Path tlsKeystore;

    @Option(
            names = "--tls-keystore-secret-file",
            paramLabel = "FILE",
            description = "File holding the --tls-keystore secret.")
    Path tlsKeystoreSecretFile;

    @Option(
            names = "--bundle",
            paramLabel = "DIR",
            hidden = true,
            description =
                    "The unzipped bundle (default: the folder above the lib/ this CLI runs from).")
    Path bundle;

    @Override
    public Integer call() {
        InstallOptions o = options();
        // the path rule (docs/paths.md): what install writes and then reads back (rights.xml, the
        // DKM client
        // configurations) resolves against the James home, as inside James
        System.setProperty(PackPaths.WORKING_DIRECTORY, o.jamesHome.toString());
        new Installer(o, spec.commandLine().getOut(), spec.commandLine().getErr()).run();
        return 0;
    }

    InstallOptions options() {
        InstallOptions o = new InstallOptions();
        o.jamesHome = jamesHome.toAbsolutePath().normalize();
        if (!Files.isDirectory(o.jamesHome.resolve("conf"))) {
            throw new UserException(
                    "--james-home: not a James home (no conf/ folder): '" + jamesHome + "'", 2);
        }
        LinkedHashSet<String> ds = new LinkedHashSet<>();
        for (String d : domains) {
            ds.add(DkimKeygenCommand.Store.domain("--domain", d));
        }
        o.domains = new ArrayList<>(ds);
        LinkedHashSet<String> org = new LinkedHashSet<>(ds);
        for (String d : organisationDomains) {
            org.add(DkimKeygenCommand.Store.domain("--organisation-domain", d));
        }
        o.organisationDomains = new ArrayList<>(org);
        o.portalUrl = portalUrl(portalUrl);
        String[] listen = hostPort("--portal-listen", portalListen);
        o.portalBindHost = listen[0];
        o.portalPort = Integer.parseInt(listen[1]);
        String[] listenSmtp = hostPort("--smtp-listen", smtpListen);
        o.smtpListen = smtpListen.trim();
        o.smtpsListen = String.join(":", hostPort("--smtps-listen", smtpsListen));
        String[] smtp =
                portalSmtp != null
                        ? hostPort("--portal-smtp", portalSmtp)
                        : new String[] {"127.0.0.1", listenSmtp[1]};
        o.portalSmtpHost = smtp[0];
        o.portalSmtpPort = Integer.parseInt(smtp[1]);
        o.samplePipeline = samplePipeline;
        o.dmarcReject = DmarcReject.of(dmarcReject);
        if (dnsServers != null) {
            try {
                if (DnsServers.parse(dnsServers).isEmpty()) {
                    throw new IllegalArgumentException("no server, got '" + dnsServers + "'");
                }
            } catch (IllegalArgumentException e) {
                throw new UserException(
                        "--dns-servers: " + e.getMessage().replaceFirst("^dnsServers: ", ""), 2);
            }
            o.dnsServers = dnsServers.trim();
        }
        o.smimeDirectory =
                SmimeDirectoryStep.of(
                        smimeDirectory, smimeDirectoryBindDn, smimeDirectoryPasswordSecret);
        if (dkmStore != null
                && dkmStore.startsWith("jdbc:")
                && !dkmStore.startsWith("jdbc:postgresql:")) {
            throw new UserException(
                    "--dkm-store: a DKM directory or jdbc:postgresql://..., got '"
                            + redact(dkmStore)
                            + "'",
                    2);
        }
        o.dkmStore = dkmStore;
        if (!dkmSchema.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new UserException(
                    "--dkm-schema: a PostgreSQL schema name (a-z, 0-9, _), got '" + dkmSchema + "'",
                    2);
        }
        o.dkmSchema = dkmSchema;
        if (rightsStore != null && !rightsStore.startsWith("jdbc:postgresql:")) {
            throw new UserException(
                    "--rights-store: jdbc:postgresql://..., got '" + redact(rightsStore) + "'", 2);
        }
        o.rightsStore = rightsStore;
        o.rootKeys = rootKeys == null ? null : rootKeys.toAbsolutePath().normalize();
        o.join = join;
        if (join && adminCredential == null) {
            throw new UserException(
                    "--admin-credential: required with --join (an admin of the cluster's store)",
                    2);
        }
        if (!join && nodeName != null) {
            throw new UserException("--node-name: only with --join, got '" + nodeName + "'", 2);
        }
        o.nodeName = join ? nodeName(nodeName) : null;
        o.adminCredential = adminCredential;
        if ((tlsKeystore == null) != (tlsKeystoreSecretFile == null)) {
            throw new UserException(
                    tlsKeystore == null
                            ? "--tls-keystore: required with --tls-keystore-secret-file"
                            : "--tls-keystore-secret-file: required with --tls-keystore '"
                                    + tlsKeystore
                                    + "'",
                    2);
        }
        for (Path f : new Path[] {tlsKeystore, tlsKeystoreSecretFile, adminCredential}) {
            if (f != null && !Files.isRegularFile(f)) {
                throw new UserException(flagOf(f) + ": no such file: '" + f + "'", 2);
            }
        }
        o.tlsKeystore = tlsKeystore;
        o.tlsKeystoreSecretFile = tlsKeystoreSecretFile;
        o.bundle = bundle != null ? bundle.toAbsolutePath().normalize() : runningBundle();
        if (!Files.isDirectory(o.bundle.resolve("extensions-jars"))
                || !Files.isDirectory(o.bundle.resolve("conf"))) {
            throw new UserException(
                    "--bundle: not an unzipped mailsec bundle (no extensions-jars/ and conf/): '"
                            + o.bundle
                            + "'",
                    2);
        }
        return o;
    }

    private String flagOf(Path f) {
        return f == tlsKeystore
                ? "--tls-keystore"
                : f == tlsKeystoreSecretFile ? "--tls-keystore-secret-file" : "--admin-credential";
    }

    private static URI portalUrl(String value) {
        try {
            URI u = new URI(value.trim());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https"))
                    && u.getHost() != null
                    && u.getQuery() == null
                    && u.getFragment() == null) {
                return u;
            }
        } catch (URISyntaxException e) {
            // the message below names the flag
        }
        throw new UserException(
                "--portal-url: an http:// or https:// URL with a host, got '" + value + "'", 2);
    }

    private static String[] hostPort(String flag, String value) {
        int colon = value.lastIndexOf(':');
        String host = colon > 0 ? value.substring(0, colon).trim() : "";
        String port = colon > 0 ? value.substring(colon + 1).trim() : "";
        if (!host.matches("[A-Za-z0-9.:\\[\\]-]+")
                || !port.matches("\\d{1,5}")
                || Integer.parseInt(port) < 1
                || Integer.parseInt(port) > 65535) {
            throw new UserException(flag + ": HOST:PORT, got '" + value + "'", 2);
        }
        return new String[] {host, port};
    }

    private static String nodeName(String given) {
        String n = given;
        if (n == null) {
            try {
                n = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                throw new UserException("--node-name: required (the host name is unknown)", 2);
            }
            n = n.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        }
        if (!n.matches("[a-z0-9][a-z0-9-]{0,40}")) {
            throw new UserException(
                    "--node-name: lower-case letters, digits and '-', got '" + given + "'", 2);
        }
        return n;
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    /** The bundle this CLI was started from: bin/mailsec runs BUNDLE/lib/mailsec-cli.jar. */
    private static Path runningBundle() {
        try {
            Path jar =
                    Path.of(
                            MailsecCommand.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI());
            return jar.getParent().getParent();
        } catch (URISyntaxException | RuntimeException e) {
            throw new UserException(
                    "--bundle: cannot tell where this CLI runs from; give --bundle DIR", 2);
        }
    }
}
