package dev.mailsec.dkm.root;

import dev.mailsec.dkm.DkmIntegrityException;
import dev.mailsec.dkm.DkmUnavailableException;

/**
 * A family of root keys of one kind (a directory of key files, or a PKCS#11 token): finds a key by
 * id and creates the next one for a rotation.
 */
public interface RootKeys {

    /** The key with this id; {@link DkmIntegrityException} when it has been destroyed. */
    RootKey get(String id) throws DkmUnavailableException, DkmIntegrityException;

    /** Creates a new key, never reusing an id. */
    RootKey create() throws DkmUnavailableException;

    /** Destroys a key (after a rotation, or to crypto-shred the store). */
    void destroy(String id) throws DkmUnavailableException;
}
