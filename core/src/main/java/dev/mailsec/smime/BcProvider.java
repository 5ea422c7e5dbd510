package dev.mailsec.smime;

import dev.mailsec.shaded.bc.jce.provider.BouncyCastleProvider;
import java.security.Provider;

/**
 * Our relocated Bouncy Castle provider instance, for the few operations the JDK lacks (ECDH with
 * the X9.63 KDF, PSS by its CMS name). Never registered with {@code java.security.Security}:
 * James's own crypto must not change because our jar is loaded. AES, SHA-2 and RSA go to the JDK's
 * providers, which use CPU intrinsics (docs/adr/0006).
 */
final class BcProvider {

    static final Provider INSTANCE = new BouncyCastleProvider();

    private BcProvider() {}
}
