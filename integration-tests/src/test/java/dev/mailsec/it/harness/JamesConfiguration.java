package dev.mailsec.it.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the James 3.8.1 configuration files the harness starts from into {@code
 * <workingDirectory>/conf}. Kept as plain text templates so a reader sees exactly what James is
 * given.
 */
final class JamesConfiguration {

    static final String RECORD_TLS_FACTS_HANDLER =
            "<handler class=\"dev.mailsec.smtp.RecordTlsFacts\"/>";

    /**
     * The SMTP servers, in this order: plain + STARTTLS, implicit TLS, optionally STARTTLS with
     * client auth.
     */
    enum SmtpServer {
        STARTTLS("smtp-starttls", false, true, false),
        IMPLICIT_TLS("smtp-implicit-tls", true, false, false),
        CLIENT_AUTH("smtp-client-auth", false, true, true);

        final String jmxName;
        final boolean socketTls;
        final boolean startTls;
        final boolean clientAuth;

        SmtpServer(String jmxName, boolean socketTls, boolean startTls, boolean clientAuth) {
            this.jmxName = jmxName;
            this.socketTls = socketTls;
            this.startTls = startTls;
            this.clientAuth = clientAuth;
        }
    }

    private final JamesExtension.Builder settings;

    JamesConfiguration(JamesExtension.Builder settings) {
        this.settings = settings;
    }

    void write(Path workingDirectory, TestPki pki) throws Exception {
        Path conf = Files.createDirectories(workingDirectory.resolve("conf"));
        pki.writeServerKeyStore(conf.resolve("keystore.p12"));
        pki.writeTrustStore(conf.resolve("truststore.p12"));
        write(conf, "smtpserver.xml", smtpServers());
        write(conf, "imapserver.xml", IMAP_SERVER);
        write(
                conf,
                "mailetcontainer.xml",
                settings.mailetContainer != null
                        ? settings.mailetContainer
                        : MAILET_CONTAINER
                                .replace("@POSTMASTER@", "postmaster@" + settings.domain)
                                .replace("@ROOT_MAILETS@", settings.rootMailets)
                                .replace("@EXTRA_PROCESSORS@", settings.extraProcessors));
        write(conf, "domainlist.xml", DOMAIN_LIST);
        write(
                conf,
                "dnsservice.xml",
                settings.dnsServer == null
                        ? DNS_SERVICE
                        : "<?xml version=\"1.0\"?>\n<dnsservice>\n  <servers><server>"
                                + settings.dnsServer
                                + "</server></servers>\n"
                                + "  <autodiscover>false</autodiscover>\n  <authoritative>false</authoritative>\n"
                                + "  <maxcachesize>50000</maxcachesize>\n</dnsservice>\n");
        write(conf, "usersrepository.xml", USERS_REPOSITORY);
        write(conf, "mailrepositorystore.xml", MAIL_REPOSITORY_STORE);
        write(conf, "jmx.properties", "jmx.enabled=false\n");
        write(conf, "webadmin.properties", "enabled=false\n");
    }

    List<SmtpServer> smtpServerList() {
        return settings.clientAuthServer
                ? List.of(SmtpServer.STARTTLS, SmtpServer.IMPLICIT_TLS, SmtpServer.CLIENT_AUTH)
                : List.of(SmtpServer.STARTTLS, SmtpServer.IMPLICIT_TLS);
    }

    private String smtpServers() {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<smtpservers>\n");
        for (SmtpServer server : smtpServerList()) {
            xml.append(smtpServer(server));
        }
        return xml.append("</smtpservers>\n").toString();
    }

    private String smtpServer(SmtpServer server) {
        StringBuilder tls =
                new StringBuilder()
                        .append("    <tls socketTLS=\"")
                        .append(server.socketTls)
                        .append("\" startTLS=\"")
                        .append(server.startTls)
                        .append("\">\n")
                        .append("      <keystore>file://conf/keystore.p12</keystore>\n")
                        .append("      <keystoreType>PKCS12</keystoreType>\n")
                        .append("      <secret>")
                        .append(TestPki.STORE_SECRET)
                        .append("</secret>\n");
        if (!settings.supportedProtocols.isEmpty()) {
            tls.append("      <supportedProtocols>\n");
            for (String protocol : settings.supportedProtocols) {
                tls.append("        <protocol>").append(protocol).append("</protocol>\n");
            }
            tls.append("      </supportedProtocols>\n");
        }
        if (server.clientAuth) {
            tls.append("      <clientAuth>\n")
                    .append("        <truststore>file://conf/truststore.p12</truststore>\n")
                    .append("        <truststoreType>PKCS12</truststoreType>\n")
                    .append("        <truststoreSecret>")
                    .append(TestPki.STORE_SECRET)
                    .append("</truststoreSecret>\n")
                    .append("      </clientAuth>\n");
        }
        tls.append("    </tls>\n");
        return "  <smtpserver enabled=\"true\">\n"
                + "    <jmxName>"
                + server.jmxName
                + "</jmxName>\n"
                + "    <bind>"
                + settings.smtpBindAddress
                + ":0</bind>\n"
                + "    <connectionBacklog>200</connectionBacklog>\n"
                + tls
                + "    <connectiontimeout>360</connectiontimeout>\n"
                + "    <connectionLimit>0</connectionLimit>\n"
                + "    <connectionLimitPerIP>0</connectionLimitPerIP>\n"
                + "    <auth>\n"
                + "      <announce>never</announce>\n"
                + "      <requireSSL>false</requireSSL>\n"
                + "      <plainAuthEnabled>true</plainAuthEnabled>\n"
                + "    </auth>\n"
                + "    <authorizedAddresses>127.0.0.0/8</authorizedAddresses>\n"
                + "    <verifyIdentity>false</verifyIdentity>\n"
                + "    <maxmessagesize>0</maxmessagesize>\n"
                + "    <addressBracketsEnforcement>true</addressBracketsEnforcement>\n"
                + "    <gracefulShutdown>false</gracefulShutdown>\n"
                + "    <handlerchain>\n"
                + "      <handler class=\"org.apache.james.smtpserver.fastfail.ValidRcptHandler\"/>\n"
                + "      <handler class=\"org.apache.james.smtpserver.CoreCmdHandlerLoader\"/>\n"
                + "      "
                + settings.recordTlsFactsHandler
                + "\n"
                + "      "
                + settings.extraSmtpHandlers
                + "\n"
                + "    </handlerchain>\n"
                + "  </smtpserver>\n";
    }

    private static void write(Path conf, String name, String content) throws IOException {
        Files.write(conf.resolve(name), content.getBytes(StandardCharsets.UTF_8));
    }

    private static final String IMAP_SERVER =
            "<?xml version=\"1.0\"?>\n"
                    + "<imapservers>\n"
                    + "  <imapserver enabled=\"true\">\n"
                    + "    <jmxName>imapserver</jmxName>\n"
                    + "    <bind>127.0.0.1:0</bind>\n"
                    + "    <connectionBacklog>200</connectionBacklog>\n"
                    + "    <connectionLimit>0</connectionLimit>\n"
                    + "    <connectionLimitPerIP>0</connectionLimitPerIP>\n"
                    + "    <plainAuthDisallowed>false</plainAuthDisallowed>\n"
                    + "    <auth>\n"
                    + "      <plainAuthEnabled>true</plainAuthEnabled>\n"
                    + "    </auth>\n"
                    + "    <gracefulShutdown>false</gracefulShutdown>\n"
                    + "  </imapserver>\n"
                    + "</imapservers>\n";

    /** Minimal pipeline: root (with the test's mailets) -> transport -> local delivery. */
    private static final String MAILET_CONTAINER =
            "<?xml version=\"1.0\"?>\n"
                    + "<mailetcontainer enableJmx=\"false\">\n"
                    + "  <context>\n"
                    + "    <postmaster>@POSTMASTER@</postmaster>\n"
                    + "  </context>\n"
                    + "  <spooler>\n"
                    + "    <threads>2</threads>\n"
                    + "    <errorRepository>memory://var/mail/error/</errorRepository>\n"
                    + "  </spooler>\n"
                    + "  <processors>\n"
                    + "    <processor state=\"root\" enableJmx=\"false\">\n"
                    + "      <mailet match=\"All\" class=\"PostmasterAlias\"/>\n"
                    + "@ROOT_MAILETS@\n"
                    + "      <mailet match=\"All\" class=\"ToProcessor\">\n"
                    + "        <processor>transport</processor>\n"
                    + "      </mailet>\n"
                    + "    </processor>\n"
                    + "    <processor state=\"error\" enableJmx=\"false\">\n"
                    + "      <mailet match=\"All\" class=\"ToRepository\">\n"
                    + "        <repositoryPath>memory://var/mail/error/</repositoryPath>\n"
                    + "      </mailet>\n"
                    + "    </processor>\n"
                    + "    <processor state=\"transport\" enableJmx=\"false\">\n"
                    + "      <mailet match=\"All\" class=\"RemoveMimeHeader\">\n"
                    + "        <name>bcc</name>\n"
                    + "        <onMailetException>ignore</onMailetException>\n"
                    + "      </mailet>\n"
                    + "      <mailet match=\"All\" class=\"RecipientRewriteTable\">\n"
                    + "        <errorProcessor>rrt-error</errorProcessor>\n"
                    + "      </mailet>\n"
                    + "      <mailet match=\"RecipientIsLocal\" class=\"ToProcessor\">\n"
                    + "        <processor>local-delivery</processor>\n"
                    + "      </mailet>\n"
                    + "      <mailet match=\"All\" class=\"ToRepository\">\n"
                    + "        <repositoryPath>memory://var/mail/undeliverable/</repositoryPath>\n"
                    + "      </mailet>\n"
                    + "    </processor>\n"
                    + "    <processor state=\"local-delivery\" enableJmx=\"false\">\n"
                    + "      <mailet match=\"All\" class=\"LocalDelivery\"/>\n"
                    + "    </processor>\n"
                    + "    <processor state=\"rrt-error\" enableJmx=\"false\">\n"
                    + "      <mailet match=\"All\" class=\"ToRepository\">\n"
                    + "        <repositoryPath>memory://var/mail/rrt-error/</repositoryPath>\n"
                    + "      </mailet>\n"
                    + "    </processor>\n"
                    + "@EXTRA_PROCESSORS@\n"
                    + "  </processors>\n"
                    + "</mailetcontainer>\n";

    private static final String DOMAIN_LIST =
            "<?xml version=\"1.0\"?>\n"
                    + "<domainlist>\n"
                    + "  <autodetect>false</autodetect>\n"
                    + "  <autodetectIP>false</autodetectIP>\n"
                    + "  <defaultDomain>localhost</defaultDomain>\n"
                    + "</domainlist>\n";

    private static final String DNS_SERVICE =
            "<?xml version=\"1.0\"?>\n"
                    + "<dnsservice>\n"
                    + "  <autodiscover>true</autodiscover>\n"
                    + "  <authoritative>false</authoritative>\n"
                    + "  <maxcachesize>50000</maxcachesize>\n"
                    + "</dnsservice>\n";

    private static final String USERS_REPOSITORY =
            "<?xml version=\"1.0\"?>\n"
                    + "<usersrepository name=\"LocalUsers\">\n"
                    + "  <algorithm>PBKDF2-SHA512</algorithm>\n"
                    + "  <enableVirtualHosting>true</enableVirtualHosting>\n"
                    + "  <enableForwarding>true</enableForwarding>\n"
                    + "</usersrepository>\n";

    /**
     * memory:// as the stock memory distribution, and file:// (under the working directory) as
     * conf/ registers it.
     */
    private static final String MAIL_REPOSITORY_STORE =
            "<?xml version=\"1.0\"?>\n"
                    + "<mailrepositorystore>\n"
                    + "  <defaultProtocol>memory</defaultProtocol>\n"
                    + "  <mailrepositories>\n"
                    + "    <mailrepository class=\"org.apache.james.mailrepository.memory.MemoryMailRepository\">\n"
                    + "      <protocols>\n"
                    + "        <protocol>memory</protocol>\n"
                    + "      </protocols>\n"
                    + "    </mailrepository>\n"
                    + "    <mailrepository class=\"org.apache.james.mailrepository.file.FileMailRepository\">\n"
                    + "      <protocols>\n"
                    + "        <protocol>file</protocol>\n"
                    + "      </protocols>\n"
                    + "      <config FIFO=\"false\" CACHEKEYS=\"true\"/>\n"
                    + "    </mailrepository>\n"
                    + "  </mailrepositories>\n"
                    + "</mailrepositorystore>\n";
}
