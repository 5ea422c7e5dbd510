package dev.mailsec.rights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Where the rights store keeps packages (the encrypted message, up to its original size,
 * immutable): in the records ({@code p/<jti>}, written in the same compare-and-set as the message's
 * record) or, beside a file store, as write-once files {@code packages/<2 chars>/<jti>.mailsec},
 * since the file store rewrites a whole shard on every write. A package is read only once its
 * message's record {@code m/<jti>} exists.
 */
abstract class PackageShelf {

    /**
     * Stores the package of a message about to be recorded: staged in {@code tx}, or written ahead.
     */
    abstract void put(RightsRecords.Tx tx, int attempt, String jti, ProtectedPackage pkg)
            throws RightsStoreUnavailableException;

    /** The encoded package of a recorded message. */
    abstract Optional<byte[]> get(RightsRecords records, String jti)
            throws RightsStoreUnavailableException;

    /** In the records, key {@code p/<jti>}. */
    static PackageShelf inRecords() {
        return new PackageShelf() {
            @Override
            void put(RightsRecords.Tx tx, int attempt, String jti, ProtectedPackage pkg) {
                tx.putBytes("p/" + jti, pkg.encode());
            }

            @Override
            Optional<byte[]> get(RightsRecords records, String jti)
                    throws RightsStoreUnavailableException {
                return records.raw("p/" + jti).map(r -> r.value());
            }
        };
    }

    /** As files under {@code dir}. */
    static PackageShelf inFiles(Path dir) {
        return new PackageShelf() {
            @Override
            void put(RightsRecords.Tx tx, int attempt, String jti, ProtectedPackage pkg)
                    throws RightsStoreUnavailableException {
                if (attempt == 0) {
                    write(file(dir, jti), jti, pkg.encode());
                }
            }

            @Override
            Optional<byte[]> get(RightsRecords records, String jti)
                    throws RightsStoreUnavailableException {
                if (!records.exists("m/" + jti)) {
                    return Optional.empty();
                }
                try {
                    return Optional.of(Files.readAllBytes(file(dir, jti)));
                } catch (IOException e) {
                    throw new RightsStoreUnavailableException(
                            "rights store unavailable (read package "
                                    + jti
                                    + "): "
                                    + e.getMessage(),
                            e);
                }
            }
        };
    }

    private static Path file(Path dir, String jti) {
        return dir.resolve(jti.substring(0, 2)).resolve(jti + ".mailsec");
    }

    private static void write(Path f, String jti, byte[] bytes)
            throws RightsStoreUnavailableException {
        try {
            Files.createDirectories(f.getParent());
            Path tmp = Files.createTempFile(f.getParent(), ".pkg", ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new RightsStoreUnavailableException(
                    "rights store unavailable (write package " + jti + "): " + e.getMessage(), e);
        }
    }
}
