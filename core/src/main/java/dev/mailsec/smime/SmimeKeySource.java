package dev.mailsec.smime;

import java.io.IOException;
import java.util.List;

/**
 * Where private keys come from: a folder of PEM files ({@link PemSmimeKeySource}) or the DKM key
 * manager ({@link DkmSmimeKeySource}). Implementations must be safe for concurrent use.
 */
public interface SmimeKeySource {

    /**
     * The key versions for an address, current (for signing) first, then archived ones (still good
     * for decrypting mail sent to an older certificate). Empty when the address has no key.
     *
     * @throws SmimeKeyAccessException when the store refuses (access denied) or holds a broken key:
     *     a permanent fault an operator must fix, never "no key"
     * @throws IOException any other: the store cannot be reached (a temporary fault: the caller
     *     must not treat it as "no key")
     */
    List<SmimeKeyPair> keysFor(String address) throws IOException, SmimeKeyAccessException;
}
