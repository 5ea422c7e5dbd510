package dev.mailsec.dkm.store;

import dev.mailsec.dkm.spi.StoreFormatException;

/**
 * The format of the stores this mailsec writes and reads, one number for both backends: the file
 * store records it in its {@code dkm-store} marker, the PostgreSQL store in the one row of its
 * {@code dkm_meta} table. A mailsec refuses a store of a newer format before writing anything to
 * it, so installing an older version over a newer one stops with a message instead of damaging the
 * store. A version that changes how records, shards or tables are laid out raises {@link #CURRENT},
 * upgrades older stores when it opens them, and records the new number last. The marker file's name
 * and the {@code dkm_meta} table's shape ({@code id = 1}, {@code format}) never change, so every
 * version can read them.
 */
public final class StoreFormat {
    /** The format this mailsec writes, and the newest it reads. */
    public static final int CURRENT = 1;

    private StoreFormat() {}

    /**
     * Refuses {@code found} unless this mailsec reads it; {@code store} names the store in the
     * message.
     */
    static void check(String store, int found) throws StoreFormatException {
        if (found > CURRENT) {
            throw new StoreFormatException(
                    store
                            + " is format "
                            + found
                            + ", written by a newer mailsec; this mailsec"
                            + " reads format "
                            + CURRENT
                            + ": upgrade mailsec (the store is left untouched)");
        }
        if (found < 1) {
            throw unreadable(store, "format " + found + " does not exist");
        }
    }

    /** The store's format record cannot be read: refused, like a newer format. */
    static StoreFormatException unreadable(String store, String why) {
        return new StoreFormatException(
                store
                        + ": cannot tell its format ("
                        + why
                        + "); this mailsec reads format "
                        + CURRENT
                        + ": refusing it (the store is left untouched)");
    }
}
