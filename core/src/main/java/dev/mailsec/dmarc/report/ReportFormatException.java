package dev.mailsec.dmarc.report;

/** An incoming aggregate report that cannot be read: broken, too big, or not a report. */
public final class ReportFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public ReportFormatException(String message) {
        super(message);
    }

    public ReportFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
