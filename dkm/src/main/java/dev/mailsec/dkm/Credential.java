package dev.mailsec.dkm;

import dev.mailsec.dkm.internal.Sealing;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Properties;
import java.util.Set;

/**
 * An identity's credential: its name and X25519 private key, kept in a file readable by its owner
 * only. Holding the file is what makes a process that identity; group keysets are sealed to the
 * public half.
 */
public final class Credential {
    private static final Set<PosixFilePermission> OWNER_ONLY =
            PosixFilePermissions.fromString("rw-------");
    private final String identity;
    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private Credential(String identity, PrivateKey privateKey, PublicKey publicKey) {
        this.identity = identity;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    static Credential generate(String identity) {
        KeyPair kp = Sealing.newKeyPair();
        return new Credential(identity, kp.getPrivate(), kp.getPublic());
    }

    public String identity() {
        return identity;
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    PublicKey publicKey() {
        return publicKey;
    }

    /** Reads a credential file, refusing one that others can read. */
    public static Credential load(Path file) throws DkmInvalidRequestException {
        try {
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
                if (!OWNER_ONLY.containsAll(perms)) {
                    throw new DkmInvalidRequestException(
                            "identity: credential file "
                                    + file
                                    + " must be readable by its owner only (chmod 600), has "
                                    + PosixFilePermissions.toString(perms));
                }
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            String name = p.getProperty("identity");
            String priv = p.getProperty("privateKey");
            String pub = p.getProperty("publicKey");
            if (name == null || priv == null || pub == null) {
                throw new DkmInvalidRequestException(
                        "identity: " + file + " is not a DKM credential file");
            }
            Base64.Decoder b64 = Base64.getDecoder();
            return new Credential(
                    name, Sealing.privateKey(b64.decode(priv)), Sealing.publicKey(b64.decode(pub)));
        } catch (NoSuchFileException e) {
            throw new DkmInvalidRequestException(
                    "identity: credential file " + file + " does not exist");
        } catch (IOException e) {
            throw new DkmInvalidRequestException(
                    "identity: cannot read credential file " + file + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new DkmInvalidRequestException(
                    "identity: credential file " + file + " holds no valid X25519 key");
        }
    }

    /** Writes the credential to a new file with owner-only permissions; never overwrites. */
    void save(Path file) throws DkmInvalidRequestException {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Base64.Encoder b64 = Base64.getEncoder();
            try (Writer w =
                    Files.newBufferedWriter(
                            file, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING)) {
                w.write(
                        "# mailsec DKM credential. Whoever holds this file acts as '"
                                + identity
                                + "'. Keep it 0600.\n");
                w.write("identity=" + identity + "\n");
                w.write("publicKey=" + b64.encodeToString(publicKey.getEncoded()) + "\n");
                w.write("privateKey=" + b64.encodeToString(privateKey.getEncoded()) + "\n");
            }
        } catch (FileAlreadyExistsException e) {
            throw new DkmInvalidRequestException(
                    "credential file " + file + " exists already; not overwriting it");
        } catch (IOException e) {
            throw new DkmInvalidRequestException(
                    "cannot write credential file " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "Credential[" + identity + ", key redacted]";
    }
}
