package dev.mailsec.cli.dkim;

import dev.mailsec.cli.UserException;
import dev.mailsec.cli.dkm.DkmStoreSession;
import dev.mailsec.dkim.sign.DkmSigningKeys;
import dev.mailsec.dkim.sign.KeyRecords;
import dev.mailsec.dkim.sign.SigningAlgorithm;
import dev.mailsec.mail.DomainName;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Collections;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./mailsec dkim keygen DOMAIN --store PATH --identity ADMIN.cred --group GROUP}: creates
 * the domain's DKIM key in DKM (version 1, primary) and prints the DNS record to publish. The key
 * pair is generated here and handed to DKM, which keeps the private half encrypted for the group.
 */
@Command(
        name = "keygen",
        mixinStandardHelpOptions = true,
        description =
                "Create a domain's DKIM key in DKM (dkim/DOMAIN, version 1) and print its DNS TXT record.")
public final class DkimKeygenCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin Store store;

    @Parameters(paramLabel = "DOMAIN", description = "The signing domain (d=).")
    String domain;

    @Option(
            names = "--algorithm",
            paramLabel = "ALG",
            defaultValue = "rsa",
            description =
                    "rsa (rsa-sha256, secret dkim/DOMAIN) or ed25519 (ed25519-sha256, secret dkim/DOMAIN/ed25519);"
                            + " default: ${DEFAULT-VALUE}.")
    String algorithm;

    @Option(
            names = "--bits",
            paramLabel = "BITS",
            defaultValue = "2048",
            description = "RSA key size (default: ${DEFAULT-VALUE}).")
    int bits;

    @Option(
            names = "--group",
            required = true,
            paramLabel = "GROUP",
            description =
                    "DKM group whose members may sign with the key (e.g. mail, with james-transport in it).")
    String group;

    @Override
    public Integer call() {
        String d = Store.domain(domain);
        SigningAlgorithm a = Store.algorithm(algorithm);
        KeyPair kp = Store.generate(a, bits);
        String name = DkmSigningKeys.secretName(d, a);
        store.run(
                km ->
                        km.putKeyPair(
                                name,
                                group,
                                kp.getPrivate(),
                                kp.getPublic(),
                                Collections.emptyList()));
        PrintWriter out = spec.commandLine().getOut();
        out.println(
                name
                        + ": version 1 created ("
                        + a.tag()
                        + ", group "
                        + group
                        + "); it signs as soon as SignDkim runs.");
        out.println("Publish this DNS record (before enabling SignDkim for " + d + "):");
        out.println(KeyRecords.zoneLine(DkmSigningKeys.selector(a, 1), d, kp.getPublic()));
        out.flush();
        return 0;
    }

    /**
     * {@code --store} and {@code --identity} as in {@code ./mailsec dkm}, and the session they
     * open.
     */
    public static final class Store {

        @Option(
                names = "--store",
                paramLabel = "PATH",
                defaultValue = "dkm",
                description = "DKM directory made by 'dkm init' (default: ${DEFAULT-VALUE}).")
        Path dir;

        @Option(
                names = "--identity",
                paramLabel = "FILE",
                description = "Credential file of who runs the command.")
        Path identity;

        void run(DkmStoreSession.Action action) {
            if (identity == null) {
                throw new UserException(
                        "--identity: required (the credential file of who runs this command)", 2);
            }
            DkmStoreSession.run(dir, identity, action);
        }

        static String domain(String value) {
            return domain("DOMAIN", value);
        }

        /**
         * A domain name, lower-case and without a trailing dot; {@code label} names the flag in the
         * error.
         */
        public static String domain(String label, String value) {
            return DomainName.normalize(
                            value,
                            DomainName.Option.TRIM,
                            DomainName.Option.TRAILING_DOT,
                            DomainName.Option.MULTI_LABEL)
                    .orElseThrow(
                            () ->
                                    new UserException(
                                            label + ": not a domain name: '" + value + "'", 2));
        }

        static SigningAlgorithm algorithm(String value) {
            switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "rsa":
                case "rsa-sha256":
                    return SigningAlgorithm.RSA_SHA256;
                case "ed25519":
                case "ed25519-sha256":
                    return SigningAlgorithm.ED25519_SHA256;
                default:
                    throw new UserException("--algorithm: rsa or ed25519, got '" + value + "'", 2);
            }
        }

        public static KeyPair generate(SigningAlgorithm a, int bits) {
            try {
                if (a == SigningAlgorithm.ED25519_SHA256) {
                    return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                }
                if (bits < 2048 || bits > 8192) {
                    throw new UserException("--bits: between 2048 and 8192, got " + bits, 2);
                }
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(bits);
                return g.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(
                        "the JDK cannot generate " + a.jcaKeyAlgorithm() + " keys", e);
            }
        }
    }
}
