package dev.mailsec.report;

import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Which reports a store holds: the name its messages use ({@code "DMARC report"}), the prefix of
 * its PostgreSQL tables ({@code dmarc_report} gives {@code dmarc_report_rows} and {@code
 * dmarc_report_claims}) and how a row is read back from its encoding ({@code
 * IllegalArgumentException} for a line that is not one).
 */
public final class RowKind<R extends CountedRow> {

    private static final Pattern PREFIX = Pattern.compile("[a-z_][a-z0-9_]{0,40}");

    final String label;
    final String tablePrefix;
    final Function<String, R> decoder;

    public RowKind(String label, String tablePrefix, Function<String, R> decoder) {
        if (!PREFIX.matcher(tablePrefix).matches()) {
            throw new IllegalArgumentException("tablePrefix: got '" + tablePrefix + "'");
        }
        this.label = label;
        this.tablePrefix = tablePrefix;
        this.decoder = decoder;
    }

    /** The name messages use, e.g. {@code DMARC report}. */
    public String label() {
        return label;
    }

    R decode(String line) {
        return decoder.apply(line);
    }
}
