package dev.mailsec.cli.smime;

import dev.mailsec.cli.UserException;
import dev.mailsec.dkm.Dkm;
import dev.mailsec.dkm.DkmConfig;
import dev.mailsec.dkm.DkmException;
import dev.mailsec.smime.DkmSmimeKeySource;
import dev.mailsec.smime.SmimeKeyAccessException;
import dev.mailsec.smime.SmimeKeyPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The DKM options of the S/MIME commands: a session, and the key pairs of a KEY_PAIR secret. */
final class SmimeDkm {
    private SmimeDkm() {}

    /** {@code --dkm FILE --identity FILE}: a session with the DKM key manager. */
    static final class DkmAccess {
        @Option(
                names = "--dkm",
                paramLabel = "FILE",
                defaultValue = "dkm/dkm.properties",
                description = "DKM configuration (default: ${DEFAULT-VALUE})")
        Path properties;

        @Option(
                names = "--identity",
                paramLabel = "FILE",
                description = "credential file of the identity reading the secret")
        Path identity;

        /** Opens a client; {@code forOption} names the option that needs it. */
        Dkm open(String forOption) {
            if (identity == null) {
                throw new UserException("--identity: required with " + forOption, 2);
            }
            if (!Files.isRegularFile(properties)) {
                throw new UserException("--dkm: no DKM configuration at " + properties, 2);
            }
            try {
                return Dkm.open(
                        DkmConfig.load(properties).withIdentity(identity), Clock.systemUTC());
            } catch (DkmException e) {
                throw new UserException("--dkm: " + e.getMessage(), 2);
            }
        }
    }

    /** {@code --secret NAME --dkm FILE --identity FILE}: keys from the DKM key manager. */
    static final class DkmOptions {
        @Option(
                names = "--secret",
                paramLabel = "NAME",
                description = "DKM KEY_PAIR secret (private key + certificate chain)")
        String secret;

        @CommandLine.Mixin DkmAccess access;

        List<SmimeKeyPair> keys() {
            try (Dkm dkm = access.open("--secret")) {
                List<SmimeKeyPair> pairs =
                        new DkmSmimeKeySource(dkm, "{address}").keysOfSecret(secret);
                if (pairs.isEmpty()) {
                    throw new UserException("--secret " + secret + ": no readable version", 1);
                }
                return pairs;
            } catch (IOException | SmimeKeyAccessException e) {
                throw new UserException("--secret " + secret + ": " + e.getMessage(), 1);
            }
        }
    }
}
