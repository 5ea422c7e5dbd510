package dev.mailsec.cli.rights;

import dev.mailsec.cli.UserException;
import dev.mailsec.cli.dkm.DkmStoreSession;
import dev.mailsec.dkm.Dkm;
import dev.mailsec.dkm.DkmException;
import dev.mailsec.rights.Channel;
import dev.mailsec.rights.DiscoveryOpener;
import dev.mailsec.rights.DiscoveryRole;
import dev.mailsec.rights.DkmRightsKeyring;
import dev.mailsec.rights.OpenedMessage;
import dev.mailsec.rights.ProtectedPackage;
import dev.mailsec.rights.RightsDeniedException;
import dev.mailsec.rights.RightsException;
import dev.mailsec.rights.RightsFormatException;
import dev.mailsec.rights.RightsOpener;
import dev.mailsec.rights.RightsSettings;
import dev.mailsec.rights.RightsStore;
import dev.mailsec.rights.RightsUnavailableException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./mailsec rights open FILE --reader ADDRESS}: prints the original message of a wrapper
 * (.eml) or a {@code message.mailsec} package, if the reader is a party and the message is neither
 * revoked nor expired. Reads the rights keys with the identity of the configuration's
 * dkm.properties (or {@code --dkm}).
 *
 * <p>{@code --as-discovery --reason TEXT --store DKMDIR --identity PERSON.cred}: the eDiscovery
 * role opens any protected message ({@link DiscoveryOpener}), only while that person holds an
 * approved, unexpired DKM grant for the role secret; logged as {@code discovery:<identity>} with
 * the reason, never as a party.
 */
@Command(
        name = "open",
        mixinStandardHelpOptions = true,
        description =
                "Print the original of a protected message (a wrapper .eml or a message.mailsec file) for a"
                        + " reader named in its licence; refused when revoked, expired or not a party. With"
                        + " --as-discovery, for the eDiscovery role (legal hold): any message, only with an"
                        + " approved, unexpired DKM grant for the role secret. Logged.")
public final class RightsOpenCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin RightsConfigOption config;

    @Parameters(
            paramLabel = "FILE",
            description = "Wrapper message (.eml) or message.mailsec package.")
    Path file;

    @Option(
            names = "--reader",
            paramLabel = "ADDRESS",
            description = "Who reads (logged); a sender or recipient of the licence.")
    String reader;

    @Option(
            names = "--as-discovery",
            description =
                    "Open as the eDiscovery role (instead of --reader): needs --reason and the --identity"
                            + " of a person holding an approved, unexpired grant for the role secret.")
    boolean asDiscovery;

    @Option(
            names = "--reason",
            paramLabel = "TEXT",
            description =
                    "With --as-discovery: the legal-hold case (logged in DKM and the access log).")
    String reason;

    @Option(
            names = "--store",
            paramLabel = "PATH",
            defaultValue = "dkm",
            description =
                    "With --as-discovery: the DKM directory made by 'dkm init' (default: ${DEFAULT-VALUE}).")
    Path dkmDir;

    @Option(
            names = "--identity",
            paramLabel = "FILE",
            description =
                    "With --as-discovery: the credential file of the person acting in the role.")
    Path identity;

    @Option(
            names = "--role-secret",
            paramLabel = "NAME",
            defaultValue = DiscoveryRole.DEFAULT_SECRET,
            description =
                    "With --as-discovery: the discovery role's DKM secret (default: ${DEFAULT-VALUE}).")
    String roleSecret;

    @Option(
            names = "--dkm",
            paramLabel = "FILE",
            description =
                    "dkm.properties whose identity may read the rights keys (default: the configuration's).")
    Path dkmProperties;

    @Option(
            names = {"-o", "--out"},
            paramLabel = "FILE",
            description = "Write the message here instead of stdout.")
    Path outFile;

    @Override
    public Integer call() {
        if (asDiscovery == (reader != null)) {
            throw new UserException("give either --reader ADDRESS or --as-discovery", 2);
        }
        if (asDiscovery) {
            if (identity == null) {
                throw new UserException(
                        "--identity: required with --as-discovery (the person acting in the role)",
                        2);
            }
            try {
                reason = DiscoveryRole.checkReason(reason);
            } catch (IllegalArgumentException e) {
                throw new UserException("--" + e.getMessage(), 2);
            }
        } else if (reason != null || identity != null) {
            throw new UserException("--reason and --identity go with --as-discovery", 2);
        }
        RightsSettings s = config.load();
        ProtectedPackage pkg = read();
        Path props = dkmProperties != null ? dkmProperties : s.dkmConfig();
        if (!Files.isRegularFile(props)) {
            throw new UserException("--dkm: no DKM client configuration at " + props, 2);
        }
        try (Dkm dkm = Dkm.open(props);
                RightsStore store = RightsConfigOption.openStore(s)) {
            OpenedMessage m =
                    asDiscovery
                            ? openAsDiscovery(pkg, s, dkm, store)
                            : new RightsOpener(
                                            s,
                                            new DkmRightsKeyring(dkm, s),
                                            store,
                                            Clock.systemUTC())
                                    .open(pkg, reader, Channel.CLI, client());
            if (outFile != null) {
                Files.write(outFile, m.raw());
                spec.commandLine()
                        .getErr()
                        .println(
                                "rights open: "
                                        + m.raw().length
                                        + " bytes written to "
                                        + outFile
                                        + " ("
                                        + m.licence().template()
                                        + ": "
                                        + m.licence().rightsTokens()
                                        + ")");
            } else {
                OutputStream out = System.out;
                out.write(m.raw());
                out.flush();
            }
            return 0;
        } catch (RightsDeniedException e) {
            throw new UserException(e.getMessage() + " (" + e.reason() + ")", 1);
        } catch (RightsFormatException e) {
            throw new UserException("refused: " + e.getMessage(), 1);
        } catch (RightsUnavailableException e) {
            throw new UserException("temporarily unavailable: " + e.getMessage(), 75);
        } catch (RightsException e) {
            throw new UserException(e.getMessage(), 1);
        } catch (DkmException e) {
            throw new UserException("--dkm: " + e.getMessage(), 2);
        } catch (IOException e) {
            throw new UserException("cannot write: " + e.getMessage(), 1);
        }
    }

    /**
     * Opens with the rights keys of {@code dkm}, if the person's own DKM session holds the role.
     */
    private OpenedMessage openAsDiscovery(
            ProtectedPackage pkg, RightsSettings s, Dkm dkm, RightsStore store)
            throws RightsException {
        DiscoveryOpener opener =
                new DiscoveryOpener(s, new DkmRightsKeyring(dkm, s), store, Clock.systemUTC());
        OpenedMessage[] opened = new OpenedMessage[1];
        RightsException[] failed = new RightsException[1];
        DkmStoreSession.run(
                dkmDir,
                identity,
                km -> {
                    try {
                        opened[0] =
                                opener.open(
                                        pkg,
                                        DiscoveryRole.viaGrant(km, roleSecret, Clock.systemUTC()),
                                        reason,
                                        Channel.CLI,
                                        client());
                    } catch (RightsException e) {
                        failed[0] = e;
                    }
                });
        if (failed[0] != null) {
            throw failed[0];
        }
        spec.commandLine()
                .getErr()
                .println(
                        "rights open: opened as discovery:"
                                + identityName()
                                + " (licence "
                                + opened[0].licence().licenceId()
                                + "), logged with the reason");
        return opened[0];
    }

    private String identityName() {
        try {
            return dev.mailsec.dkm.Credential.load(identity).identity();
        } catch (DkmException e) {
            return identity.getFileName().toString();
        }
    }

    private ProtectedPackage read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserException("FILE: cannot read " + file + ": " + e.getMessage(), 2);
        }
        try {
            if (bytes.length > 0 && bytes[0] == '{') {
                return ProtectedPackage.decode(bytes);
            }
            Optional<ProtectedPackage> p =
                    ProtectedPackage.findIn(
                            new MimeMessage(
                                    Session.getInstance(new Properties()),
                                    new ByteArrayInputStream(bytes)));
            return p.orElseThrow(
                    () ->
                            new UserException(
                                    "FILE: "
                                            + file
                                            + " is not rights-protected (no "
                                            + ProtectedPackage.FILE_NAME
                                            + " attachment)",
                                    1));
        } catch (RightsFormatException e) {
            throw new UserException("FILE: " + e.getMessage(), 1);
        } catch (MessagingException e) {
            throw new UserException("FILE: not a message: " + e.getMessage(), 2);
        }
    }

    private static String client() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        return "cli " + System.getProperty("user.name", "?") + "@" + host;
    }
}
