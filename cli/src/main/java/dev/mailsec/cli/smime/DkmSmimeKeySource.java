package dev.mailsec.cli.smime;

import dev.mailsec.dkm.Dkm;
import dev.mailsec.dkm.DkmException;
import dev.mailsec.dkm.DkmInvalidRequestException;
import dev.mailsec.dkm.SecretHandle;
import dev.mailsec.dkm.SecretKind;
import dev.mailsec.dkm.SecretVersion;
import dev.mailsec.dkm.VersionState;
import dev.mailsec.smime.SmimeKeyPair;
import dev.mailsec.smime.SmimeKeySource;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * S/MIME keys from the DKM key manager: the KEY_PAIR secret named by {@code namePattern} (e.g.
 * {@code smime/{address}}) holds the private key and the certificate chain, leaf first; its primary
 * version signs, every readable version decrypts (primary first, then newest to oldest). An
 * unreachable store or a refusal is an {@link IOException}, never "no key".
 */
public final class DkmSmimeKeySource implements SmimeKeySource {

    private final Dkm dkm;
    private final String namePattern;

    public DkmSmimeKeySource(Dkm dkm, String namePattern) {
        if (!namePattern.contains("{address}")) {
            throw new IllegalArgumentException("secret name pattern must contain {address}, got '" + namePattern + "'");
        }
        this.dkm = dkm;
        this.namePattern = namePattern;
    }

    @Override
    public List<SmimeKeyPair> keysFor(String address) throws IOException {
        return keysOfSecret(namePattern.replace("{address}", address.trim().toLowerCase(Locale.ROOT)), true);
    }

    /** Every readable version of one secret, primary first. */
    public List<SmimeKeyPair> keysOfSecret(String name) throws IOException {
        return keysOfSecret(name, false);
    }

    private List<SmimeKeyPair> keysOfSecret(String name, boolean missingIsEmpty) throws IOException {
        SecretHandle handle;
        try {
            handle = dkm.secret(name);
        } catch (DkmInvalidRequestException e) {
            if (missingIsEmpty) {
                return List.of();
            }
            throw new IOException(e.getMessage(), e);
        } catch (DkmException e) {
            throw new IOException("DKM: " + e.getMessage(), e);
        }
        if (handle.kind() != SecretKind.KEY_PAIR) {
            throw new IOException("DKM secret " + name + " is " + handle.kind() + ", not a KEY_PAIR");
        }
        List<SecretVersion> versions = new ArrayList<>(handle.versions());
        versions.sort((a, b) -> a.state() == VersionState.PRIMARY ? -1 : b.state() == VersionState.PRIMARY ? 1
            : Integer.compare(b.number(), a.number()));
        List<SmimeKeyPair> pairs = new ArrayList<>();
        for (SecretVersion v : versions) {
            List<X509Certificate> chain = v.certificateChain();
            if (chain.isEmpty()) {
                throw new IOException("DKM secret " + name + " version " + v.number() + " has no certificate");
            }
            pairs.add(new SmimeKeyPair(name + " v" + v.number(), v.privateKey(), chain.get(0), chain.subList(1, chain.size())));
        }
        return pairs;
    }

    @Override
    public String toString() {
        return "DkmSmimeKeySource{" + namePattern + "}";
    }
}
