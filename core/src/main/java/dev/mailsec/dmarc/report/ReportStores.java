package dev.mailsec.dmarc.report;

import dev.mailsec.report.CounterStore;
import dev.mailsec.report.CounterStores;
import dev.mailsec.report.RowKind;
import java.io.IOException;

/**
 * Opens the DMARC report store an operator names: {@code file:DIR} (a path by docs/paths.md) or a
 * PostgreSQL URL (tables {@code dmarc_report_rows} and {@code dmarc_report_claims}).
 */
public final class ReportStores {

    /** Default schema of the PostgreSQL store. */
    public static final String DEFAULT_SCHEMA = "mailsec_dmarc";

    /** DMARC aggregate report rows. */
    public static final RowKind<ReportRow> ROWS =
            new RowKind<>("DMARC report", "dmarc_report", ReportRow::decode);

    private ReportStores() {}

    /** See {@link CounterStores#open}. */
    public static CounterStore<ReportRow> open(String url, String schema, int maxRows)
            throws IOException {
        return CounterStores.open(url, schema, ROWS, maxRows);
    }

    /** See {@link CounterStores#openWhenReachable}. */
    public static CounterStore<ReportRow> openWhenReachable(String url, String schema, int maxRows)
            throws IOException {
        return CounterStores.openWhenReachable(url, schema, ROWS, maxRows);
    }
}
