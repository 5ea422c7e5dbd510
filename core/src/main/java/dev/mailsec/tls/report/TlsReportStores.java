package dev.mailsec.tls.report;

import dev.mailsec.report.CounterStore;
import dev.mailsec.report.CounterStores;
import dev.mailsec.report.RowKind;
import java.io.IOException;

/**
 * The TLS report store an operator names: {@code file:DIR} or a PostgreSQL URL (tables {@code
 * tls_report_rows} and {@code tls_report_claims}); the same stores as DMARC reports.
 */
public final class TlsReportStores {

    /** Default schema of the PostgreSQL store. */
    public static final String DEFAULT_SCHEMA = "mailsec_tlsrpt";

    /** TLS session rows. */
    public static final RowKind<TlsSessionRow> ROWS =
            new RowKind<>("TLS report", "tls_report", TlsSessionRow::decode);

    private TlsReportStores() {}

    /** See {@link CounterStores#open}. */
    public static CounterStore<TlsSessionRow> open(String url, String schema, int maxRows)
            throws IOException {
        return CounterStores.open(url, schema, ROWS, maxRows);
    }
}
