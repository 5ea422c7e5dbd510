package dev.mailsec.report;

import dev.mailsec.config.PackPaths;
import java.io.IOException;

/**
 * Opens the store an operator names: {@code file:DIR} (a path by docs/paths.md) or a PostgreSQL
 * URL.
 */
public final class CounterStores {

    private CounterStores() {}

    /**
     * Opens {@code url}; {@code IllegalArgumentException} for a URL of neither kind, {@code
     * IOException} if the store cannot be opened now.
     */
    public static <R extends CountedRow> CounterStore<R> open(
            String url, String schema, RowKind<R> kind, int maxRows) throws IOException {
        if (url.startsWith("jdbc:postgresql:")) {
            return JdbcCounterStore.open(url, schema, kind, maxRows);
        }
        if (url.startsWith("file:")) {
            return FileCounterStore.open(PackPaths.resolve(url.substring(5)), kind, maxRows);
        }
        throw new IllegalArgumentException(
                "must be file:DIR or jdbc:postgresql://..., got '" + safe(url) + "'");
    }

    /**
     * As {@link #open}, for a server that must start while PostgreSQL is down: the URL is checked
     * now, the PostgreSQL store opened on first use (and retried every 30 s while it fails).
     */
    public static <R extends CountedRow> CounterStore<R> openWhenReachable(
            String url, String schema, RowKind<R> kind, int maxRows) throws IOException {
        if (url.startsWith("jdbc:postgresql:")) {
            JdbcCounterStore.checkSchema(schema);
            return new ReopeningCounterStore<>(
                    () -> JdbcCounterStore.open(url, schema, kind, maxRows), kind.label, 30_000);
        }
        return open(url, schema, kind, maxRows);
    }

    /** A URL as it may be shown: without its query (which can hold a password). */
    public static String safe(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?...";
    }
}
