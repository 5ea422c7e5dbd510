package dev.mailsec.dmarc.report;

import dev.mailsec.config.PackPaths;
import java.io.IOException;

/**
 * Opens the store an operator names: {@code file:DIR} (a path by docs/paths.md) or a PostgreSQL
 * URL.
 */
public final class ReportStores {

    /** Default schema of the PostgreSQL store. */
    public static final String DEFAULT_SCHEMA = "mailsec_dmarc";

    private ReportStores() {}

    /**
     * Opens {@code url}; {@code IllegalArgumentException} for a URL of neither kind, {@code
     * IOException} if the store cannot be opened now.
     */
    public static ReportStore open(String url, String schema, int maxRows) throws IOException {
        if (url.startsWith("jdbc:postgresql:")) {
            return JdbcReportStore.open(url, schema, maxRows);
        }
        if (url.startsWith("file:")) {
            return FileReportStore.open(PackPaths.resolve(url.substring(5)), maxRows);
        }
        throw new IllegalArgumentException(
                "must be file:DIR or jdbc:postgresql://..., got '" + safe(url) + "'");
    }

    /**
     * As {@link #open}, for a server that must start while PostgreSQL is down: the URL is checked
     * now, the PostgreSQL store opened on first use (and retried every 30 s while it fails).
     */
    public static ReportStore openWhenReachable(String url, String schema, int maxRows)
            throws IOException {
        if (url.startsWith("jdbc:postgresql:")) {
            JdbcReportStore.checkSchema(schema);
            return new ReopeningReportStore(
                    () -> JdbcReportStore.open(url, schema, maxRows), 30_000);
        }
        return open(url, schema, maxRows);
    }

    /** A URL as it may be shown: without its query (which can hold a password). */
    static String safe(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?...";
    }
}
