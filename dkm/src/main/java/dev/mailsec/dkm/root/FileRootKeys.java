package dev.mailsec.dkm.root;

import dev.mailsec.dkm.DkmIntegrityException;
import dev.mailsec.dkm.DkmUnavailableException;
import dev.mailsec.dkm.internal.Aead;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The embedded default: root keys are AES-256 keys in files {@code root-N.key} of one directory,
 * created with owner-only permissions (0600) and refused when anyone else can read them.
 */
public final class FileRootKeys implements RootKeys {
    private static final Pattern NAME = Pattern.compile("root-(\\d+)\\.key");
    private static final Set<PosixFilePermission> OWNER_ONLY =
            PosixFilePermissions.fromString("rw-------");
    private final Path dir;

    public FileRootKeys(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path directory() {
        return dir;
    }

    public Path pathOf(String id) {
        return dir.resolve(local(id) + ".key");
    }

    @Override
    public RootKey get(String id) throws DkmUnavailableException, DkmIntegrityException {
        Path p = pathOf(id);
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            if (!OWNER_ONLY.containsAll(perms)) {
                throw new DkmUnavailableException(
                        "root key file "
                                + p
                                + " must be readable by its owner only"
                                + " (chmod 600), has "
                                + PosixFilePermissions.toString(perms));
            }
            String text = new String(Files.readAllBytes(p), StandardCharsets.US_ASCII).trim();
            byte[] raw = Base64.getDecoder().decode(text);
            if (raw.length != Aead.KEY_BYTES) {
                throw new DkmIntegrityException(
                        "root key file " + p + " does not hold a 256-bit key");
            }
            return new FileRootKey(id, new SecretKeySpec(raw, "AES"));
        } catch (NoSuchFileException e) {
            throw new DkmIntegrityException("root key " + id + " does not exist (" + p + ")");
        } catch (IllegalArgumentException e) {
            throw new DkmIntegrityException("root key file " + p + " is not base64");
        } catch (IOException e) {
            throw new DkmUnavailableException(
                    "cannot read root key file " + p + ": " + e.getMessage(), e);
        }
    }

    @Override
    public RootKey create() throws DkmUnavailableException {
        try {
            Files.createDirectories(dir);
            int next = 1;
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Matcher m = NAME.matcher(f.getFileName().toString());
                    if (m.matches()) {
                        next = Math.max(next, Integer.parseInt(m.group(1)) + 1);
                    }
                }
            }
            String id = "file:root-" + next;
            Path p = pathOf(id);
            byte[] raw = Aead.newKey();
            Files.createFile(p, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.write(
                    p,
                    (Base64.getEncoder().encodeToString(raw) + "\n")
                            .getBytes(StandardCharsets.US_ASCII),
                    StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.SYNC);
            return new FileRootKey(id, new SecretKeySpec(raw, "AES"));
        } catch (FileAlreadyExistsException e) {
            throw new DkmUnavailableException("root key file exists already: " + e.getFile());
        } catch (IOException e) {
            throw new DkmUnavailableException(
                    "cannot create a root key in " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void destroy(String id) throws DkmUnavailableException {
        Path p = pathOf(id);
        try {
            if (Files.exists(p)) {
                Files.write(p, new byte[64], StandardOpenOption.SYNC);
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new DkmUnavailableException(
                    "cannot destroy root key file " + p + ": " + e.getMessage(), e);
        }
    }

    private static String local(String id) {
        if (!id.startsWith("file:") || !NAME.matcher(id.substring(5) + ".key").matches()) {
            throw new IllegalArgumentException("not a file root key id: " + id);
        }
        return id.substring(5);
    }

    private static final class FileRootKey implements RootKey {
        private final String id;
        private final SecretKey key;

        FileRootKey(String id, SecretKey key) {
            this.id = id;
            this.key = key;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public byte[] wrap(byte[] plaintext, byte[] aad) {
            return Aead.seal(key, plaintext, aad);
        }

        @Override
        public byte[] unwrap(byte[] wrapped, byte[] aad) throws DkmIntegrityException {
            try {
                return Aead.open(key, wrapped, aad);
            } catch (Aead.TamperedException e) {
                throw new DkmIntegrityException(
                        "value wrapped by root key " + id + " does not open: " + e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return "FileRootKey[" + id + "]";
        }
    }
}
