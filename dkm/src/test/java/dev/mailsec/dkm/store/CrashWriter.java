package dev.mailsec.dkm.store;

import dev.mailsec.dkm.Credential;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.root.FileRootKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Clock;

/**
 * Child process of {@link FileStoreCrashTest}: rolls a secret over in an endless loop (add a
 * version, promote it, roll the group keyset over) until it is killed with SIGKILL. Arguments:
 * store directory, root key directory, admin credential file.
 */
public final class CrashWriter {
    public static void main(String[] args) throws Exception {
        FileStorage storage = FileStorage.open(Paths.get(args[0]));
        KeyManager km =
                KeyManager.open(
                        storage,
                        new FileRootKeys(Paths.get(args[1])),
                        Credential.load(Paths.get(args[2])),
                        Clock.systemUTC());
        for (int i = 0; ; i++) {
            int v = km.addVersion("loop", ("value-" + i).getBytes(StandardCharsets.UTF_8));
            km.promote("loop", v);
            if (i % 5 == 0) {
                km.rotateGroupKeyset("mail");
            }
            System.out.println(v);
            System.out.flush();
        }
    }
}
