package dev.mailsec.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.Option;

/** Option {@code --interval} of the report commands: the mailet's reporting period. */
public final class ReportInterval {

    @Option(
            names = "--interval",
            defaultValue = "P1D",
            description = "The mailet's reporting period, ISO-8601 (default: ${DEFAULT-VALUE}).")
    String interval;

    /** The period, or the user's error naming {@code --interval}. */
    public Duration period() {
        try {
            return Duration.parse(interval);
        } catch (DateTimeParseException e) {
            throw new UserException(
                    "--interval: must be ISO-8601 such as P1D, got '" + interval + "'", 2);
        }
    }
}
