package dev.mailsec.cli.dkm;

import dev.mailsec.cli.UserException;
import dev.mailsec.dkm.SecretHandle;
import dev.mailsec.dkm.SecretInfo;
import dev.mailsec.dkm.SecretVersion;
import dev.mailsec.dkm.VersionState;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code dkm secret get|list|export}: a value, the list of secrets (no values), an export. */
final class SecretReadCommands {
    private SecretReadCommands() {}

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
                        PrintWriter out = parent.dkm.out();
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
                            for (Map.Entry<Integer, VersionState> e : i.versions().entrySet()) {
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
