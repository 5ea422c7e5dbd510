package dev.mailsec.it.rights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.it.harness.Delivery;
import dev.mailsec.it.harness.JamesExtension;
import dev.mailsec.rights.EventType;
import dev.mailsec.rights.Protection;
import dev.mailsec.rights.RightsTestEnvironment;
import dev.mailsec.rights.RightsTestMessages;
import dev.mailsec.rights.StoredMessage;
import dev.mailsec.smime.SmimeTestPki;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.Session;
import javax.mail.Store;
import javax.mail.Transport;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.utils.DataProbeImpl;
import org.apache.james.utils.MailRepositoryProbeImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rights protection through a real James 3.8.1 with the sample pipeline's shape
 * (conf/mailetcontainer.xml): EnforceRights and ProtectMessage ([encrypt], [dnf]) on mail from
 * organisation users, transport decryption in local-delivery for organisation recipients, S/MIME
 * with the {@code rights-fallback} processor, and the {@code rights-key-store-down} processor. The
 * rights keys live in a real DKM file store (group rights, read by james-transport); the rights
 * store is a real file store shared with the test. external.test is hosted by this James but
 * outside the organisation, so carol gets only wrappers.
 */
class RightsEndToEndTest {

    static final Fixture FIX = Fixture.create();
    static final String KEY_STORE_DOWN = "memory://var/mail/rights-key-store-down/";

    @RegisterExtension
    static JamesExtension james =
            JamesExtension.builder()
                    .user("alice@mailsec.test", "secret")
                    .user("bob@mailsec.test", "secret")
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
    void anOutsideRecipientGetsOnlyTheWrapperAndAnOrganisationRecipientTheMarkedOriginal()
            throws Exception {
        String subject = "[encrypt] quarterly figures";
        byte[] original =
                RightsTestMessages.multipart(
                        "alice@mailsec.test",
                        "bob@mailsec.test, carol@external.test",
                        "enc-1@mailsec.test",
                        subject);
        sendRaw(original, "alice@mailsec.test", "bob@mailsec.test", "carol@external.test");

        MimeMessage carol = james.awaitMessage("carol@external.test", "secret", subject);
        String wire = raw(carol);
        assertNoSecret(wire);
        assertNoSecret(decodedText(carol));
        assertThat(carol.getHeader("X-Mailsec-Protected")[0]).contains("template=encrypt-only");
        assertThat(carol.getHeader("X-Mailsec-Rights")).isNull();
        assertThat(wire)
                .contains("message.mailsec")
                .contains("application/vnd.mailsec.protected+json")
                .contains("http://127.0.0.1:8090/m/");

        MimeMessage bob = james.awaitMessage("bob@mailsec.test", "secret", subject);
        assertThat(bob.getHeader("X-Mailsec-Rights")[0])
                .startsWith(
                        "template=encrypt-only; rights=view,reply,reply-all,forward,print,extract; licence=");
        MimeMultipart marked = (MimeMultipart) bob.getContent();
        assertThat((String) marked.getBodyPart(0).getContent())
                .contains("Protected message (encrypt-only)");
        // the original entity, byte for byte: its text, HTML and both attachments
        assertThat(body(bytes((MimeBodyPart) marked.getBodyPart(1)))).isEqualTo(body(original));
        assertThat(decodedText(bob))
                .contains(
                        RightsTestMessages.BODY_SECRET,
                        RightsTestMessages.HTML_SECRET,
                        RightsTestMessages.ATTACHMENT_SECRET,
                        RightsTestMessages.BINARY_SECRET);
        String licence = licenceOf(bob);
        assertThat(FIX.env.store().events(licence))
                .anySatisfy(e -> assertThat(e.address()).isEqualTo("bob@mailsec.test"));
    }

    @Test
    void aCompanyConfidentialSensitivityLabelAppliesDoNotForward() throws Exception {
        String subject = "salary review";
        byte[] labelled =
                new String(
                                RightsTestMessages.multipart(
                                        "alice@mailsec.test",
                                        "carol@external.test",
                                        "label-1@mailsec.test",
                                        subject),
                                StandardCharsets.UTF_8)
                        .replaceFirst(
                                "MIME-Version: 1.0\r\n",
                                "MIME-Version: 1.0\r\nSensitivity: Company-Confidential\r\n")
                        .getBytes(StandardCharsets.UTF_8);
        sendRaw(labelled, "alice@mailsec.test", "carol@external.test");
        MimeMessage carol = james.awaitMessage("carol@external.test", "secret", subject);
        assertThat(carol.getHeader("X-Mailsec-Protected")[0]).contains("template=do-not-forward");
        assertNoSecret(raw(carol));
    }

    @Test
    void
            aDoNotForwardMessageForwardedByItsRecipientToAnOutsiderIsBouncedWithTheReasonAndNotDelivered()
                    throws Exception {
        String subject = "[dnf] merger plan";
        sendRaw(
                RightsTestMessages.multipart(
                        "alice@mailsec.test", "bob@mailsec.test", "dnf-1@mailsec.test", subject),
                "alice@mailsec.test",
                "bob@mailsec.test");
        MimeMessage bobs = james.awaitMessage("bob@mailsec.test", "secret", subject);
        assertThat(bobs.getHeader("X-Mailsec-Rights")[0])
                .startsWith("template=do-not-forward; rights=view,reply,reply-all;");

        // forwarded as an attachment
        sendRaw(
                forwardAsAttachment(bobs, "carol@external.test", "Fwd: merger plan (attached)"),
                "bob@mailsec.test",
                "carol@external.test");
        MimeMessage bounce =
                james.awaitMessage("bob@mailsec.test", "secret", "Re: Fwd: merger plan (attached)");
        assertThat(decodedText(bounce))
                .contains("not sent")
                .contains("dnf-1@mailsec.test")
                .contains("do-not-forward")
                .contains("carol@external.test");
        assertNoSecret(decodedText(bounce));

        // forwarded inline, the client naming the original in References
        sendRaw(
                inline(bobs, "carol@external.test", "Fwd: merger plan (inline)"),
                "bob@mailsec.test",
                "carol@external.test");
        james.awaitMessage("bob@mailsec.test", "secret", "Re: Fwd: merger plan (inline)");

        // a reply to the sender is allowed and stays Do-Not-Forward
        sendRaw(
                inline(bobs, "alice@mailsec.test", "Re: merger plan"),
                "bob@mailsec.test",
                "alice@mailsec.test");
        MimeMessage reply = james.awaitMessage("alice@mailsec.test", "secret", "Re: merger plan");
        assertThat(reply.getHeader("X-Mailsec-Rights")[0]).startsWith("template=do-not-forward;");

        assertThat(subjects("carol@external.test"))
                .doesNotContain("Fwd: merger plan (attached)", "Fwd: merger plan (inline)");
        String licence = licenceOf(bobs);
        assertThat(FIX.env.store().events(licence))
                .filteredOn(e -> e.type() == EventType.FORWARD_BLOCKED)
                .hasSize(2);
    }

    @Test
    void encryptOnlyContentForwardedToAnOutsiderStaysProtected() throws Exception {
        String subject = "[encrypt] price list";
        sendRaw(
                RightsTestMessages.multipart(
                        "alice@mailsec.test", "bob@mailsec.test", "eo-1@mailsec.test", subject),
                "alice@mailsec.test",
                "bob@mailsec.test");
        MimeMessage bobs = james.awaitMessage("bob@mailsec.test", "secret", subject);
        assertThat(decodedText(bobs)).contains(RightsTestMessages.BODY_SECRET);

        sendRaw(
                forwardAsAttachment(bobs, "carol@external.test", "Fwd: price list"),
                "bob@mailsec.test",
                "carol@external.test");
        MimeMessage carol = james.awaitMessage("carol@external.test", "secret", "Fwd: price list");
        assertNoSecret(raw(carol));
        assertNoSecret(decodedText(carol));
        String licence =
                carol.getHeader("X-Mailsec-Protected")[0].replaceAll(
                        ".*licence=([A-Za-z0-9_-]+).*", "$1");
        StoredMessage stored = FIX.env.store().find(licence).get();
        assertThat(stored.template()).isEqualTo("encrypt-only");
        assertThat(stored.sender()).isEqualTo("bob@mailsec.test");
        assertThat(stored.recipients()).contains("carol@external.test");
    }

    @Test
    void aRevokedMessageIsNotTransportDecrypted() throws Exception {
        Protection revoked =
                FIX.env
                        .protector()
                        .protect(
                                RightsTestMessages.multipart(
                                        "alice@mailsec.test",
                                        "bob@mailsec.test",
                                        "rev-1@mailsec.test",
                                        "revoked one"),
                                "alice@mailsec.test",
                                List.of("bob@mailsec.test"),
                                FIX.env.settings().template("do-not-forward"));
        Protection live =
                FIX.env
                        .protector()
                        .protect(
                                RightsTestMessages.multipart(
                                        "alice@mailsec.test",
                                        "bob@mailsec.test",
                                        "rev-2@mailsec.test",
                                        "live one"),
                                "alice@mailsec.test",
                                List.of("bob@mailsec.test"),
                                FIX.env.settings().template("do-not-forward"));
        assertThat(FIX.env.store().revoke("rev-1@mailsec.test", "admin", "sent by mistake"))
                .isTrue();

        // the wrappers arrive from elsewhere (e.g. a copy carol was sent), addressed to bob
        sendRaw(bytes(revoked.wrapper()), "carol@external.test", "bob@mailsec.test");
        sendRaw(bytes(live.wrapper()), "carol@external.test", "bob@mailsec.test");

        MimeMessage stillWrapped = james.awaitMessage("bob@mailsec.test", "secret", "revoked one");
        assertThat(stillWrapped.getHeader("X-Mailsec-Rights")).isNull();
        assertNoSecret(raw(stillWrapped));
        MimeMessage opened = james.awaitMessage("bob@mailsec.test", "secret", "live one");
        assertThat(opened.getHeader("X-Mailsec-Rights")[0]).startsWith("template=do-not-forward;");
        assertThat(decodedText(opened)).contains(RightsTestMessages.BODY_SECRET);
        assertThat(FIX.env.store().events("rev-1@mailsec.test"))
                .anySatisfy(e -> assertThat(e.type()).isEqualTo(EventType.OPEN_REFUSED));
    }

    @Test
    void whenTheKeyStoreIsDownMailGoesToTheConfiguredProcessorAndNothingIsDeliveredInClear()
            throws Exception {
        MailRepositoryProbeImpl repositories =
                james.harness().server().getProbe(MailRepositoryProbeImpl.class);
        MailRepositoryUrl held = MailRepositoryUrl.from(KEY_STORE_DOWN);
        long before = count(repositories, held);

        // protecting: [down] uses a rights configuration whose DKM store cannot be reached
        sendRaw(
                RightsTestMessages.multipart(
                        "alice@mailsec.test",
                        "carol@external.test",
                        "down-1@mailsec.test",
                        "[down] payroll"),
                "alice@mailsec.test",
                "carol@external.test",
                "bob@mailsec.test");
        awaitCount(repositories, held, before + 1);

        // transport decryption: a wrapper for bob that the down configuration must open
        Protection p =
                FIX.env
                        .protector()
                        .protect(
                                RightsTestMessages.multipart(
                                        "alice@mailsec.test",
                                        "bob@mailsec.test",
                                        "down-2@mailsec.test",
                                        "[opendown] bonus"),
                                "alice@mailsec.test",
                                List.of("bob@mailsec.test"),
                                FIX.env.settings().template("encrypt-only"));
        sendRaw(bytes(p.wrapper()), "carol@external.test", "bob@mailsec.test");
        awaitCount(repositories, held, before + 2);

        assertThat(subjects("carol@external.test")).doesNotContain("[down] payroll");
        assertThat(subjects("bob@mailsec.test"))
                .doesNotContain("[down] payroll", "[opendown] bonus");
    }

    @Test
    void anSmimeRecipientWithoutCertificateGetsTheMessageRightsProtectedInstead() throws Exception {
        String subject = "[smime] board minutes";
        sendRaw(
                RightsTestMessages.multipart(
                        "alice@mailsec.test",
                        "bob@mailsec.test, carol@external.test",
                        "sm-1@mailsec.test",
                        subject),
                "alice@mailsec.test",
                "bob@mailsec.test",
                "carol@external.test");
        MimeMessage bob = james.awaitMessage("bob@mailsec.test", "secret", subject);
        assertThat(bob.getContentType()).contains("application/pkcs7-mime");
        MimeMessage carol = james.awaitMessage("carol@external.test", "secret", subject);
        assertNoSecret(raw(carol));
        assertNoSecret(decodedText(carol));
        assertThat(carol.getHeader("X-Mailsec-Protected")[0]).contains("template=encrypt-only");
    }

    // ---- helpers

    static void assertNoSecret(String text) {
        assertThat(text)
                .doesNotContain(RightsTestMessages.BODY_SECRET)
                .doesNotContain(RightsTestMessages.HTML_SECRET)
                .doesNotContain("GREEN-KESTREL")
                .doesNotContain(RightsTestMessages.BINARY_SECRET)
                .doesNotContain("Hello Carol");
    }

    static String licenceOf(MimeMessage readable) throws Exception {
        return readable.getHeader("X-Mailsec-Rights")[0].replaceAll(
                ".*licence=([A-Za-z0-9_-]+).*", "$1");
    }

    static long count(MailRepositoryProbeImpl probe, MailRepositoryUrl url) throws Exception {
        return probe.listRepositoryUrls().contains(url) ? probe.getRepositoryMailCount(url) : 0;
    }

    static void awaitCount(MailRepositoryProbeImpl probe, MailRepositoryUrl url, long expected)
            throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (count(probe, url) < expected) {
            assertThat(Instant.now())
                    .as("%s never held %d mails", url, expected)
                    .isBefore(deadline);
            Thread.sleep(100);
        }
    }

    /**
     * Every part's decoded text (transfer encodings removed), so plaintext cannot hide in base64 or
     * QP.
     */
    static String decodedText(Part part) throws Exception {
        StringBuilder sb = new StringBuilder();
        collect(part, sb, 0);
        return sb.toString();
    }

    private static void collect(Part part, StringBuilder sb, int depth) throws Exception {
        Object content = part.getContent();
        if (content instanceof Multipart && depth < 10) {
            Multipart mp = (Multipart) content;
            for (int i = 0; i < mp.getCount(); i++) {
                collect(mp.getBodyPart(i), sb, depth + 1);
            }
        } else if (content instanceof MimeMessage && depth < 10) {
            collect((MimeMessage) content, sb, depth + 1);
        } else {
            try (InputStream in = part.getInputStream()) {
                sb.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
            }
        }
    }

    static List<String> subjects(String user) throws Exception {
        Properties props = new Properties();
        Store store = Session.getInstance(props).getStore("imap");
        store.connect("127.0.0.1", james.harness().imapPort(), user, "secret");
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            List<String> out = new ArrayList<>();
            for (Message m : inbox.getMessages()) {
                out.add(m.getSubject());
            }
            inbox.close(false);
            return out;
        } finally {
            store.close();
        }
    }

    static byte[] forwardAsAttachment(MimeMessage received, String to, String subject)
            throws Exception {
        return ("From: bob@mailsec.test\r\nTo: "
                        + to
                        + "\r\nSubject: "
                        + subject
                        + "\r\nMessage-ID: <"
                        + Math.abs(subject.hashCode())
                        + ".fwd@mailsec.test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"fwd\"\r\n\r\n"
                        + "--fwd\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nFYI, see the attached message.\r\n"
                        + "--fwd\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\"forwarded.eml\"\r\n\r\n"
                        + raw(received)
                        + "\r\n--fwd--\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * A forward or reply with the original quoted inline, naming it in In-Reply-To / References (as
     * clients do).
     */
    static byte[] inline(MimeMessage received, String to, String subject) throws Exception {
        String mid = received.getHeader("Message-ID")[0];
        return ("From: bob@mailsec.test\r\nTo: "
                        + to
                        + "\r\nSubject: "
                        + subject
                        + "\r\nMessage-ID: <"
                        + Math.abs(subject.hashCode())
                        + ".inline@mailsec.test>\r\nIn-Reply-To: "
                        + mid
                        + "\r\nReferences: "
                        + mid
                        + "\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: text/plain; charset=utf-8\r\n\r\n-------- Original Message --------\r\n> "
                        + RightsTestMessages.BODY_SECRET
                        + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    static String raw(MimeMessage m) throws Exception {
        return new String(bytes(m), StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(MimeMessage m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toByteArray();
    }

    static byte[] bytes(MimeBodyPart p) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.writeTo(out);
        return out.toByteArray();
    }

    /** What follows the header block. */
    static String body(byte[] raw) {
        String s = new String(raw, StandardCharsets.ISO_8859_1);
        int i = s.indexOf("\r\n\r\n");
        return i < 0 ? "" : s.substring(i + 4);
    }

    /** Sends prepared MIME bytes unchanged over SMTP with this envelope sender. */
    static void sendRaw(byte[] message, String sender, String... to) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "localhost");
        props.put(
                "mail.smtp.port", Integer.toString(james.harness().smtpPort(Delivery.Mode.PLAIN)));
        props.put("mail.smtp.localhost", "client.mailsec.test");
        props.put("mail.smtp.from", sender);
        Session session = Session.getInstance(props);
        MimeMessage m =
                new MimeMessage(session, new ByteArrayInputStream(message)) {
                    @Override
                    protected void updateMessageID() {
                        // keep the client's Message-ID
                    }
                };
        try (Transport t = session.getTransport("smtp")) {
            t.connect();
            InternetAddress[] rcpts = new InternetAddress[to.length];
            for (int i = 0; i < to.length; i++) {
                rcpts[i] = new InternetAddress(to[i]);
            }
            t.sendMessage(m, rcpts);
        }
    }

    /**
     * The rights set-up (DKM, rights store, rights.xml), a second configuration whose DKM is down,
     * bob's certificate.
     */
    static final class Fixture {
        final Path root;
        final RightsTestEnvironment env;
        final Path downConfig;
        final Path certs;
        final Path ca;

        private Fixture(Path root) throws Exception {
            this.root = root;
            env = RightsTestEnvironment.create(root.resolve("rights"), Clock.systemUTC());
            Path down = Files.createDirectories(root.resolve("down"));
            // same store, same identity, but a DKM store nobody listens for
            Files.write(
                    down.resolve("dkm.properties"),
                    ("store=jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2\n"
                                    + "identity="
                                    + env.dir().resolve("credentials/james-transport.cred")
                                    + "\ncacheTtl=PT0S\n")
                            .getBytes(StandardCharsets.UTF_8));
            downConfig = down.resolve("rights.xml");
            Files.write(
                    downConfig,
                    RightsTestEnvironment.RIGHTS_XML
                            .replace(
                                    "<store url=\"file:rights-state\" />",
                                    "<store url=\"file:"
                                            + env.dir().resolve("rights-state")
                                            + "\" />\n"
                                            + "  <dkm config=\""
                                            + down.resolve("dkm.properties")
                                            + "\"/>")
                            .getBytes(StandardCharsets.UTF_8));
            SmimeTestPki pki = new SmimeTestPki("Rights E2E CA");
            certs = Files.createDirectory(root.resolve("certs"));
            ca = root.resolve("ca.pem");
            SmimeTestPki.writeCert(ca, pki.ca);
            SmimeTestPki.writeCert(
                    certs.resolve("bob.pem"), pki.user("bob@mailsec.test").certificate());
        }

        static Fixture create() {
            try {
                return new Fixture(Files.createTempDirectory("mailsec-rights-e2e-"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        String mailetContainer() {
            String rights = env.rightsXml().toString();
            return "<?xml version=\"1.0\"?>\n<mailetcontainer enableJmx=\"false\">\n"
                    + "  <context><postmaster>postmaster@mailsec.test</postmaster></context>\n"
                    + "  <spooler><threads>2</threads><errorRepository>memory://var/mail/error/</errorRepository></spooler>\n"
                    + "  <processors>\n"
                    + "    <processor state=\"root\" enableJmx=\"false\">\n"
                    + "      <matcher name=\"from-organisation-user\" match=\"org.apache.james.mailetcontainer.impl.matchers.And\">\n"
                    + "        <matcher match=\"SenderIsLocal\"/>\n"
                    + "        <matcher match=\"SenderHostIs=mailsec.test\"/>\n"
                    + "      </matcher>\n"
                    + "      <matcher name=\"wants-do-not-forward\" match=\"org.apache.james.mailetcontainer.impl.matchers.And\">\n"
                    + "        <matcher match=\"SenderIsLocal\"/>\n"
                    + "        <matcher match=\"SenderHostIs=mailsec.test\"/>\n"
                    + "        <matcher match=\"org.apache.james.mailetcontainer.impl.matchers.Or\">\n"
                    + "          <matcher match=\"SubjectStartsWith=[dnf]\"/>\n"
                    + "          <matcher match=\"dev.mailsec.matchers.rights.HasSensitivityLabel=Company-Confidential\"/>\n"
                    + "        </matcher>\n"
                    + "      </matcher>\n"
                    + "      <matcher name=\"wants-encrypt-only\" match=\"org.apache.james.mailetcontainer.impl.matchers.And\">\n"
                    + "        <matcher match=\"SenderIsLocal\"/>\n"
                    + "        <matcher match=\"SenderHostIs=mailsec.test\"/>\n"
                    + "        <matcher match=\"SubjectStartsWith=[encrypt]\"/>\n"
                    + "      </matcher>\n"
                    + "      <matcher name=\"wants-down\" match=\"org.apache.james.mailetcontainer.impl.matchers.And\">\n"
                    + "        <matcher match=\"SenderIsLocal\"/>\n"
                    + "        <matcher match=\"SenderHostIs=mailsec.test\"/>\n"
                    + "        <matcher match=\"SubjectStartsWith=[down]\"/>\n"
                    + "      </matcher>\n"
                    + "      <matcher name=\"wants-smime\" match=\"org.apache.james.mailetcontainer.impl.matchers.And\">\n"
                    + "        <matcher match=\"SenderIsLocal\"/>\n"
                    + "        <matcher match=\"SenderHostIs=mailsec.test\"/>\n"
                    + "        <matcher match=\"SubjectStartsWith=[smime]\"/>\n"
                    + "      </matcher>\n"
                    + "      <mailet match=\"All\" class=\"PostmasterAlias\"/>\n"
                    + "      <mailet match=\"from-organisation-user\" class=\"dev.mailsec.mailets.rights.EnforceRights\">\n"
                    + "        <config>"
                    + rights
                    + "</config>\n"
                    + "        <onKeyStoreDown>rights-key-store-down</onKeyStoreDown>\n"
                    + "      </mailet>\n"
                    + "      <mailet match=\"All\" class=\"RemoveMimeHeader\"><name>X-Mailsec-Rights</name></mailet>\n"
                    + "      <mailet match=\"wants-do-not-forward\" class=\"dev.mailsec.mailets.rights.ProtectMessage\">\n"
                    + "        <config>"
                    + rights
                    + "</config>\n"
                    + "        <template>do-not-forward</template>\n"
                    + "        <onKeyStoreDown>rights-key-store-down</onKeyStoreDown>\n"
                    + "      </mailet>\n"
                    + "      <mailet match=\"wants-encrypt-only\" class=\"dev.mailsec.mailets.rights.ProtectMessage\">\n"
                    + "        <config>"
                    + rights
                    + "</config>\n"
                    + "        <template>encrypt-only</template>\n"
                    + "        <onKeyStoreDown>rights-key-store-down</onKeyStoreDown>\n"
                    + "      </mailet>\n"
                    + "      <mailet match=\"wants-down\" class=\"dev.mailsec.mailets.rights.ProtectMessage\">\n"
                    + "        <config>"
                    + downConfig
                    + "</config>\n"
                    + "        <template>encrypt-only</template>\n"
                    + "        <onKeyStoreDown>rights-key-store-down</onKeyStoreDown>\n"
                    + "      </mailet>\n"
                    + "      <mailet match=\"wants-smime\" class=\"dev.mailsec.mailets.smime.EncryptSmime\">\n"
                    + "        <certificateFolder>"
                    + certs
                    + "</certificateFolder>\n"
                    + "        <trustAnchors>"
                    + ca
                    + "</trustAnchors>\n"
                    + "        <checkRevocation>false</checkRevocation>\n"
                    + "        <policy>processor</policy>\n"
                    + "        <processor>rights-fallback</processor>\n"
                    + "      </mailet>\n"
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
                    + "      <matcher name=\"protected-down\" match=\"org.apache.james.mailetcontainer.impl.matchers.And\">\n"
                    + "        <matcher match=\"dev.mailsec.matchers.rights.IsRightsProtected\"/>\n"
                    + "        <matcher match=\"SubjectStartsWith=[opendown]\"/>\n"
                    + "      </matcher>\n"
                    + "      <matcher name=\"protected-for-organisation\" match=\"org.apache.james.mailetcontainer.impl.matchers.And\">\n"
                    + "        <matcher match=\"dev.mailsec.matchers.rights.IsRightsProtected\"/>\n"
                    + "        <matcher match=\"org.apache.james.mailetcontainer.impl.matchers.Not\">\n"
                    + "          <matcher match=\"dev.mailsec.matchers.rights.IsRecipientOutsideOrganisation=mailsec.test\"/>\n"
                    + "        </matcher>\n"
                    + "      </matcher>\n"
                    + "      <mailet match=\"protected-down\" class=\"dev.mailsec.mailets.rights.DecryptRightsProtected\">\n"
                    + "        <config>"
                    + downConfig
                    + "</config>\n"
                    + "        <onKeyStoreDown>rights-key-store-down</onKeyStoreDown>\n"
                    + "      </mailet>\n"
                    + "      <mailet match=\"protected-for-organisation\" class=\"dev.mailsec.mailets.rights.DecryptRightsProtected\">\n"
                    + "        <config>"
                    + rights
                    + "</config>\n"
                    + "        <onKeyStoreDown>rights-key-store-down</onKeyStoreDown>\n"
                    + "      </mailet>\n"
                    + "      <mailet match=\"All\" class=\"LocalDelivery\"/>\n"
                    + "    </processor>\n"
                    + "    <processor state=\"rights-fallback\" enableJmx=\"false\">\n"
                    + "      <mailet match=\"All\" class=\"dev.mailsec.mailets.rights.ProtectMessage\">\n"
                    + "        <config>"
                    + rights
                    + "</config>\n"
                    + "        <template>encrypt-only</template>\n"
                    + "        <onKeyStoreDown>rights-key-store-down</onKeyStoreDown>\n"
                    + "      </mailet>\n"
                    + "      <mailet match=\"All\" class=\"ToProcessor\"><processor>transport</processor></mailet>\n"
                    + "    </processor>\n"
                    + "    <processor state=\"rights-key-store-down\" enableJmx=\"false\">\n"
                    + "      <mailet match=\"All\" class=\"ToRepository\"><repositoryPath>"
                    + KEY_STORE_DOWN
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
