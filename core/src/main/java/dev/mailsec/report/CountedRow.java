package dev.mailsec.report;

/**
 * What a {@link CounterStore} counts: a value of one report (a DMARC result tuple, a TLS session
 * result) under its policy domain, kept as its one-line encoding (bounded, no control characters).
 */
public interface CountedRow {

    /** The domain whose report counts this row. */
    String policyDomain();

    /** One line, no control characters; equal rows have equal encodings. */
    String encode();
}
