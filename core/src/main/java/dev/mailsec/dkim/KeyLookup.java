package dev.mailsec.dkim;

import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** The outcome of looking up the TXT records at {@code selector._domainkey.domain}. */
public final class KeyLookup {

    /** How the lookup ended. */
    public enum Status {
        /** The name has TXT records (each already joined from its character-strings). */
        FOUND,
        /** NXDOMAIN or no TXT record at the name: a permanent error for the signature. */
        NOT_FOUND,
        /** Timeout, SERVFAIL or another transient fault: a temporary error. */
        TEMPORARY_FAILURE
    }

    private final Status status;
    private final List<String> records;
    private final String detail;

    private KeyLookup(Status status, List<String> records, String detail) {
        this.status = status;
        this.records = Collections.unmodifiableList(records);
        this.detail = detail;
    }

    public static KeyLookup found(List<String> records) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("found() needs at least one record");
        }
        return new KeyLookup(Status.FOUND, List.copyOf(records), "");
    }

    public static KeyLookup notFound(String detail) {
        return new KeyLookup(Status.NOT_FOUND, List.of(), Objects.requireNonNull(detail));
    }

    public static KeyLookup temporaryFailure(String detail) {
        return new KeyLookup(Status.TEMPORARY_FAILURE, List.of(), Objects.requireNonNull(detail));
    }

    public Status status() {
        return status;
    }

    /** The TXT records, each one string (its character-strings concatenated). */
    public List<String> records() {
        return records;
    }

    /**
     * Why the lookup did not find a record, for the reason comment ("timeout", "SERVFAIL",
     * "NXDOMAIN").
     */
    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return "KeyLookup{"
                + status
                + (detail.isEmpty() ? "" : ", " + detail)
                + ", records="
                + records.size()
                + "}";
    }
}
