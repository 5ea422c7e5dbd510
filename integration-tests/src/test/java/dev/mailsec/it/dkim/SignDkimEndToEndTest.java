package dev.mailsec.it.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.dkim.DkimPolicy;
import dev.mailsec.dkim.DkimResult;
import dev.mailsec.dkim.DkimSignatureResult;
import dev.mailsec.dkim.DkimVerifier;
import dev.mailsec.dkim.ZoneFileKeyRecordSource;
import dev.mailsec.dkim.sign.DkmSigningKeys;
import dev.mailsec.dkim.sign.KeyRecords;
import dev.mailsec.dkim.sign.SigningAlgorithm;
import dev.mailsec.dkm.Credential;
import dev.mailsec.dkm.IdentityType;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.SecretKind;
import dev.mailsec.dkm.SecretVersion;
import dev.mailsec.dkm.root.FileRootKeys;
import dev.mailsec.dkm.store.FileStorage;
import dev.mailsec.it.harness.Delivery;
import dev.mailsec.it.harness.JamesExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.mail.Folder;
import javax.mail.Session;
import javax.mail.Store;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SignDkim through a real James 3.8.1 with a real DKM file store: the key {@code dkim/mailsec.test}
 * (and its Ed25519 sibling) belongs to group {@code mail}, whose member is the service identity
 * {@code james-transport} that James runs as. Mail to bob is signed and delivered; what bob reads
 * over IMAP verifies with our verifier and with dkimpy. Mail to carol goes through a SignDkim whose
 * DKM is unreachable (PostgreSQL on a closed port): it is not lost and not delivered unsigned, but
 * goes to the configured processor, which hands it to the hold mailbox.
 */
class SignDkimEndToEndTest {

    static final Fixture FIX = Fixture.create();

    @RegisterExtension
    static JamesExtension james =
            JamesExtension.builder()
                    .user("alice@mailsec.test", "secret")
                    .user("bob@mailsec.test", "secret")
                    .user("carol@mailsec.test", "secret")
                    .user("hold@mailsec.test", "secret")
                    .rootMailets(
                            ""
                                    + "<mailet match=\"RecipientIs=bob@mailsec.test\" class=\"dev.mailsec.mailets.dkim.SignDkim\">\n"
                                    + "  <dkmConfig>"
                                    + FIX.jamesConfig
                                    + "</dkmConfig>\n"
                                    + "  <algorithms>both</algorithms>\n"
                                    + "  <onKeyStoreFailure>dkim-hold</onKeyStoreFailure>\n"
                                    + "</mailet>\n"
                                    + "<mailet match=\"RecipientIs=carol@mailsec.test\" class=\"dev.mailsec.mailets.dkim.SignDkim\">\n"
                                    + "  <dkmConfig>"
                                    + FIX.unreachableConfig
                                    + "</dkmConfig>\n"
                                    + "  <onKeyStoreFailure>dkim-hold</onKeyStoreFailure>\n"
                                    + "</mailet>\n")
                    .extraProcessors(
                            ""
                                    + "<processor state=\"dkim-hold\" enableJmx=\"false\">\n"
                                    + "  <mailet match=\"All\" class=\"Forward\"><forwardTo>hold@mailsec.test</forwardTo></mailet>\n"
                                    + "</processor>\n")
                    .build();

    @AfterAll
    static void cleanUp() throws IOException {
        try (Stream<Path> files = Files.walk(FIX.root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void signedMailShouldVerifyWithOurVerifierAndDkimpy() throws Exception {
        james.send(
                Delivery.plain()
                        .from("alice@mailsec.test")
                        .to("bob@mailsec.test")
                        .subject("signed by SignDkim")
                        .body("Hello Bob,\r\n\r\nthe  figures\tare attached.  \r\n\r\n"));
        MimeMessage read = james.awaitMessage("bob@mailsec.test", "secret", "signed by SignDkim");
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        read.writeTo(raw);
        byte[] bytes = raw.toByteArray();

        List<DkimSignatureResult> ours =
                new DkimVerifier(
                                ZoneFileKeyRecordSource.parse(FIX.zone, "zone"),
                                DkimPolicy.defaults())
                        .verify(bytes)
                        .results();
        assertThat(ours)
                .extracting(DkimSignatureResult::selector)
                .containsExactly("ed25519-v1", "rsa-v1");
        assertThat(ours)
                .extracting(DkimSignatureResult::result)
                .as(ours.toString())
                .containsOnly(DkimResult.PASS);
        assertThat(ours).extracting(DkimSignatureResult::domain).containsOnly("mailsec.test");

        assertThat(dkimpy(bytes)).isEqualTo("pass pass");
    }

    @Test
    void unreachableKeyStoreShouldRouteTheMailToTheProcessorNotDeliverItUnsigned()
            throws Exception {
        james.send(
                Delivery.plain()
                        .from("alice@mailsec.test")
                        .to("carol@mailsec.test")
                        .subject("key store down"));
        MimeMessage held = james.awaitMessage("hold@mailsec.test", "secret", "key store down");
        assertThat(held.getHeader("DKIM-Signature")).isNull();
        assertThat(inboxSize("carol@mailsec.test")).isZero();
    }

    private int inboxSize(String user) throws Exception {
        Store store = Session.getInstance(new Properties()).getStore("imap");
        store.connect("127.0.0.1", james.harness().imapPort(), user, "secret");
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            int n = inbox.getMessageCount();
            inbox.close(false);
            return n;
        } finally {
            store.close();
        }
    }

    private static String dkimpy(byte[] message) throws Exception {
        Path msg = Files.write(FIX.root.resolve("read.eml"), message);
        Path script =
                Files.write(
                        FIX.root.resolve("verify.py"),
                        String.join(
                                        "\n",
                                        "import sys, dkim",
                                        "records = {}",
                                        "for line in open(sys.argv[1]):",
                                        "    name, txt = line.rstrip('\\n').split(' ', 1)",
                                        "    records[name.encode()] = txt.encode()",
                                        "def dns(name, timeout=5):",
                                        "    return records.get(name.rstrip(b'.'))",
                                        "msg = open(sys.argv[2], 'rb').read()",
                                        "d = dkim.DKIM(msg)",
                                        "n = len([l for l in msg.split(b'\\r\\n\\r\\n', 1)[0].split(b'\\r\\n') if l.lower().startswith(b'dkim-signature:')])",
                                        "def check(i):",
                                        "    try:",
                                        "        return d.verify(idx=i, dnsfunc=dns)",
                                        "    except dkim.ValidationError:",
                                        "        return False",
                                        "print(' '.join('pass' if check(i) else 'fail' for i in range(n)))")
                                .getBytes(StandardCharsets.UTF_8));
        Process p =
                new ProcessBuilder(
                                "/usr/bin/python3",
                                script.toString(),
                                FIX.dnsRecords.toString(),
                                msg.toString())
                        .redirectErrorStream(true)
                        .start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String(out, StandardCharsets.UTF_8).trim();
    }

    /**
     * A DKM store set up as in docs/dkim-signing.md, and the DNS records an operator would publish.
     */
    static final class Fixture {
        final Path root;
        final Path jamesConfig;
        final Path unreachableConfig;
        final Path dnsRecords;
        final String zone;

        private Fixture(
                Path root, Path jamesConfig, Path unreachableConfig, Path dnsRecords, String zone) {
            this.root = root;
            this.jamesConfig = jamesConfig;
            this.unreachableConfig = unreachableConfig;
            this.dnsRecords = dnsRecords;
            this.zone = zone;
        }

        static Fixture create() {
            try {
                Path root = Files.createTempDirectory("mailsec-dkim-it-");
                Path cred = root.resolve("credentials/james-transport.cred");
                List<String> zone = new ArrayList<>();
                List<String> records = new ArrayList<>();
                try (FileStorage storage = FileStorage.create(root.resolve("data"))) {
                    try (KeyManager admin =
                            KeyManager.init(
                                    storage,
                                    new FileRootKeys(root.resolve("root-keys")),
                                    "admin",
                                    root.resolve("credentials/admin.cred"),
                                    Clock.systemUTC())) {
                        admin.createIdentity("james-transport", IdentityType.SERVICE, false, cred);
                        admin.createGroup("mail");
                        admin.addMember("mail", "james-transport");
                        admin.generate(
                                "dkim/mailsec.test", "mail", SecretKind.KEY_PAIR, "RSA-2048");
                        admin.generate(
                                "dkim/mailsec.test/ed25519",
                                "mail",
                                SecretKind.KEY_PAIR,
                                "Ed25519");
                    }
                    try (KeyManager transport =
                            KeyManager.open(
                                    storage, null, Credential.load(cred), Clock.systemUTC())) {
                        for (SigningAlgorithm a : SigningAlgorithm.values()) {
                            SecretVersion v =
                                    transport
                                            .get(DkmSigningKeys.secretName("mailsec.test", a))
                                            .primary();
                            zone.add(DkmSigningKeys.zoneLine("mailsec.test", v));
                            records.add(
                                    KeyRecords.name(
                                                    DkmSigningKeys.selector(a, v.number()),
                                                    "mailsec.test")
                                            + " "
                                            + KeyRecords.txt(v.publicKey()));
                        }
                    }
                }
                Path jamesConfig =
                        Files.write(
                                root.resolve("dkm.properties"),
                                Arrays.asList(
                                        "store=file:" + root.resolve("data"),
                                        "identity="
                                                + root.resolve("credentials/james-transport.cred"),
                                        "cacheTtl=PT5M"));
                Path unreachable =
                        Files.write(
                                root.resolve("unreachable-dkm.properties"),
                                Arrays.asList(
                                        "store=jdbc:postgresql://127.0.0.1:1/mailsec?user=postgres&connectTimeout=2",
                                        "identity="
                                                + root.resolve(
                                                        "credentials/james-transport.cred")));
                Path dns = Files.write(root.resolve("dns.txt"), records);
                return new Fixture(
                        root, jamesConfig, unreachable, dns, String.join("\n", zone) + "\n");
            } catch (Exception e) {
                throw new IllegalStateException("cannot set up the DKM store", e);
            }
        }
    }
}
