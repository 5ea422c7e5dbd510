package dev.mailsec.it.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension running one real James 3.8.1 for all tests of a class:
 *
 * <pre>{@code
 * @RegisterExtension
 * static JamesExtension james = JamesExtension.builder()
 *     .user("bob@mailsec.test", "secret")
 *     .rootMailets("<mailet match=\"All\" class=\"dev.mailsec.mailets.AddTlsTrace\"/>")
 *     .build();
 *
 * james.send(Delivery.startTls().to("bob@mailsec.test").subject("hi"));
 * MimeMessage read = james.awaitMessage("bob@mailsec.test", "secret", "hi");
 * }</pre>
 *
 * James gets SMTP on 127.0.0.1 with STARTTLS offered, SMTP with implicit TLS, optionally a third
 * SMTP server that requires a client certificate, and IMAP (plain login allowed), all on free
 * ports; the {@code dev.mailsec.smtp.RecordTlsFacts} hook in every SMTP handler chain; the server
 * certificate from a CA generated for the run ({@link TestPki}).
 */
public final class JamesExtension implements BeforeAllCallback, AfterAllCallback {

    private final Builder settings;
    private JamesHarness harness;

    private JamesExtension(Builder settings) {
        this.settings = settings;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        harness = settings.start(Files.createTempDirectory("mailsec-james-"));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (harness != null) {
            harness.close();
            harness = null;
        }
    }

    public JamesHarness harness() {
        if (harness == null) {
            throw new IllegalStateException(
                    "James is not running: register the extension with @RegisterExtension on a static field");
        }
        return harness;
    }

    /** Restarts James in the same working directory ({@link JamesHarness#restart()}). */
    public void restart() throws Exception {
        JamesHarness old = harness();
        harness = null;
        try {
            harness = old.restart();
        } catch (Exception | Error e) {
            JamesHarness.deleteRecursively(old.workingDirectory());
            throw e;
        }
    }

    /** James's WebAdmin; only with {@link Builder#withWebAdmin()}. */
    public WebAdmin webAdmin() {
        return harness().webAdmin();
    }

    public void send(Delivery delivery) throws MessagingException {
        harness().send(delivery);
    }

    public MimeMessage awaitMessage(String user, String password, String subject)
            throws MessagingException, InterruptedException {
        return harness().awaitMessage(user, password, subject);
    }

    public TestPki pki() {
        return harness().pki();
    }

    /** Sends prepared MIME bytes unchanged over plain SMTP to these recipients. */
    public void sendRaw(byte[] message, String... to) throws MessagingException {
        MailClients.sendRaw(harness().smtpPort(Delivery.Mode.PLAIN), message, to);
    }

    /** The subjects in the user's INBOX now. */
    public List<String> subjects(String user, String password) throws MessagingException {
        return MailClients.subjects(harness().imapPort(), user, password);
    }

    /** A message as bytes, as {@code writeTo} gives them. */
    public static byte[] bytes(MimeMessage message) throws IOException, MessagingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

    /** What James is configured with; every setting has a working default. */
    public static final class Builder {
        String domain = "mailsec.test";
        final Map<String, String> users = new LinkedHashMap<>();
        String rootMailets = "";
        String extraProcessors = "";
        String mailetContainer;
        String recordTlsFactsHandler = JamesConfiguration.RECORD_TLS_FACTS_HANDLER;
        String extraSmtpHandlers = "";
        final List<String> supportedProtocols = new ArrayList<>();
        boolean clientAuthServer;
        String dnsServer;
        String smtpBindAddress = "127.0.0.1";
        boolean webAdmin;

        private Builder() {}

        /** The local domain users live in; default {@code mailsec.test}. */
        public Builder domain(String domain) {
            this.domain = Objects.requireNonNull(domain);
            return this;
        }

        public Builder user(String address, String password) {
            users.put(address, password);
            return this;
        }

        /**
         * Mailet XML placed in the {@code root} processor, after {@code PostmasterAlias}, before
         * transport.
         */
        public Builder rootMailets(String xml) {
            this.rootMailets = Objects.requireNonNull(xml);
            return this;
        }

        /** Extra {@code <processor>} elements, e.g. targets for {@code ToProcessor}. */
        public Builder extraProcessors(String xml) {
            this.extraProcessors = Objects.requireNonNull(xml);
            return this;
        }

        /**
         * A whole {@code mailetcontainer.xml} instead of the harness's pipeline (its {@code
         * transport} processor must contain {@code RemoveMimeHeader} for {@code bcc}, or James
         * refuses to start).
         */
        public Builder mailetContainer(String xml) {
            this.mailetContainer = Objects.requireNonNull(xml);
            return this;
        }

        /**
         * Replaces the default {@code <handler class="dev.mailsec.smtp.RecordTlsFacts"/>} element.
         */
        public Builder recordTlsFactsHandler(String handlerXml) {
            this.recordTlsFactsHandler = Objects.requireNonNull(handlerXml);
            return this;
        }

        /**
         * Handler XML appended to every SMTP server's handler chain, after the RecordTlsFacts hook.
         */
        public Builder extraSmtpHandlers(String handlerXml) {
            this.extraSmtpHandlers = Objects.requireNonNull(handlerXml);
            return this;
        }

        /**
         * The TLS protocols every SMTP server accepts ({@code supportedProtocols}); default:
         * JSSE's.
         */
        public Builder supportedProtocols(String... protocols) {
            supportedProtocols.clear();
            supportedProtocols.addAll(Arrays.asList(protocols));
            return this;
        }

        /**
         * Adds a third SMTP server (STARTTLS) that requires a certificate issued by the test CA.
         */
        public Builder withClientAuthServer() {
            this.clientAuthServer = true;
            return this;
        }

        /**
         * The DNS server James asks (its {@code dnsservice.xml} {@code <servers>}), e.g. a loopback
         * dnsmasq; James's DNS service only asks port 53. Default: the machine's resolvers.
         */
        public Builder dnsServer(String address) {
            this.dnsServer = Objects.requireNonNull(address);
            return this;
        }

        /**
         * The address the SMTP servers listen on; default {@code 127.0.0.1}. James 3.8.1 cannot
         * bind an IPv6 address ({@code <bind>} is split at ':'); {@code 0.0.0.0} listens
         * dual-stack, so IPv6 clients on {@code ::1} reach it.
         */
        public Builder smtpBindAddress(String address) {
            this.smtpBindAddress = Objects.requireNonNull(address);
            return this;
        }

        /**
         * Starts James's WebAdmin (every route of the memory distribution, no authentication) on a
         * free loopback port; {@link JamesHarness#webAdminPort()} tells which.
         */
        public Builder withWebAdmin() {
            this.webAdmin = true;
            return this;
        }

        public JamesExtension build() {
            return new JamesExtension(this);
        }

        /**
         * Starts James now in {@code workingDirectory}; the caller closes it. Fails as James's
         * start fails.
         */
        public JamesHarness start(Path workingDirectory) throws Exception {
            return JamesHarness.start(this, workingDirectory);
        }
    }
}
