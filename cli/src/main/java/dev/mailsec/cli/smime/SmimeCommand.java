package dev.mailsec.cli.smime;

import dev.mailsec.cli.UserException;
import dev.mailsec.smime.ContentEncryption;
import dev.mailsec.smime.DecryptionResult;
import dev.mailsec.smime.DkmSmimeKeySource;
import dev.mailsec.smime.EncryptionRecipient;
import dev.mailsec.smime.KeyTransport;
import dev.mailsec.smime.PemSmimeKeySource;
import dev.mailsec.smime.SignatureAlgorithm;
import dev.mailsec.smime.SigningMode;
import dev.mailsec.smime.SmimeDecryptor;
import dev.mailsec.smime.SmimeEncryptor;
import dev.mailsec.smime.SmimeException;
import dev.mailsec.smime.SmimeKeyAccessException;
import dev.mailsec.smime.SmimeKeyPair;
import dev.mailsec.smime.SmimeResult;
import dev.mailsec.smime.SmimeSettings;
import dev.mailsec.smime.SmimeSigner;
import dev.mailsec.smime.SmimeVerification;
import dev.mailsec.smime.SmimeVerifier;
import dev.mailsec.smime.TrustAnchors;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./mailsec smime sign|encrypt|decrypt|verify MESSAGE}: the engine the mailets use, for
 * operators and interop checks. The message is a file ({@code -} for stdin); the result goes to
 * stdout.
 */
@Command(
        name = "smime",
        mixinStandardHelpOptions = true,
        description =
                "S/MIME: sign, encrypt, decrypt and verify messages as the S/MIME mailets would.")
public final class SmimeCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand (sign, encrypt, decrypt, verify)");
    }

    @Command(
            name = "sign",
            mixinStandardHelpOptions = true,
            description =
                    "Sign MESSAGE with --key and its --cert (the file may hold the chain after it), or with the primary"
                            + " version of DKM KEY_PAIR secret --secret.")
    int sign(
            @Parameters(paramLabel = "MESSAGE") String message,
            @Option(names = "--key", paramLabel = "FILE", description = "PEM private key") Path key,
            @Option(
                            names = "--cert",
                            paramLabel = "FILE",
                            description = "PEM certificate (then chain)")
                    Path cert,
            @CommandLine.Mixin DkmOptions dkm,
            @Option(
                            names = "--mode",
                            defaultValue = "detached",
                            description = "detached (default) or opaque")
                    String mode,
            @Option(
                            names = "--algorithm",
                            description =
                                    "rsa-sha256 (RSA default), rsa-pss-sha256, ecdsa-sha256 (EC default), ...")
                    String algorithm,
            @Option(
                            names = "--keep-8bit",
                            description =
                                    "sign 8-bit parts as they are (default: re-encode them as quoted-printable or base64 first)")
                    boolean keep8bit) {
        SmimeKeyPair pair;
        if (dkm.secret != null) {
            if (key != null || cert != null) {
                throw new UserException("give --secret or --key/--cert, not both", 2);
            }
            pair = dkm.keys().get(0);
        } else {
            if (key == null || cert == null) {
                throw new UserException("--key and --cert (or --secret): required", 2);
            }
            pair = keyPair(key, cert);
        }
        SigningMode signingMode = setting(() -> SmimeSettings.signingMode("--mode", mode));
        SignatureAlgorithm alg =
                setting(() -> SmimeSettings.signatureAlgorithm("--algorithm", algorithm));
        try (InputStream in = open(message);
                OutputStream out = stdout()) {
            new SmimeSigner(signingMode, alg, !keep8bit).sign(in, out, pair);
        } catch (SmimeException e) {
            throw new UserException("cannot sign: " + e.getMessage());
        } catch (IOException e) {
            throw new UserException("I/O error: " + e.getMessage());
        }
        return 0;
    }

    @Command(
            name = "encrypt",
            mixinStandardHelpOptions = true,
            description = "Encrypt MESSAGE for every --cert (RSA or EC).")
    int encrypt(
            @Parameters(paramLabel = "MESSAGE") String message,
            @Option(
                            names = "--cert",
                            required = true,
                            paramLabel = "FILE",
                            description = "recipient certificate, repeatable")
                    List<Path> certs,
            @Option(
                            names = "--cipher",
                            defaultValue = "aes256-cbc",
                            description = "aes256-cbc (default) or aes256-gcm")
                    String cipher,
            @Option(
                            names = "--key-transport",
                            defaultValue = "rsa-pkcs1",
                            description =
                                    "rsa-pkcs1 (default, every client) or rsa-oaep; EC uses ECDH")
                    String transport) {
        ContentEncryption content = setting(() -> ContentEncryption.parse(cipher));
        KeyTransport rsa = setting(() -> KeyTransport.parse(transport));
        List<EncryptionRecipient> recipients = new ArrayList<>();
        for (Path c : certs) {
            for (X509Certificate x : certificates(c)) {
                recipients.add(setting(() -> EncryptionRecipient.of(x, rsa)));
                break;
            }
        }
        try (InputStream in = open(message);
                OutputStream out = stdout()) {
            new SmimeEncryptor().encrypt(in, out, recipients, content);
        } catch (SmimeException e) {
            throw new UserException("cannot encrypt: " + e.getMessage());
        } catch (IOException e) {
            throw new UserException("I/O error: " + e.getMessage());
        }
        return 0;
    }

    @Command(
            name = "decrypt",
            mixinStandardHelpOptions = true,
            description =
                    "Decrypt MESSAGE with --key and --cert pairs (repeat both, in the same order, for archived keys),"
                            + " or with every version of DKM KEY_PAIR secret --secret.")
    int decrypt(
            @Parameters(paramLabel = "MESSAGE") String message,
            @Option(
                            names = "--key",
                            paramLabel = "FILE",
                            description = "PEM private key, repeatable")
                    List<Path> keys,
            @Option(
                            names = "--cert",
                            paramLabel = "FILE",
                            description = "its certificate, repeatable")
                    List<Path> certs,
            @CommandLine.Mixin DkmOptions dkm) {
        keys = keys == null ? List.of() : keys;
        certs = certs == null ? List.of() : certs;
        List<SmimeKeyPair> pairs = new ArrayList<>();
        if (dkm.secret != null) {
            pairs.addAll(dkm.keys());
        } else if (keys.isEmpty()) {
            throw new UserException("--key and --cert (or --secret): required", 2);
        }
        if (keys.size() != certs.size()) {
            throw new UserException(
                    "give one --cert per --key (got "
                            + keys.size()
                            + " keys, "
                            + certs.size()
                            + " certificates)",
                    2);
        }
        for (int i = 0; i < keys.size(); i++) {
            pairs.add(keyPair(keys.get(i), certs.get(i)));
        }
        DecryptionResult result;
        try (InputStream in = open(message);
                OutputStream out = stdout()) {
            result = new SmimeDecryptor().decrypt(in, out, pairs);
        } catch (SmimeException e) {
            throw new UserException("cannot decrypt (" + e.reason() + "): " + e.getMessage());
        } catch (IOException e) {
            throw new UserException("I/O error: " + e.getMessage());
        }
        spec.commandLine().getErr().println(result.summary());
        return 0;
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description =
                    "Verify MESSAGE against the trust anchors given with --cert; prints the smime= result. Exit 0 only for pass.")
    int verify(
            @Parameters(paramLabel = "MESSAGE") String message,
            @Option(
                            names = "--cert",
                            required = true,
                            paramLabel = "FILE",
                            description = "trusted CA certificate(s), repeatable")
                    List<Path> anchors,
            @Option(
                            names = "--check-revocation",
                            description =
                                    "ask the certificates' OCSP responders, then fetch CRLs from their distribution points")
                    boolean revocation,
            @Option(
                            names = "--ocsp-soft-fail",
                            description =
                                    "with --check-revocation: a certificate whose OCSP responder does not answer and that has no CRL counts as not revoked (default: temperror)")
                    boolean ocspSoftFail,
            @Option(
                            names = "--crl-ldap-url",
                            paramLabel = "URL",
                            description =
                                    "with --check-revocation: ldap://host[:port] for LDAP CRL distribution points that name no server (Active Directory's ldap:///CN=...)")
                    String crlLdapUrl,
            @Option(
                            names = "--crl-ldap-bind-dn",
                            paramLabel = "DN",
                            description =
                                    "with --crl-ldap-url: bind to that server (only) as DN, password from --crl-ldap-password-secret")
                    String crlLdapBindDn,
            @Option(
                            names = "--crl-ldap-password-secret",
                            paramLabel = "NAME",
                            description =
                                    "OPAQUE DKM secret holding the --crl-ldap-bind-dn password (with --dkm, --identity)")
                    String crlLdapPasswordSecret,
            @Option(
                            names = "--crl-ldap-tls-ca",
                            paramLabel = "FILE",
                            description =
                                    "with an ldaps:// --crl-ldap-url: the CA certificate(s) its TLS certificate must chain to (default: the JVM's trust store)")
                    String crlLdapTlsCa,
            @CommandLine.Mixin DkmAccess access) {
        Set<TrustAnchor> trust = new HashSet<>();
        for (Path a : anchors) {
            try {
                trust.addAll(TrustAnchors.load(a));
            } catch (IOException e) {
                throw new UserException("--cert: " + e.getMessage(), 2);
            }
        }
        dev.mailsec.dkm.Dkm dkm = null;
        dev.mailsec.smime.LdapServer crlLdap;
        try {
            if (crlLdapBindDn != null && crlLdapPasswordSecret == null) {
                throw new UserException("--crl-ldap-bind-dn: needs --crl-ldap-password-secret", 2);
            }
            if (crlLdapPasswordSecret != null) {
                dkm = access.open("--crl-ldap-password-secret");
            }
            dev.mailsec.dkm.Dkm client = dkm;
            java.util.Map<String, String> given = new java.util.HashMap<>();
            given.put("crlLdapUrl", crlLdapUrl);
            given.put("crlLdapBindDn", crlLdapBindDn);
            given.put("crlLdapPasswordSecret", crlLdapPasswordSecret);
            given.put("crlLdapTlsTrustAnchors", crlLdapTlsCa);
            crlLdap = dev.mailsec.smime.SmimeSettings.crlLdapServer(given::get, () -> client);
        } catch (IllegalArgumentException e) {
            if (dkm != null) {
                dkm.close();
            }
            throw new UserException(
                    e.getMessage()
                            .replace("crlLdapBindDn", "--crl-ldap-bind-dn")
                            .replace("crlLdapUrl", "--crl-ldap-url")
                            .replace("crlLdapPasswordSecret", "--crl-ldap-password-secret")
                            .replace("crlLdapTlsTrustAnchors", "--crl-ldap-tls-ca"),
                    2);
        }
        SmimeVerification v;
        try (InputStream in = open(message)) {
            v =
                    new SmimeVerifier(
                                    dev.mailsec.smime.SmimeSettings.chains(
                                            trust,
                                            revocation,
                                            true,
                                            ocspSoftFail
                                                    ? dev.mailsec.smime.ChainValidator.OcspFailure
                                                            .SOFT
                                                    : dev.mailsec.smime.ChainValidator.OcspFailure
                                                            .HARD,
                                            java.time.Duration.ofSeconds(5),
                                            crlLdap),
                                    Clock.systemUTC())
                            .verify(in);
        } catch (IOException e) {
            throw new UserException("I/O error: " + e.getMessage());
        } finally {
            if (dkm != null) {
                dkm.close();
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(v.authenticationResultsEntry());
        out.flush();
        return v.result() == SmimeResult.PASS ? 0 : 1;
    }

    /** {@code --dkm FILE --identity FILE}: a session with the DKM key manager. */
    static final class DkmAccess {
        @Option(
                names = "--dkm",
                paramLabel = "FILE",
                defaultValue = "dkm/dkm.properties",
                description = "DKM configuration (default: ${DEFAULT-VALUE})")
        Path properties;

        @Option(
                names = "--identity",
                paramLabel = "FILE",
                description = "credential file of the identity reading the secret")
        Path identity;

        /** Opens a client; {@code forOption} names the option that needs it. */
        dev.mailsec.dkm.Dkm open(String forOption) {
            if (identity == null) {
                throw new UserException("--identity: required with " + forOption, 2);
            }
            if (!Files.isRegularFile(properties)) {
                throw new UserException("--dkm: no DKM configuration at " + properties, 2);
            }
            try {
                return dev.mailsec.dkm.Dkm.open(
                        dev.mailsec.dkm.DkmConfig.load(properties).withIdentity(identity),
                        Clock.systemUTC());
            } catch (dev.mailsec.dkm.DkmException e) {
                throw new UserException("--dkm: " + e.getMessage(), 2);
            }
        }
    }

    /** {@code --secret NAME --dkm FILE --identity FILE}: keys from the DKM key manager. */
    static final class DkmOptions {
        @Option(
                names = "--secret",
                paramLabel = "NAME",
                description = "DKM KEY_PAIR secret (private key + certificate chain)")
        String secret;

        @CommandLine.Mixin DkmAccess access;

        List<SmimeKeyPair> keys() {
            try (dev.mailsec.dkm.Dkm dkm = access.open("--secret")) {
                List<SmimeKeyPair> pairs =
                        new DkmSmimeKeySource(dkm, "{address}").keysOfSecret(secret);
                if (pairs.isEmpty()) {
                    throw new UserException("--secret " + secret + ": no readable version", 1);
                }
                return pairs;
            } catch (IOException | SmimeKeyAccessException e) {
                throw new UserException("--secret " + secret + ": " + e.getMessage(), 1);
            }
        }
    }

    private static SmimeKeyPair keyPair(Path key, Path cert) {
        try {
            return PemSmimeKeySource.load(key.getFileName().toString(), key, cert);
        } catch (IOException e) {
            throw new UserException(e.getMessage(), 2);
        }
    }

    private static List<X509Certificate> certificates(Path file) {
        try {
            List<X509Certificate> list = PemSmimeKeySource.readCertificates(file);
            if (list.isEmpty()) {
                throw new UserException("--cert: no certificate in " + file, 2);
            }
            return list;
        } catch (IOException e) {
            throw new UserException("--cert: " + e.getMessage(), 2);
        }
    }

    private static InputStream open(String message) throws IOException {
        if ("-".equals(message)) {
            return new BufferedInputStream(System.in, 64 * 1024);
        }
        Path p = Path.of(message);
        if (!Files.isReadable(p)) {
            throw new UserException("cannot read message file " + message, 2);
        }
        return new BufferedInputStream(Files.newInputStream(p), 64 * 1024);
    }

    private static OutputStream stdout() {
        return new BufferedOutputStream(
                new java.io.FilterOutputStream(System.out) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        out.flush();
                    }
                },
                64 * 1024);
    }

    private interface Setting<T> {
        T get();
    }

    private static <T> T setting(Setting<T> s) {
        try {
            return s.get();
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), 2);
        }
    }
}
