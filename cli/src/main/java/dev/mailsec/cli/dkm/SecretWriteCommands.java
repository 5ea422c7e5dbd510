package dev.mailsec.cli.dkm;

import dev.mailsec.dkm.SecretKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code dkm secret put|rotate|promote|destroy}: creating a secret, rolling it over (add a version,
 * promote it) and destroying a version.
 */
final class SecretWriteCommands {
    private SecretWriteCommands() {}

    @Command(
            name = "put",
            mixinStandardHelpOptions = true,
            description =
                    "Create a secret (version 1, primary). The value is read from stdin (one final newline"
                            + " is dropped unless --raw); KEY_PAIR reads PEM (PKCS#8 PRIVATE KEY, CERTIFICATE chain).")
    static final class Put implements Runnable {
        @ParentCommand SecretCommand parent;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--group", required = true)
        String group;

        @Option(
                names = "--kind",
                defaultValue = "OPAQUE",
                description = "OPAQUE, KEY_PAIR or SYMMETRIC (default: ${DEFAULT-VALUE})")
        SecretKind kind;

        @Option(
                names = "--generate",
                paramLabel = "ALG",
                arity = "0..1",
                fallbackValue = "default",
                description =
                        "generate instead of reading stdin: RSA-2048, RSA-3072, Ed25519, EC-P256 (KEY_PAIR) or AES (SYMMETRIC)")
        String generate;

        @Option(names = "--raw", description = "keep a final newline of the value")
        boolean raw;

        @Override
        public void run() {
            parent.dkm.inSession(
                    km -> {
                        if (generate != null) {
                            km.generate(
                                    name,
                                    group,
                                    kind,
                                    "default".equals(generate) ? null : generate);
                        } else if (kind == SecretKind.KEY_PAIR) {
                            Pem pem = Pem.parseKeyPair(SecretInput.stdin(true));
                            km.putKeyPair(name, group, pem.privateKey, pem.publicKey, pem.chain);
                        } else {
                            byte[] v = SecretInput.stdin(raw);
                            km.putSecret(
                                    name,
                                    group,
                                    kind,
                                    kind == SecretKind.SYMMETRIC
                                            ? SecretInput.symmetricValue(v)
                                            : v);
                        }
                        parent.dkm
                                .out()
                                .println(
                                        name
                                                + ": version 1 stored ("
                                                + kind
                                                + ", group "
                                                + group
                                                + ")");
                    });
        }
    }

    @Command(
            name = "rotate",
            mixinStandardHelpOptions = true,
            description =
                    "Rollover step 1: add a version (generated for KEY_PAIR and SYMMETRIC, stdin for OPAQUE)."
                            + " It is used for new work only after 'secret promote'.")
    static final class Rotate implements Runnable {
        @ParentCommand SecretCommand parent;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--stdin", description = "read the new value from stdin (PEM for KEY_PAIR)")
        boolean fromStdin;

        @Option(names = "--raw", description = "keep a final newline of the value")
        boolean raw;

        @Override
        public void run() {
            parent.dkm.inSession(
                    km -> {
                        int v;
                        SecretKind kind = SecretInput.kindOf(km, name);
                        if (kind == SecretKind.OPAQUE || fromStdin) {
                            if (kind == SecretKind.KEY_PAIR) {
                                Pem pem = Pem.parseKeyPair(SecretInput.stdin(true));
                                v =
                                        km.addKeyPairVersion(
                                                name, pem.privateKey, pem.publicKey, pem.chain);
                            } else {
                                byte[] in = SecretInput.stdin(raw);
                                v =
                                        km.addVersion(
                                                name,
                                                kind == SecretKind.SYMMETRIC
                                                        ? SecretInput.symmetricValue(in)
                                                        : in);
                            }
                        } else {
                            v = km.rotate(name);
                        }
                        parent.dkm
                                .out()
                                .println(
                                        name
                                                + ": version "
                                                + v
                                                + " added (ENABLED); make it primary with: "
                                                + "secret promote "
                                                + name
                                                + " "
                                                + v);
                    });
        }
    }

    @Command(
            name = "promote",
            mixinStandardHelpOptions = true,
            description =
                    "Rollover step 2: make an added version primary; the old primary is archived.")
    static final class Promote implements Runnable {
        @ParentCommand SecretCommand parent;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "VERSION")
        int version;

        @Override
        public void run() {
            parent.dkm.inSession(
                    km -> {
                        km.promote(name, version);
                        parent.dkm.out().println(name + ": version " + version + " is primary");
                    });
        }
    }

    @Command(
            name = "destroy",
            mixinStandardHelpOptions = true,
            description = "Destroy a non-primary version for good (admin).")
    static final class Destroy implements Runnable {
        @ParentCommand SecretCommand parent;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "VERSION")
        int version;

        @Override
        public void run() {
            parent.dkm.inSession(
                    km -> {
                        km.destroyVersion(name, version);
                        parent.dkm.out().println(name + ": version " + version + " destroyed");
                    });
        }
    }
}
