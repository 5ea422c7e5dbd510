package dev.mailsec.dkim.sign;

import dev.mailsec.dkm.SecretHandle;
import dev.mailsec.dkm.SecretKind;
import dev.mailsec.dkm.SecretVersion;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How DKIM keys live in the key manager (DKM). One {@link SecretKind#KEY_PAIR} secret per domain
 * and algorithm:
 *
 * <ul>
 *   <li>{@code dkim/<domain>}: the domain's RSA key (rsa-sha256), e.g. {@code dkim/mailsec.test};
 *   <li>{@code dkim/<domain>/ed25519}: its Ed25519 key (ed25519-sha256).
 * </ul>
 *
 * The selector is derived from the key's algorithm and version number: {@code rsa-v<N>} or {@code
 * ed25519-v<N>} (so version 3 of {@code dkim/mailsec.test} is published at {@code
 * rsa-v3._domainkey.mailsec.test}). A rollover adds version N+1, whose new selector is published
 * before the version is promoted; older selectors stay valid because archived versions keep their
 * records. Only the primary version signs.
 */
public final class DkmSigningKeys {
    private static final Pattern SELECTOR = Pattern.compile("(rsa|ed25519)-v([1-9][0-9]{0,8})");

    private DkmSigningKeys() {}

    /** The DKM secret holding the domain's key for this algorithm. */
    public static String secretName(String domain, SigningAlgorithm algorithm) {
        String d = domain.toLowerCase(Locale.ROOT);
        return algorithm == SigningAlgorithm.ED25519_SHA256
                ? "dkim/" + d + "/ed25519"
                : "dkim/" + d;
    }

    /** The selector of a key version: {@code rsa-v<N>} or {@code ed25519-v<N>}. */
    public static String selector(SigningAlgorithm algorithm, int version) {
        if (version < 1) {
            throw new IllegalArgumentException("version: counted from 1, got " + version);
        }
        return algorithm.keyType() + "-v" + version;
    }

    /** The version a derived selector names, or -1 if it is not one of ours for this algorithm. */
    public static int versionOf(String selector, SigningAlgorithm algorithm) {
        Matcher m = SELECTOR.matcher(selector);
        return m.matches() && m.group(1).equals(algorithm.keyType())
                ? Integer.parseInt(m.group(2))
                : -1;
    }

    /**
     * The signing key of one version (normally {@link SecretHandle#primary()}), with its derived
     * selector.
     *
     * @throws IllegalArgumentException if the secret is not a key pair of the algorithm its name
     *     promises
     */
    public static SigningKey signingKey(String domain, SecretVersion version) {
        SigningAlgorithm expected =
                version.name().endsWith("/ed25519")
                        ? SigningAlgorithm.ED25519_SHA256
                        : SigningAlgorithm.RSA_SHA256;
        if (version.kind() != SecretKind.KEY_PAIR) {
            throw new IllegalArgumentException(
                    version.name()
                            + " is a "
                            + version.kind()
                            + " secret; a DKIM key is a KEY_PAIR");
        }
        SigningAlgorithm actual = SigningAlgorithm.ofKeyAlgorithm(version.algorithm());
        if (actual != expected) {
            throw new IllegalArgumentException(
                    version.name()
                            + " holds a "
                            + version.algorithm()
                            + " key; "
                            + expected.tag()
                            + " needs "
                            + expected.jcaKeyAlgorithm());
        }
        return SigningKey.of(domain, selector(actual, version.number()), version.privateKey());
    }

    /** The key to sign new mail with: the primary version's. */
    public static SigningKey primary(String domain, SecretHandle secret) {
        return signingKey(domain, secret.primary());
    }

    /**
     * The DNS record of one version: {@code <selector>._domainkey.<domain>. IN TXT "v=DKIM1; ..."}.
     */
    public static String zoneLine(String domain, SecretVersion version) {
        SigningAlgorithm a = SigningAlgorithm.ofKeyAlgorithm(version.algorithm());
        if (a == null) {
            throw new IllegalArgumentException(
                    version.name()
                            + " holds a "
                            + version.algorithm()
                            + " key, which cannot sign DKIM");
        }
        return KeyRecords.zoneLine(
                selector(a, version.number()),
                domain.toLowerCase(Locale.ROOT),
                version.publicKey());
    }
}
