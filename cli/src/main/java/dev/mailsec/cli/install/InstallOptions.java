package dev.mailsec.cli.install;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** What {@code mailsec install} was asked to do, validated by {@link InstallCommand}. */
final class InstallOptions {
    Path jamesHome;

    /**
     * The operator's mail domains, lower-case; the first is the authserv-id and the licence issuer.
     */
    List<String> domains;

    /** Every domain inside the organisation (--domain first, then --organisation-domain). */
    List<String> organisationDomains;

    URI portalUrl;
    String portalBindHost;
    int portalPort;
    String portalSmtpHost;
    int portalSmtpPort;
    boolean samplePipeline;

    /** What the sample pipeline does with a DMARC reject (--dmarc-reject). */
    DmarcReject dmarcReject = DmarcReject.BOUNCE;

    /** null (the system's resolvers) or the DNS servers of the sample's authentication steps. */
    String dnsServers;

    /** The sample smtpserver.xml's two servers: STARTTLS and implicit TLS, HOST:PORT. */
    String smtpListen;

    String smtpsListen;

    /** null (a new file store in the James home), a DKM directory, or a jdbc:postgresql: URL. */
    String dkmStore;

    String dkmSchema;
    Path rootKeys;

    /**
     * null (a file store in var/mailsec/rights) or a jdbc:postgresql: URL shared by a cluster's
     * nodes and portals.
     */
    String rightsStore;

    boolean join;
    String nodeName;
    Path adminCredential;
    Path tlsKeystore;
    Path tlsKeystoreSecretFile;

    /**
     * null (the sample's S/MIME step reads conf/smime/certs) or the LDAP directory it reads
     * instead, with its hold processor.
     */
    SmimeDirectoryStep smimeDirectory;

    /** The unzipped bundle: extensions-jars/ and conf/. */
    Path bundle;
}
