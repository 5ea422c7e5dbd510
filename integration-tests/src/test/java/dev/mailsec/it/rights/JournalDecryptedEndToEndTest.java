package dev.mailsec.it.rights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.dkm.IdentityType;
import dev.mailsec.it.harness.JamesExtension;
import dev.mailsec.rights.DiscoveryRole;
import dev.mailsec.rights.EventType;
import dev.mailsec.rights.RightsHeaders;
import dev.mailsec.rights.RightsTestEnvironment;
import dev.mailsec.rights.RightsTestMessages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.mail.internet.MimeMessage;
import org.apache.james.core.MailAddress;
import org.apache.james.mailrepository.api.MailKey;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.utils.DataProbeImpl;
import org.apache.james.utils.MailRepositoryProbeImpl;
import org.apache.mailet.Mail;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Journal decryption in a real James 3.8.1: ProtectMessage protects [encrypt] mail from alice,
 * JournalDecrypted (the eDiscovery role's service identity {@code rights-journal}, a member of the
 * groups rights and rights-discovery in a real DKM file store) delivers a decrypted copy marked
 * {@code X-Mailsec-Journal} to journal@mailsec.test, and the recipient still gets the protected
 * wrapper. A second JournalDecrypted whose identity does not hold the role ([norole]) holds the
 * journal copy, still protected, in a repository; the recipient's mail is unaffected.
 */
class JournalDecryptedEndToEndTest {
    static final Fixture FIX = Fixture.create();
    static final String HELD = "memory://var/mail/rights-journal-held/";

    @RegisterExtension
    static JamesExtension james =
            JamesExtension.builder()
                    .user("alice@mailsec.test", "secret")
                    .user("journal@mailsec.test", "secret")
                    .mailetContainer(FIX.mailetContainer())
                    .build();

    @BeforeAll
    static void outsideDomain() throws Exception {
        DataProbeImpl data = james.harness().server().getProbe(DataProbeImpl.class);
        data.addDomain("external.test");
        data.addUser("carol@external.test", "secret");
    }

    @AfterAll
    static void cleanUp() throws IOException {
        try {
            FIX.env.close();
        } finally {
            try (Stream<Path> files = Files.walk(FIX.root)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void theJournalGetsTheDecryptedMarkedCopyAndTheRecipientTheProtectedOne() throws Exception {
        String subject = "[encrypt] journal me";
        james.sendRaw(
                RightsTestMessages.multipart(
                        "alice@mailsec.test",
                        "carol@external.test",
                        "journal-1@mailsec.test",
                        subject),
                "carol@external.test");

        MimeMessage carol = james.awaitMessage("carol@external.test", "secret", subject);
        String wrapper = new String(JamesExtension.bytes(carol), StandardCharsets.ISO_8859_1);
        assertThat(wrapper)
                .doesNotContain(RightsTestMessages.BODY_SECRET)
                .contains("message.mailsec");
        assertThat(carol.getHeader(RightsHeaders.JOURNAL)).isNull();
        String licence = RightsHeaders.licenceIdOf(carol.getHeader("X-Mailsec-Protected")[0]);

        MimeMessage journal = james.awaitMessage("journal@mailsec.test", "secret", subject);
        assertThat(new String(JamesExtension.bytes(journal), StandardCharsets.ISO_8859_1))
                .contains(RightsTestMessages.BODY_SECRET)
                .doesNotContain("message.mailsec");
        assertThat(journal.getHeader(RightsHeaders.JOURNAL)[0])
                .isEqualTo("decrypted; licence=" + licence + "; by=discovery:rights-journal");
        assertThat(journal.getHeader(RightsHeaders.RIGHTS)[0]).contains("licence=" + licence);
        assertThat(FIX.env.store().events(licence))
                .filteredOn(e -> e.type() == EventType.DISCOVERY_OPENED)
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.address()).isEqualTo("discovery:rights-journal");
                            assertThat(e.detail()).contains("journal copy to journal@mailsec.test");
                        });
        // the copy went to the journal only: carol has the wrapper alone
        assertThat(james.subjects("carol@external.test", "secret")).containsOnlyOnce(subject);
    }

    @Test
    void withoutTheRoleTheJournalCopyIsHeldProtectedAndTheRecipientStillGetsHerMail()
            throws Exception {
        MailRepositoryProbeImpl repositories =
                james.harness().server().getProbe(MailRepositoryProbeImpl.class);
        MailRepositoryUrl held = MailRepositoryUrl.from(HELD);
        String subject = "[encrypt] [norole] hold the journal copy";
        james.sendRaw(
                RightsTestMessages.multipart(
                        "alice@mailsec.test",
                        "carol@external.test",
                        "journal-2@mailsec.test",
                        subject),
                "carol@external.test");
        MimeMessage carol = james.awaitMessage("carol@external.test", "secret", subject);
        assertThat(carol.getHeader("X-Mailsec-Protected")).isNotNull();

        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (count(repositories, held) < 1 && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertThat(count(repositories, held)).isEqualTo(1);
        MailKey key = repositories.listMailKeys(held).get(0);
        Mail copy = repositories.getMail(held, key);
        assertThat(copy.getRecipients()).containsExactly(new MailAddress("journal@mailsec.test"));
        assertThat(new String(JamesExtension.bytes(copy.getMessage()), StandardCharsets.ISO_8859_1))
                .doesNotContain(RightsTestMessages.BODY_SECRET)
                .contains("message.mailsec");
        assertThat(james.subjects("journal@mailsec.test", "secret")).doesNotContain(subject);
        String licence = RightsHeaders.licenceIdOf(carol.getHeader("X-Mailsec-Protected")[0]);
        assertThat(FIX.env.store().events(licence))
                .filteredOn(e -> e.type() == EventType.DISCOVERY_REFUSED)
                .singleElement()
                .satisfies(e -> assertThat(e.address()).isEqualTo("discovery:no-role-journal"));
    }

    static long count(MailRepositoryProbeImpl probe, MailRepositoryUrl url) throws Exception {
        return probe.listRepositoryUrls().contains(url) ? probe.getRepositoryMailCount(url) : 0;
    }

    static final class Fixture {
        final Path root;
        final RightsTestEnvironment env;
        final Path journalDkm;
        final Path noRoleDkm;

        private Fixture(Path root) throws Exception {
            this.root = root;
            env = RightsTestEnvironment.create(root.resolve("rights"), Clock.systemUTC());
            DiscoveryRole.create(
                    env.admin(), DiscoveryRole.DEFAULT_GROUP, DiscoveryRole.DEFAULT_SECRET);
            journalDkm = service("rights-journal", true);
            noRoleDkm = service("no-role-journal", false);
        }

        private Path service(String name, boolean role) throws Exception {
            Path cred = env.dir().resolve("credentials/" + name + ".cred");
            env.admin().createIdentity(name, IdentityType.SERVICE, false, cred);
            env.admin().addMember("rights", name);
            if (role) {
                env.admin().addMember(DiscoveryRole.DEFAULT_GROUP, name);
            }
            Path props = env.dir().resolve(name + ".properties");
            Files.write(
                    props,
                    ("store=file:"
                                    + env.dir().resolve("dkm-data")
                                    + "\nidentity="
                                    + cred
                                    + "\ncacheTtl=PT0S\n")
                            .getBytes(StandardCharsets.UTF_8));
            return props;
        }

        static Fixture create() {
            try {
                return new Fixture(Files.createTempDirectory("mailsec-journal-e2e-"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private String journal(String match, Path dkm) {
            return "      <mailet match=\""
                    + match
                    + "\" class=\"dev.mailsec.mailets.rights.JournalDecrypted\">\n"
                    + "        <journal>journal@mailsec.test</journal>\n"
                    + "        <dkmConfig>"
                    + dkm
                    + "</dkmConfig>\n"
                    + "        <config>"
                    + env.rightsXml()
                    + "</config>\n"
                    + "        <processor>local-delivery</processor>\n"
                    + "        <onKeyStoreFailure>rights-journal-held</onKeyStoreFailure>\n"
                    + "      </mailet>\n";
        }

        String mailetContainer() {
            String rights = env.rightsXml().toString();
            return "<?xml version=\"1.0\"?>\n<mailetcontainer enableJmx=\"false\">\n"
                    + "  <context><postmaster>postmaster@mailsec.test</postmaster></context>\n"
                    + "  <spooler><threads>2</threads><errorRepository>memory://var/mail/error/</errorRepository></spooler>\n"
                    + "  <processors>\n"
                    + "    <processor state=\"root\" enableJmx=\"false\">\n"
                    + "      <matcher name=\"wants-encrypt-only\" match=\"org.apache.james.mailetcontainer.impl.matchers.And\">\n"
                    + "        <matcher match=\"SenderIsLocal\"/>\n"
                    + "        <matcher match=\"SubjectStartsWith=[encrypt]\"/>\n"
                    + "      </matcher>\n"
                    + "      <matcher name=\"protected-with-role\" match=\"org.apache.james.mailetcontainer.impl.matchers.And\">\n"
                    + "        <matcher match=\"dev.mailsec.matchers.rights.IsRightsProtected\"/>\n"
                    + "        <matcher match=\"org.apache.james.mailetcontainer.impl.matchers.Not\">\n"
                    + "          <matcher match=\"SubjectStartsWith=[encrypt] [norole]\"/>\n"
                    + "        </matcher>\n"
                    + "      </matcher>\n"
                    + "      <matcher name=\"protected-without-role\" match=\"org.apache.james.mailetcontainer.impl.matchers.And\">\n"
                    + "        <matcher match=\"dev.mailsec.matchers.rights.IsRightsProtected\"/>\n"
                    + "        <matcher match=\"SubjectStartsWith=[encrypt] [norole]\"/>\n"
                    + "      </matcher>\n"
                    + "      <mailet match=\"All\" class=\"PostmasterAlias\"/>\n"
                    + "      <mailet match=\"wants-encrypt-only\" class=\"dev.mailsec.mailets.rights.ProtectMessage\">\n"
                    + "        <config>"
                    + rights
                    + "</config>\n"
                    + "        <template>encrypt-only</template>\n"
                    + "        <onKeyStoreFailure>rights-journal-held</onKeyStoreFailure>\n"
                    + "      </mailet>\n"
                    + journal("protected-with-role", journalDkm)
                    + journal("protected-without-role", noRoleDkm)
                    + "      <mailet match=\"All\" class=\"ToProcessor\"><processor>transport</processor></mailet>\n"
                    + "    </processor>\n"
                    + "    <processor state=\"error\" enableJmx=\"false\">\n"
                    + "      <mailet match=\"All\" class=\"ToRepository\"><repositoryPath>memory://var/mail/error/</repositoryPath></mailet>\n"
                    + "    </processor>\n"
                    + "    <processor state=\"transport\" enableJmx=\"false\">\n"
                    + "      <mailet match=\"All\" class=\"RemoveMimeHeader\"><name>bcc</name><onMailetException>ignore</onMailetException></mailet>\n"
                    + "      <mailet match=\"All\" class=\"RecipientRewriteTable\"><errorProcessor>rrt-error</errorProcessor></mailet>\n"
                    + "      <mailet match=\"RecipientIsLocal\" class=\"ToProcessor\"><processor>local-delivery</processor></mailet>\n"
                    + "      <mailet match=\"All\" class=\"ToRepository\"><repositoryPath>memory://var/mail/undeliverable/</repositoryPath></mailet>\n"
                    + "    </processor>\n"
                    + "    <processor state=\"local-delivery\" enableJmx=\"false\">\n"
                    + "      <mailet match=\"All\" class=\"LocalDelivery\"/>\n"
                    + "    </processor>\n"
                    + "    <processor state=\"rights-journal-held\" enableJmx=\"false\">\n"
                    + "      <mailet match=\"All\" class=\"ToRepository\"><repositoryPath>"
                    + HELD
                    + "</repositoryPath></mailet>\n"
                    + "    </processor>\n"
                    + "    <processor state=\"rrt-error\" enableJmx=\"false\">\n"
                    + "      <mailet match=\"All\" class=\"ToRepository\"><repositoryPath>memory://var/mail/rrt-error/</repositoryPath></mailet>\n"
                    + "    </processor>\n"
                    + "  </processors>\n"
                    + "</mailetcontainer>\n";
        }
    }
}
