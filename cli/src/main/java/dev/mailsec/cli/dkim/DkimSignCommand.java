package dev.mailsec.cli.dkim;

import dev.mailsec.cli.UserException;
import dev.mailsec.dkim.DkimSigner;
import dev.mailsec.dkim.sign.SigningKey;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./mailsec dkim sign (--key PEM --domain D --selector S | --secret NAME) MESSAGE}: prints
 * the message with a DKIM-Signature on top, as SignDkim would sign it. {@code --secret} signs with
 * the primary version of a DKM key ({@code dkim/DOMAIN} or {@code dkim/DOMAIN/ed25519}) and its
 * derived selector; it needs {@code --identity} of a member of the key's group.
 */
@Command(
        name = "sign",
        mixinStandardHelpOptions = true,
        description =
                "DKIM-sign a message (relaxed/relaxed) and print it with its DKIM-Signature field.")
public final class DkimSignCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin SigningKeyOptions keys;

    @Option(
            names = "--headers",
            paramLabel = "NAMES",
            split = ",",
            description =
                    "Header fields to sign (default: the SignDkim default list, From oversigned).")
    List<String> headers;

    @Parameters(paramLabel = "MESSAGE", description = "The message file ('-' for standard input).")
    String message;

    @Override
    public Integer call() throws IOException {
        SigningKey key = keys.signingKey();
        byte[] msg = SigningKeyOptions.read(message);
        DkimSigner.Builder b = DkimSigner.builder().key(key);
        try {
            if (headers != null) {
                b.headers(headers);
            }
        } catch (IllegalArgumentException e) {
            throw new UserException("--" + e.getMessage(), 2);
        }
        OutputStream out = System.out;
        out.write(b.build().signedMessage(msg));
        out.flush();
        return 0;
    }
}
