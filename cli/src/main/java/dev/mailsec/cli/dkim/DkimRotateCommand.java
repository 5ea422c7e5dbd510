package dev.mailsec.cli.dkim;

import dev.mailsec.dkim.sign.DkmSigningKeys;
import dev.mailsec.dkim.sign.KeyRecords;
import dev.mailsec.dkim.sign.SigningAlgorithm;
import dev.mailsec.dkm.SecretVersion;
import java.io.PrintWriter;
import java.security.KeyPair;
import java.util.Collections;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./mailsec dkim rotate DOMAIN}: rollover step 1. Adds a new key version to {@code
 * dkim/DOMAIN} (not primary yet: mail is still signed with the current selector), prints its DNS
 * record, and says how to promote it once the record is published. The old version is archived on
 * promotion, so its record may stay published until mail signed with it has aged out.
 */
@Command(
        name = "rotate",
        mixinStandardHelpOptions = true,
        description = "Add a new DKIM key version (not yet primary) and print its DNS TXT record.")
public final class DkimRotateCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin DkimKeygenCommand.Store store;

    @Parameters(paramLabel = "DOMAIN", description = "The signing domain (d=).")
    String domain;

    @Option(
            names = "--algorithm",
            paramLabel = "ALG",
            defaultValue = "rsa",
            description =
                    "Which of the domain's keys: rsa (dkim/DOMAIN) or ed25519 (dkim/DOMAIN/ed25519); default: ${DEFAULT-VALUE}.")
    String algorithm;

    @Option(
            names = "--bits",
            paramLabel = "BITS",
            defaultValue = "2048",
            description = "RSA key size (default: ${DEFAULT-VALUE}).")
    int bits;

    @Option(
            names = "--records",
            description =
                    "Do not rotate: print the DNS record of every version with its state (e.g. one added by"
                            + " automated rollover). Needs --identity of a member of the key's group.")
    boolean records;

    @Override
    public Integer call() {
        String d = DkimKeygenCommand.Store.domain(domain);
        SigningAlgorithm a = DkimKeygenCommand.Store.algorithm(algorithm);
        if (records) {
            return printRecords(d, a);
        }
        KeyPair kp = DkimKeygenCommand.Store.generate(a, bits);
        String name = DkmSigningKeys.secretName(d, a);
        int[] version = new int[1];
        store.run(
                km ->
                        version[0] =
                                km.addKeyPairVersion(
                                        name,
                                        kp.getPrivate(),
                                        kp.getPublic(),
                                        Collections.emptyList()));
        PrintWriter out = spec.commandLine().getOut();
        out.println(
                name
                        + ": version "
                        + version[0]
                        + " added, not yet primary (mail is still signed with the current key).");
        out.println("1. Publish this DNS record:");
        out.println(KeyRecords.zoneLine(DkmSigningKeys.selector(a, version[0]), d, kp.getPublic()));
        out.println("2. Once it resolves everywhere, make it primary:");
        out.println(
                "   ./mailsec dkm --store "
                        + store.dir
                        + " --identity "
                        + store.identity
                        + " secret promote "
                        + name
                        + " "
                        + version[0]);
        out.println(
                "3. Keep the old selector's record published until mail signed with it has aged out (archived keys are kept).");
        out.flush();
        return 0;
    }

    private int printRecords(String d, SigningAlgorithm a) {
        String name = DkmSigningKeys.secretName(d, a);
        PrintWriter out = spec.commandLine().getOut();
        store.run(
                km -> {
                    for (SecretVersion v : km.get(name).versions()) {
                        out.println("; " + name + " v" + v.number() + " " + v.state());
                        out.println(DkmSigningKeys.zoneLine(d, v));
                    }
                });
        out.flush();
        return 0;
    }
}
