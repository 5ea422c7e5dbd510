package dev.mailsec.tls.connector;

import dev.mailsec.dkm.Dkm;
import dev.mailsec.dkm.DkmException;
import dev.mailsec.dkm.DkmUnavailableException;
import dev.mailsec.dkm.SecretHandle;
import dev.mailsec.dkm.SecretKind;
import dev.mailsec.dkm.SecretVersion;
import java.io.IOException;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * A client certificate held in DKM as a {@code KEY_PAIR} secret (PKCS#8 private key and X.509
 * chain, leaf first): its primary version, read from the store on every {@link #load()} (the caller
 * caches, {@link ClientKeyCache}), so a new version promoted in DKM is seen at the next load. An
 * unreachable store is an {@link IOException} (the mail waits); a missing secret, a refusal or
 * unusable material is an {@link InvalidConnectorsException}.
 */
public final class DkmClientKeys implements ClientKeySource {

    /** The prefix of a connector's {@code clientCertificate}: {@code dkm:SECRET}. */
    public static final String SCHEME = "dkm:";

    private final Supplier<Dkm> dkm;
    private final String secret;
    private final Clock clock;

    public DkmClientKeys(Supplier<Dkm> dkm, String secret, Clock clock) {
        this.dkm = dkm;
        this.secret = secret;
        this.clock = clock;
    }

    @Override
    public ClientKey load() throws IOException, InvalidConnectorsException {
        SecretHandle handle;
        try {
            handle = dkm.get().refresh(secret);
        } catch (DkmUnavailableException e) {
            throw new IOException(describe() + ": DKM unreachable: " + e.getMessage(), e);
        } catch (DkmException e) {
            throw new InvalidConnectorsException(describe() + ": " + e.getMessage(), e);
        }
        if (handle.kind() != SecretKind.KEY_PAIR) {
            throw new InvalidConnectorsException(
                    describe()
                            + ": a "
                            + handle.kind()
                            + " secret; expected KEY_PAIR (PKCS#8 private key and certificate chain)");
        }
        SecretVersion primary;
        try {
            primary = handle.primary();
        } catch (IllegalStateException e) {
            throw new InvalidConnectorsException(describe() + ": " + e.getMessage(), e);
        }
        try {
            return ClientKey.of(
                    primary.privateKey(),
                    primary.certificateChain(),
                    primary.number(),
                    clock.instant());
        } catch (InvalidConnectorsException e) {
            throw new InvalidConnectorsException(describe() + ": " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new InvalidConnectorsException(describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return SCHEME + secret;
    }
}
