package dev.mailsec.dkm.spi;

import dev.mailsec.dkm.DkmUnavailableException;

/**
 * A backend refused to open a store whose format it cannot read: one written by a newer mailsec, or
 * one whose format record is unreadable. Nothing was written to the store. Not temporary: retrying
 * cannot help until mailsec is upgraded (or the store mended), so the key manager fails its start
 * with it. It extends {@link DkmUnavailableException} only so that {@link Storage}'s signatures
 * stay as they are (like {@link StoreCorruptException}).
 */
public class StoreFormatException extends DkmUnavailableException {
    private static final long serialVersionUID = 1L;

    public StoreFormatException(String message) {
        super(message);
    }
}
