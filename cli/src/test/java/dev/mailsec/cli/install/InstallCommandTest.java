package dev.mailsec.cli.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mailsec install} on James homes made here (the stock-file path and a real James start are
 * InstallIntoStockJamesTest's, in integration-tests): flags, a customised James, a cluster node
 * joining.
 */
class InstallCommandTest {
    private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    @TempDir Path tmp;
    private Path bundle;

    @BeforeEach
    void bundle() throws IOException {
        bundle = tmp.resolve("bundle");
        Files.createDirectories(bundle.resolve("extensions-jars"));
        Files.write(bundle.resolve("extensions-jars/mailsec-mailets-9.jar"), new byte[] {1, 2, 3});
        Files.createDirectories(bundle.resolve("conf"));
        try (Stream<Path> conf = Files.list(Paths.get("../conf"))) {
            for (Path p : (Iterable<Path>) conf::iterator) {
                Files.copy(p, bundle.resolve("conf").resolve(p.getFileName()));
            }
        }
    }

    private Path home(String name) throws IOException {
        Path home = tmp.resolve(name);
        Files.createDirectories(home.resolve("conf"));
        Files.createDirectories(home.resolve("extensions-jars"));
        return home;
    }

    private CliRun install(Path home, String... more) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "install",
                                "--bundle",
                                bundle.toString(),
                                "--james-home",
                                home.toString()));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(new String[0]));
    }

    @Test
    void badFlagsShouldFailNamingTheFlagAndTheValue() throws IOException {
        Path home = home("james");
        CliRun r = install(home, "--domain", "not a domain");
        assertThat(r.exitCode).isEqualTo(2);
        assertThat(r.err).contains("--domain: not a domain name: 'not a domain'");
        assertThat(
                        install(
                                        home,
                                        "--domain",
                                        "example.test",
                                        "--portal-url",
                                        "ftp://portal.example.test")
                                .err)
                .contains(
                        "--portal-url: an http:// or https:// URL with a host, got 'ftp://portal.example.test'");
        assertThat(install(home, "--domain", "example.test", "--smtp-listen", "0.0.0.0:99999").err)
                .contains("--smtp-listen: HOST:PORT, got '0.0.0.0:99999'");
        assertThat(install(home, "--domain", "example.test", "--organisation-domain", "x_y").err)
                .contains("--organisation-domain: not a domain name: 'x_y'");
        assertThat(
                        install(
                                        home,
                                        "--domain",
                                        "example.test",
                                        "--dkm-store",
                                        "jdbc:mysql://db/mail")
                                .err)
                .contains(
                        "--dkm-store: a DKM directory or jdbc:postgresql://..., got 'jdbc:mysql://db/mail'");
        assertThat(install(tmp.resolve("nowhere"), "--domain", "example.test").err)
                .contains(
                        "--james-home: not a James home (no conf/ folder): '"
                                + tmp.resolve("nowhere")
                                + "'");
        assertThat(install(home, "--domain", "example.test", "--join").err)
                .contains("--admin-credential: required with --join");
        // nothing was written by the refused runs
        try (Stream<Path> files = Files.walk(home)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void customisedJamesShouldKeepItsFilesAndGetTheStepsToMerge() throws IOException {
        Path home = home("james");
        String custom = "<mailetcontainer><!-- ours --></mailetcontainer>\n";
        Files.writeString(home.resolve("conf/mailetcontainer.xml"), custom);
        Files.writeString(home.resolve("conf/smtpserver.xml"), "<smtpservers/>\n");
        Files.writeString(home.resolve("conf/mailrepositorystore.xml"), "<mailrepositorystore/>\n");

        CliRun first = install(home, "--domain", "example.test", "--sample-pipeline");
        assertThat(first.exitCode).as(first.err).isZero();
        assertThat(first.out).contains("customised: merge the steps in conf/mailsec-merge.txt");
        assertThat(Files.readString(home.resolve("conf/mailetcontainer.xml"))).isEqualTo(custom);
        assertThat(home.resolve("conf/mailetcontainer.xml.before-mailsec")).doesNotExist();
        assertThat(Files.readString(home.resolve("conf/mailsec-merge.txt")))
                .contains("conf/mailetcontainer.xml: copy every step marked 'mailsec:'")
                .contains("conf/smtpserver.xml: add the dev.mailsec.smtp.* handlers")
                .contains(
                        "conf/mailrepositorystore.xml: register org.apache.james.mailrepository.file.FileMailRepository");
        // what only the pack's steps read is there for them: partner connectors, S/MIME trust
        // anchors
        assertThat(home.resolve("conf/connectors.xml")).isRegularFile();
        assertThat(Files.readString(home.resolve("conf/smime/ca.pem")))
                .contains("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(home.resolve("conf/mailsec-sample/mailetcontainer.xml")))
                .contains("<authservId>example.test</authservId>")
                .doesNotContain("SenderHostIs=mailsec.test");
        assertThat(home.resolve("extensions-jars/mailsec/mailsec-mailets-9.jar"))
                .hasBinaryContent(new byte[] {1, 2, 3});

        CliRun second = install(home, "--domain", "example.test", "--sample-pipeline");
        assertThat(second.exitCode).as(second.err).isZero();
        assertThat(second.out).contains("nothing changed: the pack was already installed as asked");
    }

    @Test
    void smimeDirectoryShouldWriteTheLdapStepWithItsHoldProcessor() throws IOException {
        Path home = home("james");
        String url = "ldap://127.0.0.1:3890/ou=people,dc=example,dc=test";
        CliRun first =
                install(
                        home,
                        "--domain",
                        "example.test",
                        "--sample-pipeline",
                        "--smime-directory",
                        url);
        assertThat(first.exitCode).as(first.err).isZero();
        assertThat(first.out)
                .contains(
                        "local-delivery encrypts with S/MIME certificates from "
                                + url
                                + " (chained to conf/smime/ca.pem), held in"
                                + " var/mail/smime-directory-down while it is down");
        String conf = Files.readString(home.resolve("conf/mailetcontainer.xml"));
        String localDelivery =
                conf.substring(
                        conf.indexOf("<processor state=\"local-delivery\""),
                        conf.indexOf("<processor state=\"relay\""));
        assertThat(localDelivery)
                .contains(
                        "<mailet match=\"dev.mailsec.matchers.smime.HasRecipientCertificate="
                                + url
                                + "; trustAnchors=conf/smime/ca.pem\""
                                + " class=\"dev.mailsec.mailets.smime.EncryptSmime\">")
                .contains("<onMatchException>smime-directory-down</onMatchException>")
                .contains("<errorProcessor>smime-directory-down</errorProcessor>")
                .contains("<ldapUrl>ldap://127.0.0.1:3890</ldapUrl>")
                .contains("<ldapBaseDn>ou=people,dc=example,dc=test</ldapBaseDn>")
                .doesNotContain("certificateFolder")
                .doesNotContain("ldapBindDn");
        // the hold processor, its repository on disk; the [smime] step of root keeps the folder
        assertThat(conf)
                .contains(
                        "<processor state=\"smime-directory-down\" enableJmx=\"true\">\n"
                                + "            <mailet match=\"All\""
                                + " class=\"dev.mailsec.mailets.HoldInRepository\">\n"
                                + "                <repositoryPath>file://var/mail/smime-directory-down/"
                                + "</repositoryPath>")
                .contains("processor=local-delivery");
        assertThat(conf.indexOf("<processor state=\"smime-directory-down\""))
                .isLessThan(conf.indexOf("<processor state=\"rrt-error\""));
        assertThat(conf.substring(0, conf.indexOf("<processor state=\"error\"")))
                .contains("<certificateFolder>conf/smime/certs</certificateFolder>");

        CliRun second =
                install(
                        home,
                        "--domain",
                        "example.test",
                        "--sample-pipeline",
                        "--smime-directory",
                        url);
        assertThat(second.exitCode).as(second.err).isZero();
        assertThat(second.out).contains("nothing changed: the pack was already installed as asked");
    }

    @Test
    void smimeDirectoryWithABindShouldNameTheDkmSecretNeverAPassword() throws IOException {
        Path home = home("james");
        CliRun r =
                install(
                        home,
                        "--domain",
                        "example.test",
                        "--sample-pipeline",
                        "--smime-directory",
                        "ldaps://dc1.example.com/ou=people,dc=example,dc=com",
                        "--smime-directory-bind-dn",
                        "cn=james,ou=services,dc=example,dc=com",
                        "--smime-directory-password-secret",
                        "ldap/james");
        assertThat(r.exitCode).as(r.err).isZero();
        assertThat(Files.readString(home.resolve("conf/mailetcontainer.xml")))
                .contains(
                        "HasRecipientCertificate=ldaps://dc1.example.com/ou=people,dc=example,dc=com;"
                                + " bindDn=cn=james,ou=services,dc=example,dc=com;"
                                + " passwordSecret=ldap/james; trustAnchors=conf/smime/ca.pem\"")
                .contains("<ldapBindDn>cn=james,ou=services,dc=example,dc=com</ldapBindDn>")
                .contains("<ldapPasswordSecret>ldap/james</ldapPasswordSecret>");
    }

    @Test
    void badSmimeDirectoryFlagsShouldFailNamingTheFlagAndTheValue() throws IOException {
        Path home = home("james");
        assertThat(install(home, "--domain", "example.test", "--smime-directory", "http://x/y").err)
                .contains(
                        "--smime-directory: an ldap:// or ldaps:// URL with a host and a base DN"
                                + " (ldaps://dc1.example.com/ou=people,dc=example,dc=com), got"
                                + " 'http://x/y'");
        assertThat(
                        install(
                                        home,
                                        "--domain",
                                        "example.test",
                                        "--smime-directory",
                                        "ldap://dc1.example.com")
                                .err)
                .contains("got 'ldap://dc1.example.com'");
        assertThat(
                        install(
                                        home,
                                        "--domain",
                                        "example.test",
                                        "--smime-directory",
                                        "ldap://dc1/ou=a;b=c")
                                .err)
                .contains("got 'ldap://dc1/ou=a;b=c'");
        assertThat(
                        install(
                                        home,
                                        "--domain",
                                        "example.test",
                                        "--smime-directory",
                                        "ldap://dc1/ou=people",
                                        "--smime-directory-bind-dn",
                                        "cn=james")
                                .err)
                .contains(
                        "--smime-directory-password-secret: required with --smime-directory-bind-dn");
        assertThat(
                        install(
                                        home,
                                        "--domain",
                                        "example.test",
                                        "--smime-directory-bind-dn",
                                        "cn=james")
                                .err)
                .contains("--smime-directory-bind-dn: only with --smime-directory");
        try (Stream<Path> files = Files.walk(home)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void anUpgradeShouldReplaceTheJarsAndKeepTheKeys() throws IOException {
        Path home = home("james");
        assertThat(install(home, "--domain", "example.test").exitCode).isZero();
        String state = Files.readString(home.resolve("var/mailsec/install.state"));
        byte[] credential =
                Files.readAllBytes(home.resolve("var/mailsec/credentials/james-transport.cred"));
        Files.delete(bundle.resolve("extensions-jars/mailsec-mailets-9.jar"));
        Files.write(bundle.resolve("extensions-jars/mailsec-mailets-10.jar"), new byte[] {4});
        // an even older version, dropped into extensions-jars/ itself as the README once said, and
        // a jar of James's
        Files.write(home.resolve("extensions-jars/mailsec-mailets-8.jar"), new byte[] {3});
        Files.write(home.resolve("extensions-jars/operator-own.jar"), new byte[] {5});

        CliRun upgrade = install(home, "--domain", "example.test");
        assertThat(upgrade.exitCode).as(upgrade.err).isZero();
        assertThat(upgrade.out)
                .contains("removed extensions-jars/mailsec/mailsec-mailets-9.jar")
                .contains("wrote extensions-jars/mailsec/mailsec-mailets-10.jar")
                .doesNotContain("created")
                .contains("removed extensions-jars/mailsec-mailets-8.jar");
        assertThat(home.resolve("extensions-jars/mailsec-mailets-8.jar")).doesNotExist();
        assertThat(home.resolve("extensions-jars/operator-own.jar")).exists();
        try (Stream<Path> jars = Files.list(home.resolve("extensions-jars/mailsec"))) {
            assertThat(jars.map(p -> p.getFileName().toString()))
                    .containsExactly("mailsec-mailets-10.jar");
        }
        assertThat(Files.readString(home.resolve("var/mailsec/install.state"))).isEqualTo(state);
        assertThat(home.resolve("var/mailsec/credentials/james-transport.cred"))
                .hasBinaryContent(credential);
    }

    @Test
    void aSecondNodeShouldJoinTheClusterStoreWithItsOwnIdentities() throws Exception {
        String schema = "install_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try {
            Path first = home("node1");
            CliRun one =
                    install(
                            first,
                            "--domain",
                            "example.test",
                            "--dkm-store",
                            PG,
                            "--dkm-schema",
                            schema);
            assertThat(one.exitCode).as(one.err).isZero();
            assertThat(one.out)
                    .contains("created the DKM store var/mailsec/dkm (records in PostgreSQL)");

            Path second = home("node2");
            CliRun two =
                    install(
                            second,
                            "--domain",
                            "example.test",
                            "--dkm-store",
                            PG,
                            "--dkm-schema",
                            schema,
                            "--rights-store",
                            PG,
                            "--join",
                            "--node-name",
                            "mx2",
                            "--admin-credential",
                            first.resolve("var/mailsec/dkm/credentials/admin.cred").toString(),
                            "--root-keys",
                            first.resolve("var/mailsec/dkm-root-keys").toString());
            assertThat(two.exitCode).as(two.err).isZero();
            assertThat(two.out)
                    .contains("DKM identity james-transport-mx2 created")
                    .contains("james-transport-mx2 is now a member of DKM group mail")
                    .contains("james-transport-mx2 is now a member of DKM group rights")
                    .contains("rights-portal-mx2 is now a member of DKM group rights")
                    .contains("dkim/example.test: exists in DKM, kept")
                    .doesNotContain("DKM group mail created");
            assertThat(Files.readString(second.resolve("conf/dkm.properties")))
                    .contains("store=" + PG)
                    .contains("store.schema=" + schema)
                    .contains("identity=var/mailsec/credentials/james-transport-mx2.cred")
                    .doesNotContain("rootKey");
            assertThat(Files.readString(second.resolve("conf/rights.xml")))
                    .contains("<store url=\"" + PG + "\" schema=\"mailsec_rights\"/>");
            CliRun members =
                    CliRun.of(
                            "dkm",
                            "--store",
                            first.resolve("var/mailsec/dkm").toString(),
                            "--identity",
                            first.resolve("var/mailsec/dkm/credentials/admin.cred").toString(),
                            "group",
                            "members",
                            "rights");
            assertThat(members.out)
                    .contains(
                            "james-transport",
                            "rights-portal",
                            "james-transport-mx2",
                            "rights-portal-mx2");

            assertThat(
                            install(
                                            second,
                                            "--domain",
                                            "example.test",
                                            "--dkm-store",
                                            PG,
                                            "--dkm-schema",
                                            schema,
                                            "--rights-store",
                                            PG,
                                            "--join",
                                            "--node-name",
                                            "mx2",
                                            "--admin-credential",
                                            first.resolve("var/mailsec/dkm/credentials/admin.cred")
                                                    .toString(),
                                            "--root-keys",
                                            first.resolve("var/mailsec/dkm-root-keys").toString())
                                    .out)
                    .contains("nothing changed");
        } finally {
            try (Connection c = DriverManager.getConnection(PG);
                    Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }
}
