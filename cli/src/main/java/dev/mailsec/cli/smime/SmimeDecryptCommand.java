package dev.mailsec.cli.smime;

import dev.mailsec.cli.UserException;
import dev.mailsec.smime.DecryptionResult;
import dev.mailsec.smime.SmimeDecryptor;
import dev.mailsec.smime.SmimeException;
import dev.mailsec.smime.SmimeKeyPair;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./mailsec smime decrypt MESSAGE}: with PEM key/certificate pairs or every version of a DKM
 * KEY_PAIR secret.
 */
@Command(
        name = "decrypt",
        mixinStandardHelpOptions = true,
        description =
                "Decrypt MESSAGE with --key and --cert pairs (repeat both, in the same order, for archived keys),"
                        + " or with every version of DKM KEY_PAIR secret --secret.")
final class SmimeDecryptCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "MESSAGE")
    String message;

    @Option(names = "--key", paramLabel = "FILE", description = "PEM private key, repeatable")
    List<Path> keys;

    @Option(names = "--cert", paramLabel = "FILE", description = "its certificate, repeatable")
    List<Path> certs;

    @CommandLine.Mixin SmimeDkm.DkmOptions dkm;

    @Override
    public Integer call() {
        keys = keys == null ? List.of() : keys;
        certs = certs == null ? List.of() : certs;
        List<SmimeKeyPair> pairs = new ArrayList<>();
        if (dkm.secret != null) {
            pairs.addAll(dkm.keys());
        } else if (keys.isEmpty()) {
            throw new UserException("--key and --cert (or --secret): required", 2);
        }
        if (keys.size() != certs.size()) {
            throw new UserException(
                    "give one --cert per --key (got "
                            + keys.size()
                            + " keys, "
                            + certs.size()
                            + " certificates)",
                    2);
        }
        for (int i = 0; i < keys.size(); i++) {
            pairs.add(SmimeFiles.keyPair(keys.get(i), certs.get(i)));
        }
        DecryptionResult result;
        try (InputStream in = SmimeFiles.open(message);
                OutputStream out = SmimeFiles.stdout()) {
            result = new SmimeDecryptor().decrypt(in, out, pairs);
        } catch (SmimeException e) {
            throw new UserException("cannot decrypt (" + e.reason() + "): " + e.getMessage());
        } catch (IOException e) {
            throw new UserException("I/O error: " + e.getMessage());
        }
        spec.commandLine().getErr().println(result.summary());
        return 0;
    }
}
