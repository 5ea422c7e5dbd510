package dev.mailsec.spf;

import java.util.List;
import java.util.Objects;

/**
 * The DNS queries SPF needs (RFC 7208 section 5): TXT, A, AAAA, MX and PTR. Implementations: {@link
 * DnsjavaSpfDns} (real servers, cached) and {@link ZoneFileSpfDns} (a zone file, for tests and
 * offline checks). An implementation never throws for a DNS fault: it answers {@link
 * Status#TEMPORARY_FAILURE}.
 */
public interface SpfDns {

    /** The record types asked. */
    enum Type {
        TXT,
        A,
        AAAA,
        MX,
        PTR
    }

    /** How a query ended. */
    enum Status {
        /** NOERROR with at least one record of the type asked. */
        FOUND,
        /** NOERROR without a record of the type asked ("no data"): a void lookup. */
        NO_DATA,
        /** NXDOMAIN: a void lookup. */
        NXDOMAIN,
        /** A timeout, SERVFAIL or any other RCODE: temperror where the RFC says so. */
        TEMPORARY_FAILURE
    }

    /**
     * Asks one question. {@code name} has no final dot. Data: TXT strings concatenated per record,
     * A/AAAA addresses in text form, MX exchange names (no preference, no final dot) in preference
     * order, PTR names without the final dot.
     */
    Answer query(String name, Type type);

    /** One answer. */
    final class Answer {
        private final Status status;
        private final List<String> data;
        private final String detail;

        private Answer(Status status, List<String> data, String detail) {
            this.status = status;
            this.data = List.copyOf(data);
            this.detail = Objects.requireNonNull(detail, "detail");
        }

        /** Records found; an empty list is {@link Status#NO_DATA}. */
        public static Answer of(List<String> data) {
            return data.isEmpty()
                    ? new Answer(Status.NO_DATA, data, "no data")
                    : new Answer(Status.FOUND, data, "");
        }

        public static Answer nxdomain() {
            return new Answer(Status.NXDOMAIN, List.of(), "NXDOMAIN");
        }

        public static Answer temporaryFailure(String detail) {
            return new Answer(Status.TEMPORARY_FAILURE, List.of(), detail);
        }

        public Status status() {
            return status;
        }

        public List<String> data() {
            return data;
        }

        /** What went wrong ("timeout", "SERVFAIL", "NXDOMAIN"), empty when found. */
        public String detail() {
            return detail;
        }

        /** NXDOMAIN or no data: counts toward the void lookup limit (RFC 7208 section 4.6.4). */
        public boolean isVoid() {
            return status == Status.NXDOMAIN || status == Status.NO_DATA;
        }

        @Override
        public String toString() {
            return status == Status.FOUND ? data.toString() : detail;
        }
    }
}
