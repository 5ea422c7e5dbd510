package dev.mailsec.dmarc.report;

/**
 * How long a policy domain's aggregate reporting period is (RFC 7489 section 7.2): the record's
 * {@code ri} (default one day), at least one hour and at most one day, rounded down to a whole
 * number of hours that divides a day (1, 2, 3, 4, 6, 8, 12 or 24), so that periods start on hour
 * boundaries and daily ones at 00:00 UTC, as 7.2 asks; never longer than the receiver's own
 * interval. A receiver interval under an hour (tests) is used for every domain.
 */
public final class ReportingInterval {

    static final long HOUR = 3600;
    static final long DAY = 86_400;
    private static final long[] HOURS_DIVIDING_A_DAY = {24, 12, 8, 6, 4, 3, 2, 1};

    private ReportingInterval() {}

    /**
     * @param ri the record's {@code ri} in seconds
     * @param receiverSeconds the receiver's interval ({@code RecordDmarcResult}'s {@code interval})
     * @return the period length in seconds
     */
    public static long seconds(long ri, long receiverSeconds) {
        if (receiverSeconds < HOUR) {
            return receiverSeconds;
        }
        long hours = Math.max(1, Math.min(24, ri / HOUR));
        long length = HOUR;
        for (long h : HOURS_DIVIDING_A_DAY) {
            if (h <= hours) {
                length = h * HOUR;
                break;
            }
        }
        return Math.min(length, receiverSeconds);
    }
}
