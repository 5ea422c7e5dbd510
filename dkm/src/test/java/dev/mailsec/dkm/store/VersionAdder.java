package dev.mailsec.dkm.store;

import dev.mailsec.dkm.Credential;
import dev.mailsec.dkm.KeyManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Clock;

/**
 * Child process of {@link FileStoreTwoProcessesTest}: adds {@code count} versions named {@code
 * prefix-i} to secret {@code shared} as the identity of the credential file. Arguments: store
 * directory, credential file, prefix, count.
 */
public final class VersionAdder {
    public static void main(String[] args) throws Exception {
        try (FileStorage storage = FileStorage.open(Paths.get(args[0]))) {
            KeyManager km =
                    KeyManager.open(
                            storage, null, Credential.load(Paths.get(args[1])), Clock.systemUTC());
            for (int i = 0; i < Integer.parseInt(args[3]); i++) {
                km.addVersion("shared", (args[2] + "-" + i).getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}
