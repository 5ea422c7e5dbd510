package dev.mailsec.cli.smime;

import dev.mailsec.cli.UserException;
import dev.mailsec.smime.SignatureAlgorithm;
import dev.mailsec.smime.SigningMode;
import dev.mailsec.smime.SmimeException;
import dev.mailsec.smime.SmimeKeyPair;
import dev.mailsec.smime.SmimeSettings;
import dev.mailsec.smime.SmimeSigner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * S/MIME signing: {@code ./mailsec smime sign MESSAGE}, with a PEM key and certificate or a DKM
 * KEY_PAIR secret.
 */
@Command(
        name = "sign",
        mixinStandardHelpOptions = true,
        description =
                "Sign MESSAGE with --key and its --cert (the file may hold the chain after it), or with the primary"
                        + " version of DKM KEY_PAIR secret --secret.")
final class SmimeSignCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MESSAGE")
    String message;

    @Option(names = "--key", paramLabel = "FILE", description = "PEM private key")
    Path key;

    @Option(names = "--cert", paramLabel = "FILE", description = "PEM certificate (then chain)")
    Path cert;

    @CommandLine.Mixin SmimeDkm.DkmOptions dkm;

    @Option(
            names = "--mode",
            defaultValue = "detached",
            description = "detached (default) or opaque")
    String mode;

    @Option(
            names = "--algorithm",
            description =
                    "rsa-sha256 (RSA default), rsa-pss-sha256, ecdsa-sha256 (EC default), ...")
    String algorithm;

    @Option(
            names = "--keep-8bit",
            description =
                    "sign 8-bit parts as they are (default: re-encode them as quoted-printable or base64 first)")
    boolean keep8bit;

    @Override
    public Integer call() {
        SmimeKeyPair pair;
        if (dkm.secret != null) {
            if (key != null || cert != null) {
                throw new UserException("give --secret or --key/--cert, not both", 2);
            }
            pair = dkm.keys().get(0);
        } else {
            if (key == null || cert == null) {
                throw new UserException("--key and --cert (or --secret): required", 2);
            }
            pair = SmimeFiles.keyPair(key, cert);
        }
        SigningMode signingMode =
                SmimeFiles.setting(() -> SmimeSettings.signingMode("--mode", mode));
        SignatureAlgorithm alg =
                SmimeFiles.setting(
                        () -> SmimeSettings.signatureAlgorithm("--algorithm", algorithm));
        try (InputStream in = SmimeFiles.open(message);
                OutputStream out = SmimeFiles.stdout()) {
            new SmimeSigner(signingMode, alg, !keep8bit).sign(in, out, pair);
        } catch (SmimeException e) {
            throw new UserException("cannot sign: " + e.getMessage());
        } catch (IOException e) {
            throw new UserException("I/O error: " + e.getMessage());
        }
        return 0;
    }
}
