package dev.mailsec.rights;

import dev.mailsec.dkm.Dkm;
import dev.mailsec.dkm.DkmException;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.SecretHandle;
import dev.mailsec.dkm.SecretInfo;
import dev.mailsec.dkm.SecretKind;
import dev.mailsec.dkm.SecretVersion;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.crypto.SecretKey;

/**
 * The rights keys in DKM (docs/rights.md, "Keys"): {@code rights/content-key} (SYMMETRIC AES-256),
 * {@code rights/signing} (KEY_PAIR EC P-256) and {@code rights/portal-session} (SYMMETRIC), names
 * from {@link RightsSettings}. Reads go through {@link Dkm}'s cache; a key id newer than the cached
 * versions makes one refresh (another node may have rotated). DKM faults become {@link
 * RightsKeyUnavailableException} whose message names the secret, never material. Thread-safe.
 */
public final class DkmRightsKeyring implements RightsKeyring {
    private final Dkm dkm;
    private final String contentSecret;
    private final String signingSecret;
    private final String sessionSecret;

    public DkmRightsKeyring(Dkm dkm, RightsSettings settings) {
        this.dkm = dkm;
        this.contentSecret = settings.contentKeySecret();
        this.signingSecret = settings.signingKeySecret();
        this.sessionSecret = settings.sessionKeySecret();
    }

    /**
     * Creates the three secrets for {@code group} (what {@code ./mailsec rights init} does);
     * existing ones are left alone.
     *
     * @return the names created now (empty when all existed)
     */
    public static List<String> createSecrets(KeyManager km, RightsSettings settings, String group)
            throws DkmException {
        Set<String> existing = new HashSet<>();
        for (SecretInfo i : km.list()) {
            existing.add(i.name());
        }
        List<String> created = new ArrayList<>();
        if (!existing.contains(settings.contentKeySecret())) {
            km.generate(settings.contentKeySecret(), group, SecretKind.SYMMETRIC, null);
            created.add(settings.contentKeySecret());
        }
        if (!existing.contains(settings.signingKeySecret())) {
            km.generate(settings.signingKeySecret(), group, SecretKind.KEY_PAIR, "EC-P256");
            created.add(settings.signingKeySecret());
        }
        if (!existing.contains(settings.sessionKeySecret())) {
            km.generate(settings.sessionKeySecret(), group, SecretKind.SYMMETRIC, null);
            created.add(settings.sessionKeySecret());
        }
        return created;
    }

    @Override
    public RightsKey<SecretKey> contentKey() throws RightsKeyUnavailableException {
        SecretVersion v = primary(contentSecret, SecretKind.SYMMETRIC);
        return new RightsKey<>(RightsKeyring.kid(contentSecret, v.number()), v.secretKey());
    }

    @Override
    public Optional<SecretKey> contentKey(String kid) throws RightsKeyUnavailableException {
        return version(contentSecret, kid, SecretKind.SYMMETRIC).map(SecretVersion::secretKey);
    }

    @Override
    public RightsKey<ECPrivateKey> signingKey() throws RightsKeyUnavailableException {
        SecretVersion v = primary(signingSecret, SecretKind.KEY_PAIR);
        PrivateKey k = v.privateKey();
        if (!(k instanceof ECPrivateKey)) {
            throw new RightsKeyUnavailableException(
                    signingSecret
                            + " v"
                            + v.number()
                            + " holds a "
                            + v.algorithm()
                            + " key; licences need EC P-256",
                    null);
        }
        return new RightsKey<>(RightsKeyring.kid(signingSecret, v.number()), (ECPrivateKey) k);
    }

    @Override
    public Optional<ECPublicKey> verificationKey(String kid) throws RightsKeyUnavailableException {
        Optional<SecretVersion> v = version(signingSecret, kid, SecretKind.KEY_PAIR);
        if (!v.isPresent()) {
            return Optional.empty();
        }
        PublicKey k = v.get().publicKey();
        return k instanceof ECPublicKey ? Optional.of((ECPublicKey) k) : Optional.empty();
    }

    @Override
    public RightsKey<SecretKey> sessionKey() throws RightsKeyUnavailableException {
        SecretVersion v = primary(sessionSecret, SecretKind.SYMMETRIC);
        return new RightsKey<>(RightsKeyring.kid(sessionSecret, v.number()), v.secretKey());
    }

    @Override
    public List<RightsKey<SecretKey>> sessionKeys() throws RightsKeyUnavailableException {
        SecretHandle h = handle(sessionSecret, SecretKind.SYMMETRIC, false);
        List<RightsKey<SecretKey>> out = new ArrayList<>();
        SecretVersion p = h.primary();
        out.add(new RightsKey<>(RightsKeyring.kid(sessionSecret, p.number()), p.secretKey()));
        for (SecretVersion v : h.versions()) {
            if (v.number() != p.number()) {
                out.add(
                        new RightsKey<>(
                                RightsKeyring.kid(sessionSecret, v.number()), v.secretKey()));
            }
        }
        return out;
    }

    @Override
    public Optional<SecretKey> sessionKey(String kid) throws RightsKeyUnavailableException {
        return version(sessionSecret, kid, SecretKind.SYMMETRIC).map(SecretVersion::secretKey);
    }

    private SecretVersion primary(String secret, SecretKind kind)
            throws RightsKeyUnavailableException {
        SecretHandle h = handle(secret, kind, false);
        try {
            return h.primary();
        } catch (IllegalStateException e) {
            throw new RightsKeyUnavailableException(secret + ": no readable primary version", e);
        }
    }

    private Optional<SecretVersion> version(String secret, String kid, SecretKind kind)
            throws RightsKeyUnavailableException {
        int n = RightsKeyring.versionOf(kid, secret);
        if (n < 0) {
            return Optional.empty();
        }
        Optional<SecretVersion> v = handle(secret, kind, false).version(n);
        if (!v.isPresent()) {
            // a version newer than our cached copy: another node may have rotated since
            v = handle(secret, kind, true).version(n);
        }
        return v;
    }

    private SecretHandle handle(String secret, SecretKind kind, boolean refresh)
            throws RightsKeyUnavailableException {
        SecretHandle h;
        try {
            h = refresh ? dkm.refresh(secret) : dkm.secret(secret);
        } catch (DkmException e) {
            throw new RightsKeyUnavailableException(
                    "rights key "
                            + secret
                            + " unavailable: "
                            + e.getClass().getSimpleName()
                            + ": "
                            + e.getMessage(),
                    e);
        }
        if (h.kind() != kind) {
            throw new RightsKeyUnavailableException(
                    secret + " is a " + h.kind() + " secret; rights need " + kind, null);
        }
        return h;
    }

    @Override
    public String toString() {
        return "DkmRightsKeyring["
                + contentSecret
                + ", "
                + signingSecret
                + ", "
                + sessionSecret
                + "]";
    }
}
