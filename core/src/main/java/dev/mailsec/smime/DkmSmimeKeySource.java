package dev.mailsec.smime;

import dev.mailsec.dkm.Dkm;
import dev.mailsec.dkm.DkmAccessDeniedException;
import dev.mailsec.dkm.DkmException;
import dev.mailsec.dkm.DkmInvalidRequestException;
import dev.mailsec.dkm.DkmNotFoundException;
import dev.mailsec.dkm.DkmUnavailableException;
import dev.mailsec.dkm.SecretHandle;
import dev.mailsec.dkm.SecretKind;
import dev.mailsec.dkm.SecretVersion;
import dev.mailsec.dkm.VersionState;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * S/MIME keys from the DKM key manager: the KEY_PAIR secret named by {@code namePattern} (default
 * {@code smime/{address}}, the address lower-cased) holds the private key and the certificate
 * chain, leaf first. Its primary version signs; every readable version decrypts, primary first,
 * then the others newest to oldest (so mail encrypted to a certificate from before a rollover still
 * opens).
 *
 * <p>Faults: an address without a secret has no key (empty list); an unreachable store is a plain
 * {@link IOException} (temporary, retry); access denied, a tampered record or a secret that is not
 * a key pair with a certificate is a {@link SmimeKeyAccessException} (permanent, an operator must
 * look).
 */
public final class DkmSmimeKeySource implements SmimeKeySource {

    public static final String DEFAULT_PATTERN = "smime/{address}";

    private final Dkm dkm;
    private final String namePattern;

    public DkmSmimeKeySource(Dkm dkm) {
        this(dkm, DEFAULT_PATTERN);
    }

    public DkmSmimeKeySource(Dkm dkm, String namePattern) {
        if (!namePattern.contains("{address}")) {
            throw new IllegalArgumentException(
                    "secret name pattern must contain {address}, got '" + namePattern + "'");
        }
        this.dkm = Objects.requireNonNull(dkm, "dkm");
        this.namePattern = namePattern;
    }

    /** The DKM secret that holds an address's key. */
    public String secretName(String address) {
        return namePattern.replace("{address}", address.trim().toLowerCase(Locale.ROOT));
    }

    @Override
    public List<SmimeKeyPair> keysFor(String address) throws IOException, SmimeKeyAccessException {
        return keysOfSecret(secretName(address), true);
    }

    /**
     * Every readable version of one named secret, primary first.
     *
     * @throws SmimeKeyAccessException also when the secret does not exist (the caller named it)
     */
    public List<SmimeKeyPair> keysOfSecret(String name)
            throws IOException, SmimeKeyAccessException {
        return keysOfSecret(name, false);
    }

    private List<SmimeKeyPair> keysOfSecret(String name, boolean missingIsEmpty)
            throws IOException, SmimeKeyAccessException {
        SecretHandle handle;
        try {
            handle = dkm.secret(name);
        } catch (DkmNotFoundException e) {
            // no such secret (or a name no secret can have): this address has no key
            if (missingIsEmpty) {
                return List.of();
            }
            throw new SmimeKeyAccessException("DKM: " + e.getMessage(), e);
        } catch (DkmInvalidRequestException e) {
            throw new SmimeKeyAccessException("DKM: " + e.getMessage(), e);
        } catch (DkmUnavailableException e) {
            throw new IOException("DKM unavailable reading " + name + ": " + e.getMessage(), e);
        } catch (DkmAccessDeniedException e) {
            throw new SmimeKeyAccessException(
                    "DKM refused access to " + name + ": " + e.getMessage(), e);
        } catch (DkmException e) {
            throw new SmimeKeyAccessException(
                    "DKM cannot read "
                            + name
                            + " ("
                            + e.getClass().getSimpleName()
                            + "): "
                            + e.getMessage(),
                    e);
        }
        if (handle.kind() != SecretKind.KEY_PAIR) {
            throw new SmimeKeyAccessException(
                    "DKM secret " + name + " is " + handle.kind() + ", not a KEY_PAIR");
        }
        List<SecretVersion> versions = new ArrayList<>(handle.versions());
        versions.sort(
                (a, b) ->
                        a.state() == VersionState.PRIMARY
                                ? -1
                                : b.state() == VersionState.PRIMARY
                                        ? 1
                                        : Integer.compare(b.number(), a.number()));
        List<SmimeKeyPair> pairs = new ArrayList<>(versions.size());
        for (SecretVersion v : versions) {
            List<X509Certificate> chain;
            try {
                chain = v.certificateChain();
                if (chain.isEmpty()) {
                    throw new SmimeKeyAccessException(
                            "DKM secret "
                                    + name
                                    + " version "
                                    + v.number()
                                    + " has no certificate (store it with its certificate chain)");
                }
                pairs.add(
                        new SmimeKeyPair(
                                name + " v" + v.number(),
                                v.privateKey(),
                                chain.get(0),
                                chain.subList(1, chain.size())));
            } catch (IllegalStateException e) {
                throw new SmimeKeyAccessException(
                        "DKM secret " + name + " version " + v.number() + ": " + e.getMessage(), e);
            }
        }
        return pairs;
    }

    @Override
    public String toString() {
        return "DkmSmimeKeySource{" + namePattern + "}";
    }
}
