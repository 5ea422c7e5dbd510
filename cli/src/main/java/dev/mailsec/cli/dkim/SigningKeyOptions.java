package dev.mailsec.cli.dkim;

import dev.mailsec.cli.UserException;
import dev.mailsec.dkim.sign.DkmSigningKeys;
import dev.mailsec.dkim.sign.SigningKey;
import dev.mailsec.dkm.SecretHandle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The signing key options of {@code mailsec dkim sign} and {@code mailsec arc seal}: {@code --key
 * PEM --domain D --selector S}, or {@code --secret NAME} (the primary version of a DKM key, {@code
 * dkim/DOMAIN} or {@code dkim/DOMAIN/ed25519}, with its derived selector, as SignDkim and SealArc
 * take it) with {@code --store} and {@code --identity}.
 */
public final class SigningKeyOptions {
    private static final Pattern PEM =
            Pattern.compile(
                    "-----BEGIN PRIVATE KEY-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END PRIVATE KEY-----");

    @ArgGroup(exclusive = true, multiplicity = "1")
    KeySource source;

    static final class KeySource {
        @Option(
                names = "--key",
                paramLabel = "PEM",
                description = "PKCS#8 private key file (RSA or Ed25519).")
        Path key;

        @Option(
                names = "--secret",
                paramLabel = "NAME",
                description = "DKM secret, e.g. dkim/example.com.")
        String secret;
    }

    @CommandLine.Mixin DkimKeygenCommand.Store store;

    @Option(names = "--domain", paramLabel = "DOMAIN", description = "d= (required with --key).")
    String domain;

    @Option(
            names = "--selector",
            paramLabel = "SELECTOR",
            description = "s= (required with --key).")
    String selector;

    /** The key the options name. */
    public SigningKey signingKey() {
        return source.key != null ? fromPem() : fromDkm();
    }

    private SigningKey fromPem() {
        if (domain == null || selector == null) {
            throw new UserException("--key needs --domain and --selector", 2);
        }
        String text = new String(read(source.key.toString()), StandardCharsets.US_ASCII);
        Matcher m = PEM.matcher(text);
        if (!m.find()) {
            throw new UserException(
                    "--key: no PEM 'PRIVATE KEY' block (PKCS#8) in "
                            + source.key
                            + "; convert with 'openssl pkcs8 -topk8 -nocrypt'",
                    2);
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        PrivateKey pk = null;
        for (String alg : new String[] {"RSA", "Ed25519"}) {
            try {
                pk = KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
                break;
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        if (pk == null) {
            throw new UserException(
                    "--key: " + source.key + " holds neither an RSA nor an Ed25519 key", 2);
        }
        try {
            return SigningKey.of(domain, selector, pk);
        } catch (IllegalArgumentException e) {
            throw new UserException("--" + e.getMessage(), 2);
        }
    }

    private SigningKey fromDkm() {
        String name = source.secret;
        if (!name.startsWith("dkim/")) {
            throw new UserException(
                    "--secret: a DKIM key is named dkim/DOMAIN or dkim/DOMAIN/ed25519, got '"
                            + name
                            + "'",
                    2);
        }
        String rest = name.substring(5);
        String d = rest.endsWith("/ed25519") ? rest.substring(0, rest.length() - 8) : rest;
        if (domain != null || selector != null) {
            throw new UserException(
                    "--secret: the domain and selector come from the secret; drop --domain/--selector",
                    2);
        }
        List<SigningKey> key = new ArrayList<>(1);
        store.run(
                km -> {
                    SecretHandle h = km.get(name);
                    try {
                        key.add(DkmSigningKeys.primary(d, h));
                    } catch (IllegalArgumentException e) {
                        throw new UserException("--secret: " + e.getMessage(), 2);
                    }
                });
        return key.get(0);
    }

    /** A file's bytes, or standard input for {@code -}. */
    public static byte[] read(String file) {
        try {
            if (file.equals("-")) {
                return System.in.readAllBytes();
            }
            return Files.readAllBytes(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new UserException(file + ": no such file", 2);
        } catch (IOException e) {
            throw new UserException(file + ": " + e.getMessage(), 2);
        }
    }
}
