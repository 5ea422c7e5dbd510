package dev.mailsec.cli.rights;

import dev.mailsec.cli.UserException;
import dev.mailsec.dkm.Dkm;
import dev.mailsec.dkm.DkmException;
import dev.mailsec.rights.Channel;
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
 */
@Command(
        name = "open",
        mixinStandardHelpOptions = true,
        description =
                "Print the original of a protected message (a wrapper .eml or a message.mailsec file) for a"
                        + " reader named in its licence; refused when revoked, expired or not a party. Logged.")
public final class RightsOpenCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin RightsConfigOption config;

    @Parameters(
            paramLabel = "FILE",
            description = "Wrapper message (.eml) or message.mailsec package.")
    Path file;

    @Option(
            names = "--reader",
            required = true,
            paramLabel = "ADDRESS",
            description = "Who reads (logged).")
    String reader;

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
        RightsSettings s = config.load();
        ProtectedPackage pkg = read();
        Path props = dkmProperties != null ? dkmProperties : s.dkmConfig();
        if (!Files.isRegularFile(props)) {
            throw new UserException("--dkm: no DKM client configuration at " + props, 2);
        }
        try (Dkm dkm = Dkm.open(props);
                RightsStore store = RightsConfigOption.openStore(s)) {
            RightsOpener opener =
                    new RightsOpener(s, new DkmRightsKeyring(dkm, s), store, Clock.systemUTC());
            OpenedMessage m = opener.open(pkg, reader, Channel.CLI, client());
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
