package dev.mailsec.config;

import java.util.Locale;

/**
 * A bad configuration value: names the parameter and the value ({@code "dnsTimeout: must be a whole
 * number from 1 to 60000, got 'x'"}), so the operator sees what to fix. The value of a parameter
 * whose name contains {@code password} or {@code secret} is never shown, nor kept. Extends {@link
 * IllegalArgumentException} so the catches written before it keep working.
 */
public class ConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String parameter;
    private final String value;

    /**
     * @param parameter the parameter's name, which starts the message
     * @param value the value as configured (may be {@code null}); hidden when the name says it is a
     *     secret
     * @param problem what is wrong, e.g. {@code "must be true or false"}
     */
    public ConfigException(String parameter, String value, String problem) {
        this(parameter, value, problem, null);
    }

    public ConfigException(String parameter, String value, String problem, Throwable cause) {
        this(null, parameter, value, problem, cause);
    }

    /**
     * As {@link #ConfigException(String, String, String, Throwable)}, the message starting with
     * {@code owner: }.
     */
    public ConfigException(
            String owner, String parameter, String value, String problem, Throwable cause) {
        this(
                cause,
                prefix(owner) + parameter + ": " + problem + ", got " + shown(parameter, value),
                parameter,
                value);
    }

    private ConfigException(Throwable cause, String message, String parameter, String value) {
        super(message, cause);
        this.parameter = parameter;
        this.value = isSecret(parameter) ? null : value;
    }

    /** A required parameter that is absent or blank: {@code "owner: parameter is required"}. */
    public static ConfigException missing(String owner, String parameter) {
        return new ConfigException(
                (Throwable) null, prefix(owner) + parameter + " is required", parameter, null);
    }

    /**
     * A bad value whose {@code problem} already quotes it (an engine's own message): {@code "owner:
     * parameter: problem"}, without a second {@code ", got ..."}.
     */
    public static ConfigException stated(
            String owner, String parameter, String value, String problem, Throwable cause) {
        return new ConfigException(
                cause, prefix(owner) + parameter + ": " + problem, parameter, value);
    }

    /**
     * A bad matcher condition ({@link Condition}): {@code "owner: problem"}, the problem quoting
     * the bad value; {@link #parameter()} is {@code condition}, {@link #value()} the condition as
     * written.
     */
    static ConfigException condition(
            String owner, String condition, String problem, Throwable cause) {
        return new ConfigException(cause, prefix(owner) + problem, Condition.PARAMETER, condition);
    }

    private static String prefix(String owner) {
        return owner == null ? "" : owner + ": ";
    }

    /** The parameter's name. */
    public String parameter() {
        return parameter;
    }

    /** The bad value, or {@code null} when absent or when the parameter is a secret. */
    public String value() {
        return value;
    }

    /**
     * Whether a parameter's value must stay out of messages and logs: its name contains password or
     * secret.
     */
    public static boolean isSecret(String parameter) {
        String n = parameter == null ? "" : parameter.toLowerCase(Locale.ROOT);
        return n.contains("password") || n.contains("secret");
    }

    private static String shown(String parameter, String value) {
        if (value == null) {
            return "nothing";
        }
        return isSecret(parameter) ? "a value that is not shown" : "'" + value + "'";
    }
}
