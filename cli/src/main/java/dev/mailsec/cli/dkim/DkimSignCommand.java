package dev.mailsec.cli.dkim;

import dev.mailsec.cli.UserException;
import dev.mailsec.dkim.DkimSigner;
import dev.mailsec.dkim.sign.DkmSigningKeys;
import dev.mailsec.dkim.sign.SigningKey;
import dev.mailsec.dkm.SecretHandle;
import java.io.IOException;
import java.io.OutputStream;
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
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./mailsec dkim sign (--key PEM --domain D --selector S | --secret NAME) MESSAGE}: prints
 * the message with a DKIM-Signature on top, as SignDkim would sign it. {@code --secret} signs with
 * the primary version of a DKM key ({@code dkim/DOMAIN} or {@code dkim/DOMAIN/ed25519}) and its
 * derived selector; it needs {@code --identity} of a member of the key's group.
 */
@Command(
        name = "sign",
        mixinStandardHelpOptions = true,
        description =
                "DKIM-sign a message (relaxed/relaxed) and print it with its DKIM-Signature field.")
public final class DkimSignCommand implements Callable<Integer> {
    private static final Pattern PEM =
            Pattern.compile(
                    "-----BEGIN PRIVATE KEY-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END PRIVATE KEY-----");

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

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

    @Option(
            names = "--headers",
            paramLabel = "NAMES",
            split = ",",
            description =
                    "Header fields to sign (default: the SignDkim default list, From oversigned).")
    List<String> headers;

    @Parameters(paramLabel = "MESSAGE", description = "The message file ('-' for standard input).")
    String message;

    @Override
    public Integer call() throws IOException {
        SigningKey key = source.key != null ? fromPem() : fromDkm();
        byte[] msg = read(message);
        DkimSigner.Builder b = DkimSigner.builder().key(key);
        try {
            if (headers != null) {
                b.headers(headers);
            }
        } catch (IllegalArgumentException e) {
            throw new UserException("--" + e.getMessage(), 2);
        }
        OutputStream out = System.out;
        out.write(b.build().signedMessage(msg));
        out.flush();
        return 0;
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

    private static byte[] read(String file) {
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
