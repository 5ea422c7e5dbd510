package dev.mailsec.cli.dkim;

import dev.mailsec.authres.AuthenticationResults;
import dev.mailsec.cli.UserException;
import dev.mailsec.dkim.BodyLengthPolicy;
import dev.mailsec.dkim.DkimAuthResults;
import dev.mailsec.dkim.DkimPolicy;
import dev.mailsec.dkim.DkimVerification;
import dev.mailsec.dkim.DkimVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./mailsec dkim verify [--zone FILE] MESSAGE...}: prints, for each message, the
 * Authentication-Results field the VerifyDkim mailet would add. Messages with bare LF line endings
 * are read as the mailet sees them after SMTP. {@code -} reads standard input.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description =
                "Verify the DKIM signatures of messages and print the Authentication-Results field.")
public final class VerifyCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin KeyRecordOptions keyRecords;

    @CommandLine.Mixin AuthservIdOption authservId;

    @Option(
            names = "--min-rsa-bits",
            paramLabel = "BITS",
            defaultValue = "1024",
            description =
                    "Shorter RSA keys give 'policy' (default: ${DEFAULT-VALUE}, the RFC 8301 minimum).")
    int minRsaBits;

    @Option(
            names = "--body-length",
            paramLabel = "policy|accept",
            defaultValue = "policy",
            description =
                    "Result of a valid l= signature that leaves body content unsigned (default: ${DEFAULT-VALUE}).")
    String bodyLength;

    @Option(
            names = "--max-signatures",
            paramLabel = "N",
            defaultValue = "5",
            description = "Signatures checked per message (default: ${DEFAULT-VALUE}).")
    int maxSignatures;

    @Parameters(
            paramLabel = "MESSAGE",
            arity = "1..*",
            description = "Message files (RFC 5322), or - for standard input.")
    List<String> messages;

    @Override
    public Integer call() {
        DkimVerifier verifier = new DkimVerifier(keyRecords.source(), policy());
        String id =
                option(
                        "--authserv-id",
                        () -> AuthenticationResults.checkAuthservId(authservId.value()));
        PrintWriter out = spec.commandLine().getOut();
        for (String m : messages) {
            DkimVerification v = verify(verifier, m);
            if (messages.size() > 1) {
                out.println("==> " + m + " <==");
            }
            out.println(
                    AuthenticationResults.HEADER_NAME
                            + ": "
                            + DkimAuthResults.of(id, v).foldedValue().replace("\r\n", "\n"));
        }
        out.flush();
        return 0;
    }

    private DkimVerification verify(DkimVerifier verifier, String name) {
        try (InputStream in = name.equals("-") ? System.in : Files.newInputStream(Path.of(name))) {
            return verifier.verify(in);
        } catch (NoSuchFileException e) {
            throw new UserException("no such message file: " + name, 2);
        } catch (IOException e) {
            throw new UserException("cannot read " + name + ": " + e.getMessage(), 2);
        }
    }

    private DkimPolicy policy() {
        return option(
                "option",
                () ->
                        DkimPolicy.builder()
                                .minRsaBits(minRsaBits)
                                .maxSignatures(maxSignatures)
                                .bodyLengthPolicy(BodyLengthPolicy.fromKeyword(bodyLength))
                                .build());
    }

    private static <T> T option(String what, Supplier<T> s) {
        try {
            return s.get();
        } catch (IllegalArgumentException e) {
            throw new UserException(
                    what.equals("option") ? e.getMessage() : what + ": " + e.getMessage(), 2);
        }
    }
}
