package dev.mailsec.it.harness;

import com.google.inject.multibindings.Multibinder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import org.apache.james.GuiceJamesServer;
import org.apache.james.MemoryJamesConfiguration;
import org.apache.james.MemoryJamesServerMain;
import org.apache.james.data.UsersRepositoryModuleChooser;
import org.apache.james.modules.data.MemoryUsersRepositoryModule;
import org.apache.james.modules.protocols.ImapGuiceProbe;
import org.apache.james.utils.DataProbeImpl;
import org.apache.james.utils.GuiceProbe;
import org.apache.james.utils.WebAdminGuiceProbe;

/**
 * A real, in-process Apache James 3.8.1 (memory server, SMTP and IMAP) started from configuration
 * files written into a working directory. Obtain one through {@link JamesExtension} (started once
 * per test class) or {@link JamesExtension.Builder#start(Path)} (for tests about start-up itself).
 */
public final class JamesHarness implements AutoCloseable {

    private static final Duration DEFAULT_AWAIT = Duration.ofSeconds(30);

    private final GuiceJamesServer server;
    private final TestPki pki;
    private final Path workingDirectory;
    private final Map<JamesConfiguration.SmtpServer, Integer> smtpPorts;
    private final int imapPort;
    private final JamesExtension.Builder settings;

    private JamesHarness(
            GuiceJamesServer server,
            TestPki pki,
            Path workingDirectory,
            Map<JamesConfiguration.SmtpServer, Integer> smtpPorts,
            int imapPort,
            JamesExtension.Builder settings) {
        this.server = server;
        this.pki = pki;
        this.workingDirectory = workingDirectory;
        this.smtpPorts = smtpPorts;
        this.imapPort = imapPort;
        this.settings = settings;
    }

    static JamesHarness start(JamesExtension.Builder settings, Path workingDirectory)
            throws Exception {
        TestPki pki = TestPki.create();
        JamesConfiguration configuration = new JamesConfiguration(settings);
        configuration.write(workingDirectory, pki);
        MemoryJamesConfiguration jamesConfiguration =
                MemoryJamesConfiguration.builder()
                        .workingDirectory(workingDirectory.toFile())
                        .build();
        GuiceJamesServer server =
                GuiceJamesServer.forConfiguration(jamesConfiguration)
                        .combineWith(MemoryJamesServerMain.SMTP_AND_IMAP_MODULE)
                        .combineWith(
                                new UsersRepositoryModuleChooser(new MemoryUsersRepositoryModule())
                                        .chooseModules(
                                                jamesConfiguration
                                                        .getUsersRepositoryImplementation()))
                        .overrideWith(
                                binder ->
                                        Multibinder.newSetBinder(binder, GuiceProbe.class)
                                                .addBinding()
                                                .to(ServerPortsProbe.class));
        if (settings.webAdmin) {
            // James's own test wiring: every route of the memory distribution, a free port, no
            // authentication
            server = server.combineWith(MemoryJamesServerMain.WEBADMIN_TESTING);
        }
        try {
            server.start();
        } catch (Exception | Error e) {
            stopQuietly(server, e);
            throw e;
        }
        try {
            List<JamesConfiguration.SmtpServer> kinds = configuration.smtpServerList();
            List<Integer> ports = server.getProbe(ServerPortsProbe.class).smtpPorts();
            if (ports.size() != kinds.size()) {
                throw new IllegalStateException(
                        "expected " + kinds.size() + " SMTP servers, James runs " + ports);
            }
            Map<JamesConfiguration.SmtpServer, Integer> smtpPorts =
                    new EnumMap<>(JamesConfiguration.SmtpServer.class);
            for (int i = 0; i < kinds.size(); i++) {
                smtpPorts.put(kinds.get(i), ports.get(i));
            }
            DataProbeImpl data = server.getProbe(DataProbeImpl.class);
            data.addDomain(settings.domain);
            for (Map.Entry<String, String> user : settings.users.entrySet()) {
                data.addUser(user.getKey(), user.getValue());
            }
            return new JamesHarness(
                    server,
                    pki,
                    workingDirectory,
                    smtpPorts,
                    server.getProbe(ImapGuiceProbe.class).getImapPort(),
                    settings);
        } catch (Exception | Error e) {
            stopQuietly(server, e);
            throw e;
        }
    }

    private static void stopQuietly(GuiceJamesServer server, Throwable cause) {
        try {
            server.stop();
        } catch (RuntimeException stopFailure) {
            cause.addSuppressed(stopFailure);
        }
    }

    /** Sends {@code delivery} over SMTP to the port its mode calls for. */
    public void send(Delivery delivery) throws MessagingException {
        MailClients.send(
                delivery,
                smtpPort(delivery.mode()),
                pki.clientSocketFactory(delivery.clientCertificate().orElse(null)));
    }

    /** Sends prepared MIME bytes unchanged over plain SMTP to these recipients. */
    public void sendRaw(byte[] message, String... to) throws MessagingException {
        MailClients.sendRaw(smtpPort(Delivery.Mode.PLAIN), message, to);
    }

    /**
     * Waits up to 30 s for a message with this exact subject in the user's INBOX, read over IMAP.
     */
    public MimeMessage awaitMessage(String user, String password, String subject)
            throws MessagingException, InterruptedException {
        return MailClients.awaitMessage(imapPort, user, password, subject, DEFAULT_AWAIT);
    }

    public int smtpPort(Delivery.Mode mode) {
        JamesConfiguration.SmtpServer kind;
        switch (mode) {
            case PLAIN:
            case STARTTLS:
                kind = JamesConfiguration.SmtpServer.STARTTLS;
                break;
            case IMPLICIT_TLS:
                kind = JamesConfiguration.SmtpServer.IMPLICIT_TLS;
                break;
            case STARTTLS_CLIENT_AUTH:
                kind = JamesConfiguration.SmtpServer.CLIENT_AUTH;
                break;
            default:
                throw new IllegalArgumentException("unknown mode " + mode);
        }
        Integer port = smtpPorts.get(kind);
        if (port == null) {
            throw new IllegalStateException(
                    "no "
                            + kind.jmxName
                            + " server; use JamesExtension.Builder#withClientAuthServer()");
        }
        return port;
    }

    /** The subjects in the user's INBOX now. */
    public List<String> subjects(String user, String password) throws MessagingException {
        return MailClients.subjects(imapPort(), user, password);
    }

    public int imapPort() {
        return imapPort;
    }

    /** The CA, server and client certificates of this server. */
    public TestPki pki() {
        return pki;
    }

    public Path workingDirectory() {
        return workingDirectory;
    }

    public GuiceJamesServer server() {
        return server;
    }

    /** The WebAdmin port; only with {@link JamesExtension.Builder#withWebAdmin()}. */
    public int webAdminPort() {
        if (!settings.webAdmin) {
            throw new IllegalStateException(
                    "no WebAdmin; use JamesExtension.Builder#withWebAdmin()");
        }
        return server.getProbe(WebAdminGuiceProbe.class).getWebAdminPort().getValue();
    }

    /** James's WebAdmin; only with {@link JamesExtension.Builder#withWebAdmin()}. */
    public WebAdmin webAdmin() {
        return new WebAdmin(webAdminPort());
    }

    /**
     * Stops this James and starts a new one with the same settings in the same working directory,
     * as an operator's restart does: what James keeps on disk there ({@code file://} repositories)
     * is kept, what it keeps in memory (mailboxes, queues, {@code memory://} repositories) is not.
     * Users are created again. Ports change. Close the returned harness, not this one.
     */
    public JamesHarness restart() throws Exception {
        server.stop();
        return start(settings, workingDirectory);
    }

    @Override
    public void close() throws IOException {
        try {
            server.stop();
        } finally {
            deleteRecursively(workingDirectory);
        }
    }

    static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}
