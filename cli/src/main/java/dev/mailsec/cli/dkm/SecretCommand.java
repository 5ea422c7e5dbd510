package dev.mailsec.cli.dkm;

import dev.mailsec.cli.UserException;
import dev.mailsec.dkm.SecretHandle;
import dev.mailsec.dkm.SecretInfo;
import dev.mailsec.dkm.SecretKind;
import dev.mailsec.dkm.SecretVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code dkm secret put|get|rotate|promote|destroy|list|export}. */
@Command(
        name = "secret",
        mixinStandardHelpOptions = true,
        description = "Store, read and roll over secrets.",
        subcommands = {
            SecretCommand.Put.class,
            SecretCommand.Get.class,
            SecretCommand.Rotate.class,
            SecretCommand.Promote.class,
            SecretCommand.Destroy.class,
            SecretCommand.ListSecrets.class,
            SecretCommand.Export.class
        })
final class SecretCommand implements Runnable {
    @ParentCommand DkmCommand dkm;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    static byte[] stdin(boolean raw) {
        try {
            byte[] b = System.in.readAllBytes();
            int n = b.length;
            if (!raw && n > 0 && b[n - 1] == '\n') {
                n--;
                if (n > 0 && b[n - 1] == '\r') {
                    n--;
                }
            }
            return Arrays.copyOf(b, n);
        } catch (IOException e) {
            throw new UserException("stdin: " + e.getMessage(), 2);
        }
    }

    static byte[] symmetricValue(byte[] in) {
        if (in.length == 32) {
            return in;
        }
        try {
            byte[] k = Base64.getDecoder().decode(new String(in, StandardCharsets.US_ASCII).trim());
            if (k.length == 32) {
                return k;
            }
        } catch (IllegalArgumentException e) {
            // fall through to the message below
        }
        throw new UserException(
                "stdin: a SYMMETRIC secret is 32 raw bytes or their base64 (or use --generate)", 2);
    }

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
                            Pem pem = Pem.parseKeyPair(stdin(true));
                            km.putKeyPair(name, group, pem.privateKey, pem.publicKey, pem.chain);
                        } else {
                            byte[] v = stdin(raw);
                            km.putSecret(
                                    name,
                                    group,
                                    kind,
                                    kind == SecretKind.SYMMETRIC ? symmetricValue(v) : v);
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
            name = "get",
            mixinStandardHelpOptions = true,
            description =
                    "Write a secret's value to stdout (needs a member identity or a granted person).")
    static final class Get implements Runnable {
        @ParentCommand SecretCommand parent;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(
                names = "--version",
                paramLabel = "N",
                description = "version (default: the primary)")
        Integer version;

        @Option(names = "--base64", description = "print OPAQUE values as base64")
        boolean base64;

        @Override
        public void run() {
            parent.dkm.inSession(
                    km -> {
                        SecretHandle h = km.get(name);
                        SecretVersion v =
                                version == null
                                        ? h.primary()
                                        : h.version(version)
                                                .orElseThrow(
                                                        () ->
                                                                new UserException(
                                                                        name
                                                                                + ": no readable version "
                                                                                + version,
                                                                        2));
                        java.io.PrintWriter out = parent.dkm.out();
                        switch (h.kind()) {
                            case OPAQUE:
                                out.print(
                                        base64
                                                ? Base64.getEncoder().encodeToString(v.value())
                                                        + "\n"
                                                : new String(v.value(), StandardCharsets.UTF_8));
                                break;
                            case SYMMETRIC:
                                out.println(
                                        Base64.getEncoder()
                                                .encodeToString(v.secretKey().getEncoded()));
                                break;
                            default:
                                out.print(Pem.block("PRIVATE KEY", v.privateKey().getEncoded()));
                                out.print(Pem.block("PUBLIC KEY", v.publicKey().getEncoded()));
                                try {
                                    for (X509Certificate c : v.certificateChain()) {
                                        out.print(Pem.block("CERTIFICATE", c.getEncoded()));
                                    }
                                } catch (CertificateEncodingException e) {
                                    throw new UserException(
                                            name + ": stored certificate cannot be encoded", 1);
                                }
                        }
                        out.flush();
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
                        SecretKind kind = kindOf(km, name);
                        if (kind == SecretKind.OPAQUE || fromStdin) {
                            if (kind == SecretKind.KEY_PAIR) {
                                Pem pem = Pem.parseKeyPair(stdin(true));
                                v =
                                        km.addKeyPairVersion(
                                                name, pem.privateKey, pem.publicKey, pem.chain);
                            } else {
                                byte[] in = stdin(raw);
                                v =
                                        km.addVersion(
                                                name,
                                                kind == SecretKind.SYMMETRIC
                                                        ? symmetricValue(in)
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

    static SecretKind kindOf(dev.mailsec.dkm.KeyManager km, String name)
            throws dev.mailsec.dkm.DkmException {
        for (SecretInfo i : km.list()) {
            if (i.name().equals(name)) {
                return i.kind();
            }
        }
        throw new dev.mailsec.dkm.DkmNotFoundException("secret: no such secret '" + name + "'");
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

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List secrets (no values).")
    static final class ListSecrets implements Runnable {
        @ParentCommand SecretCommand parent;

        @Override
        public void run() {
            parent.dkm.inSession(
                    km -> {
                        for (SecretInfo i : km.list()) {
                            StringBuilder sb =
                                    new StringBuilder(i.name())
                                            .append('\t')
                                            .append(i.kind())
                                            .append('\t')
                                            .append(i.group());
                            for (Map.Entry<Integer, dev.mailsec.dkm.VersionState> e :
                                    i.versions().entrySet()) {
                                sb.append("\tv")
                                        .append(e.getKey())
                                        .append('=')
                                        .append(e.getValue());
                            }
                            parent.dkm.out().println(sb);
                        }
                    });
        }
    }

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description =
                    "Export one version sealed to a member identity's key (admin); written to --out (0600).")
    static final class Export implements Runnable {
        @ParentCommand SecretCommand parent;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--version", required = true)
        int version;

        @Option(names = "--to", required = true, paramLabel = "IDENTITY")
        String to;

        @Option(names = "--out", required = true, paramLabel = "FILE")
        Path out;

        @Override
        public void run() {
            parent.dkm.inSession(
                    km -> {
                        byte[] blob = km.export(name, version, to);
                        try {
                            Files.createFile(
                                    out,
                                    PosixFilePermissions.asFileAttribute(
                                            PosixFilePermissions.fromString("rw-------")));
                            Files.write(out, blob);
                        } catch (IOException e) {
                            throw new UserException(
                                    "--out: cannot write " + out + ": " + e.getMessage(), 1);
                        }
                        parent.dkm
                                .out()
                                .println(
                                        name
                                                + " v"
                                                + version
                                                + " exported, sealed to "
                                                + to
                                                + ": "
                                                + out);
                    });
        }
    }
}
