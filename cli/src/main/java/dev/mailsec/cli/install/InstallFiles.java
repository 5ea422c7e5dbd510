package dev.mailsec.cli.install;

import dev.mailsec.cli.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;

/**
 * The installer's only way to write: a file is written when its bytes differ (so a second run
 * leaves every byte and mtime as it was), through a temporary file and a rename, with its mode set
 * before anything is in it. Each change is reported to the {@link Report}.
 */
final class InstallFiles {
    static final Set<PosixFilePermission> OWNER_ONLY_FILE =
            PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> OWNER_ONLY_DIR =
            PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> PUBLIC_FILE =
            PosixFilePermissions.fromString("rw-r--r--");

    private final Path home;
    private final Report report;

    InstallFiles(Path home, Report report) {
        this.home = home;
        this.report = report;
    }

    /**
     * {@code dir} and its missing parents; {@code privateDir} makes {@code dir} itself mode 700.
     */
    void directory(Path dir, boolean privateDir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                report.changed("created " + rel(dir) + "/");
            }
            if (privateDir && !Files.getPosixFilePermissions(dir).equals(OWNER_ONLY_DIR)) {
                Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
                report.changed("made " + rel(dir) + "/ readable by its owner only (700)");
            }
        } catch (IOException e) {
            throw new UserException("cannot create " + dir + ": " + e.getMessage(), 1);
        }
    }

    /**
     * Writes {@code bytes} to {@code file} unless it holds them already; returns true if it wrote.
     */
    boolean write(Path file, byte[] bytes, Set<PosixFilePermission> mode, String what) {
        try {
            boolean same =
                    Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), bytes);
            if (!same) {
                directory(file.getParent(), false);
                Path tmp = file.resolveSibling("." + file.getFileName() + ".mailsec-tmp");
                Files.deleteIfExists(tmp);
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(mode));
                Files.write(tmp, bytes);
                Files.move(
                        tmp,
                        file,
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
                report.changed("wrote " + rel(file) + (what.isEmpty() ? "" : " (" + what + ")"));
            }
            mode(file, mode);
            return !same;
        } catch (IOException e) {
            throw new UserException("cannot write " + file + ": " + e.getMessage(), 1);
        }
    }

    /**
     * Sets a file's mode if it differs (owner-only files stay owner-only after an operator's
     * chmod).
     */
    void mode(Path file, Set<PosixFilePermission> mode) {
        try {
            if (!Files.getPosixFilePermissions(file).equals(mode)) {
                Files.setPosixFilePermissions(file, mode);
                report.changed("set " + rel(file) + " to " + PosixFilePermissions.toString(mode));
            }
        } catch (IOException e) {
            throw new UserException("cannot set the mode of " + file + ": " + e.getMessage(), 1);
        }
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserException("cannot read " + file + ": " + e.getMessage(), 1);
        }
    }

    /** The path as shown to the operator: relative to the James home when inside it. */
    String rel(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(home) ? home.relativize(abs).toString() : abs.toString();
    }
}
