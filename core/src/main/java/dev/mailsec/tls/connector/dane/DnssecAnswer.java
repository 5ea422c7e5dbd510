package dev.mailsec.tls.connector.dane;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A DNS answer with its DNSSEC status: the records (none for NXDOMAIN or NODATA) and, when the
 * answer is bogus or failed, a short reason for the log and the DSN. Immutable.
 *
 * @param <T> the record type ({@code String} MX host names, {@link TlsaRecord})
 */
public final class DnssecAnswer<T> {
    private final DnssecStatus status;
    private final List<T> records;
    private final String reason;

    private DnssecAnswer(DnssecStatus status, List<T> records, String reason) {
        this.status = status;
        this.records = Collections.unmodifiableList(new ArrayList<>(records));
        this.reason = reason;
    }

    /** A secure or insecure answer (possibly empty: NXDOMAIN or NODATA). */
    public static <T> DnssecAnswer<T> of(DnssecStatus status, List<T> records) {
        return new DnssecAnswer<>(status, records, "");
    }

    /** A bogus or failed lookup. */
    public static <T> DnssecAnswer<T> failed(DnssecStatus status, String reason) {
        return new DnssecAnswer<>(status, Collections.emptyList(), reason);
    }

    public DnssecStatus status() {
        return status;
    }

    public List<T> records() {
        return records;
    }

    /** Why a bogus or failed answer could not be used; empty otherwise. */
    public String reason() {
        return reason;
    }

    /** True when the status is secure or insecure (the answer may be used). */
    public boolean usable() {
        return status == DnssecStatus.SECURE || status == DnssecStatus.INSECURE;
    }

    @Override
    public String toString() {
        return status + (reason.isEmpty() ? "" : " (" + reason + ")") + " " + records;
    }
}
