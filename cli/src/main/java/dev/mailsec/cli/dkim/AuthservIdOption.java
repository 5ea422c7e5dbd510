package dev.mailsec.cli.dkim;

import picocli.CommandLine.Option;

/**
 * The {@code --authserv-id ID} option of the commands that print an Authentication-Results field
 * ({@code dkim verify}, {@code arc verify}, {@code dmarc check}). A picocli mixin; each command
 * checks the value.
 */
public final class AuthservIdOption {

    @Option(
            names = "--authserv-id",
            paramLabel = "ID",
            defaultValue = "localhost",
            description = "The authserv-id to write (default: ${DEFAULT-VALUE}).")
    String authservId;

    /** The value given, unchecked. */
    public String value() {
        return authservId;
    }
}
