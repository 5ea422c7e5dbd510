package dev.mailsec.cli.arc;

import dev.mailsec.arc.ArcResult;
import dev.mailsec.arc.ArcSealer;
import dev.mailsec.arc.ArcVerifier;
import dev.mailsec.authres.AuthenticationResults;
import dev.mailsec.authres.MethodResult;
import dev.mailsec.cli.UserException;
import dev.mailsec.cli.dkim.KeyRecordOptions;
import dev.mailsec.cli.dkim.SigningKeyOptions;
import dev.mailsec.dkim.DkimPolicy;
import dev.mailsec.dkim.sign.SigningKey;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mailsec arc seal MESSAGE (--key PEM --domain D --selector S | --secret dkim/D --identity
 * FILE) [--zone FILE | --dns SERVERS]}: validates the message's chain, then prints the message with
 * the next ARC set on top (its ARC-Authentication-Results carries {@code arc=} of that validation),
 * as SealArc would seal it.
 */
@Command(
        name = "seal",
        mixinStandardHelpOptions = true,
        description = "Add the next ARC set to a message and print it.")
public final class ArcSealCommand implements Callable<Integer> {

    @CommandLine.Mixin SigningKeyOptions keys;

    @CommandLine.Mixin KeyRecordOptions keyRecords;

    @Option(
            names = "--authserv-id",
            paramLabel = "ID",
            defaultValue = "localhost",
            description =
                    "The authserv-id of the ARC-Authentication-Results (default: ${DEFAULT-VALUE}).")
    String authservId;

    @Parameters(paramLabel = "MESSAGE", description = "The message file ('-' for standard input).")
    String message;

    @Override
    public Integer call() throws IOException {
        String id;
        try {
            id = AuthenticationResults.checkAuthservId(authservId);
        } catch (IllegalArgumentException e) {
            throw new UserException("--authserv-id: " + e.getMessage(), 2);
        }
        SigningKey key = keys.signingKey();
        byte[] msg = SigningKeyOptions.read(message);
        ArcResult chain =
                new ArcVerifier(keyRecords.source(), DkimPolicy.defaults()).verify(msg).result();
        MethodResult arc = MethodResult.builder("arc", chain.keyword()).build();
        String ar = AuthenticationResults.of(id, List.of(arc)).foldedValue();
        ArcSealer.Session s = new ArcSealer(Clock.systemUTC()).start();
        s.write(msg, 0, msg.length);
        ArcSealer.Seal seal = s.seal(key, id, ar, chain);
        if (!seal.sealed()) {
            throw new UserException("not sealed: " + seal.refused(), 1);
        }
        OutputStream out = System.out;
        out.write(String.join("", seal.fields()).getBytes(StandardCharsets.US_ASCII));
        out.write(msg);
        out.flush();
        return 0;
    }
}
