package dev.mailsec.cli.dkm;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code dkm --store PATH init}: a new store, its first root key and a first admin identity. */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description =
                "Create the store, its root key and a first admin (prints the admin's credential path).")
final class InitCommand implements Runnable {
    @ParentCommand DkmCommand dkm;

    @Option(
            names = "--admin",
            defaultValue = "admin",
            description = "name of the first admin (a person)")
    String admin;

    @Option(
            names = "--backend",
            paramLabel = "URL",
            description =
                    "jdbc:postgresql://... to keep records in PostgreSQL (default: files under PATH/data)")
    String backend;

    @Option(names = "--schema", defaultValue = "mailsec_dkm", description = "PostgreSQL schema")
    String schema;

    @Option(
            names = "--pkcs11",
            paramLabel = "CFG",
            description = "SunPKCS11 config of the token holding the root key")
    Path pkcs11;

    @Option(
            names = "--pin-file",
            paramLabel = "FILE",
            description = "file with the token's user PIN")
    Path pinFile;

    @Option(
            names = "--root-keys",
            paramLabel = "DIR",
            description =
                    "directory of the file root keys (default: PATH-root-keys, next to the DKM directory,"
                            + " so that a copy of PATH does not carry its own root key)")
    Path rootKeys;

    @Override
    public void run() {
        Path dir = dkm.store.toAbsolutePath().normalize();
        Path cred =
                DkmDirectory.init(
                        dir, backend, schema, pkcs11, pinFile, rootKeys, admin, dkm.err());
        dkm.out().println("DKM initialised in " + dir);
        dkm.out().println("admin credential: " + cred);
        dkm.out().println("keep it safe; every command takes --identity " + cred);
    }
}
