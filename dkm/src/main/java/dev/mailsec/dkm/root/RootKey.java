package dev.mailsec.dkm.root;

import dev.mailsec.dkm.DkmIntegrityException;
import dev.mailsec.dkm.DkmUnavailableException;

/**
 * The top of the key hierarchy: wraps group keysets and audit keys. Implementations never expose
 * the key itself, only encryption and decryption of small values with associated data.
 */
public interface RootKey {

    /** Identifier recorded next to everything this key wraps, e.g. {@code file:root-1}. */
    String id();

    byte[] wrap(byte[] plaintext, byte[] aad) throws DkmUnavailableException;

    byte[] unwrap(byte[] wrapped, byte[] aad) throws DkmUnavailableException, DkmIntegrityException;
}
