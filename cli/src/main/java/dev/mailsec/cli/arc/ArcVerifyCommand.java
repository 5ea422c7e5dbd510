package dev.mailsec.cli.arc;

import dev.mailsec.arc.ArcResult;
import dev.mailsec.arc.ArcVerification;
import dev.mailsec.arc.ArcVerifier;
import dev.mailsec.authres.AuthenticationResults;
import dev.mailsec.cli.UserException;
import dev.mailsec.cli.dkim.AuthservIdOption;
import dev.mailsec.cli.dkim.KeyRecordOptions;
import dev.mailsec.cli.dkim.SigningKeyOptions;
import dev.mailsec.dkim.DkimPolicy;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mailsec arc verify [--zone FILE | --dns SERVERS] MESSAGE}: prints the arc= result the
 * VerifyArc mailet would add, then one line per ARC set (sealer and ARC-Authentication-Results).
 * Exit status 0 for pass or none, 1 for fail.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = "Validate the ARC chain of a message and print the result.")
public final class ArcVerifyCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin KeyRecordOptions keyRecords;

    @CommandLine.Mixin AuthservIdOption authservId;

    @Option(
            names = "--min-rsa-bits",
            paramLabel = "BITS",
            defaultValue = "1024",
            description = "Shorter RSA keys fail the chain (default: ${DEFAULT-VALUE}).")
    int minRsaBits;

    @Parameters(paramLabel = "MESSAGE", description = "The message file ('-' for standard input).")
    String message;

    @Override
    public Integer call() {
        String id;
        DkimPolicy policy;
        try {
            id = AuthenticationResults.checkAuthservId(authservId.value());
            policy = DkimPolicy.builder().minRsaBits(minRsaBits).build();
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), 2);
        }
        ArcVerification v =
                new ArcVerifier(keyRecords.source(), policy)
                        .verify(SigningKeyOptions.read(message));
        PrintWriter out = spec.commandLine().getOut();
        out.println(
                AuthenticationResults.HEADER_NAME
                        + ": "
                        + AuthenticationResults.of(id, List.of(v.methodResult(null)))
                                .foldedValue()
                                .replace("\r\n", "\n"));
        for (int i = 0; i < v.sealers().size(); i++) {
            out.println(
                    "i="
                            + (i + 1)
                            + " sealer="
                            + v.sealers().get(i)
                            + " aar="
                            + (i < v.aars().size() ? v.aars().get(i) : ""));
        }
        out.flush();
        return v.result() == ArcResult.FAIL ? 1 : 0;
    }
}
