package dev.mailsec.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Typed reading of init parameters (a mailet's, a matcher's, a hook's), over a plain lookup so that
 * core knows no James class: a mailet passes {@code this::getInitParameter}. A value that is absent
 * or blank counts as not given. Every bad value throws a {@link ConfigException} naming the
 * parameter and the value.
 *
 * <ul>
 *   <li>Booleans: {@code true}, {@code yes}, {@code false}, {@code no}, trimmed, in any case;
 *       nothing else.
 *   <li>Processor names: letters, digits, {@code _ . -} ({@link #PROCESSOR_NAME}).
 *   <li>Durations: a whole number in the unit the caller names, or ISO-8601 ({@code PT1H}), within
 *       bounds.
 *   <li>Paths: through {@link PackPaths} (the one path rule).
 *   <li>Renamed parameters: {@link #renamed(String, String)} reads the old name too, with a logged
 *       warning.
 * </ul>
 */
public final class Parameters {

    /** What a processor name may contain. */
    public static final Pattern PROCESSOR_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    private static final Logger LOG = LoggerFactory.getLogger(Parameters.class);

    private final String owner;
    private final Function<String, String> source;
    private final List<String> warnings = new ArrayList<>();
    private final boolean engineMessages;

    private Parameters(String owner, Function<String, String> source, boolean engineMessages) {
        this.owner = owner;
        this.source = source;
        this.engineMessages = engineMessages;
    }

    /**
     * Reads parameters through {@code source} (e.g. {@code this::getInitParameter}), which returns
     * null for absent.
     */
    public static Parameters of(Function<String, String> source) {
        return new Parameters(null, source, false);
    }

    /**
     * As {@link #of(Function)}, every message starting with {@code owner: } (the mailet's simple
     * name).
     */
    public static Parameters of(String owner, Function<String, String> source) {
        return new Parameters(owner, source, false);
    }

    /**
     * These parameters, but a parser's message is taken as it stands, for parsers whose messages
     * already quote the value (the engines' builders: {@code "must be between 1 and 100, got 0"}):
     * a leading {@code "knob: "} (the engine's own name for it) is dropped and no {@code ", got
     * ..."} is added; a {@code NumberFormatException} reads {@code "not a number: 'x'"}. Secrets
     * are still never shown.
     */
    public Parameters engineMessages() {
        return new Parameters(owner, source, true);
    }

    /**
     * The name to read for a renamed parameter: {@code oldName} when only it is given (logging a
     * warning that names the new one), else {@code newName}. Both given throws.
     */
    public String renamed(String newName, String oldName) {
        if (source.apply(oldName) == null) {
            return newName;
        }
        if (source.apply(newName) != null) {
            throw new ConfigException(
                    owner,
                    oldName,
                    source.apply(oldName),
                    "is the old name of " + newName + "; give only " + newName,
                    null);
        }
        String warning =
                (owner == null ? "" : owner + ": ")
                        + oldName
                        + " is deprecated; name it "
                        + newName;
        LOG.warn(warning);
        warnings.add(warning);
        return oldName;
    }

    /** The warnings given so far (renamed parameters), as logged. */
    public List<String> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    /** The trimmed value, or empty when absent or blank. */
    public Optional<String> optional(String name) {
        String v = source.apply(name);
        return v == null || v.trim().isEmpty() ? Optional.empty() : Optional.of(v.trim());
    }

    /**
     * For a parameter where a blank value is a mistake rather than "not given": the value through
     * {@code parser} whenever the parameter is present, blank included (trimmed), or empty when
     * absent.
     */
    public <T> Optional<T> given(String name, Function<String, T> parser) {
        String v = source.apply(name);
        return v == null ? Optional.empty() : Optional.of(parse(name, v.trim(), parser));
    }

    /** The trimmed value, or {@code defaultValue}. */
    public String optional(String name, String defaultValue) {
        return optional(name).orElse(defaultValue);
    }

    /** The trimmed value; absent or blank throws. */
    public String required(String name) {
        return optional(name).orElseThrow(() -> ConfigException.missing(owner, name));
    }

    /**
     * The value through {@code parser}, or empty. An {@link IllegalArgumentException} from the
     * parser (a {@code NumberFormatException} too) becomes a {@link ConfigException} with the
     * parser's message as the problem.
     */
    public <T> Optional<T> optional(String name, Function<String, T> parser) {
        return optional(name).map(v -> parse(name, v, parser));
    }

    /** As {@link #optional(String, Function)}, but absent throws. */
    public <T> T required(String name, Function<String, T> parser) {
        return parse(name, required(name), parser);
    }

    /** A processor name; absent throws. */
    public String processor(String name) {
        return processorName(name, required(name));
    }

    /** A processor name, or {@code defaultValue} when absent. */
    public String processor(String name, String defaultValue) {
        return optional(name).map(v -> processorName(name, v)).orElse(defaultValue);
    }

    private String processorName(String name, String value) {
        if (!PROCESSOR_NAME.matcher(value.trim()).matches()) {
            throw fail(name, source.apply(name), "must name a processor");
        }
        return value.trim();
    }

    /**
     * {@code true}/{@code yes}/{@code false}/{@code no} in any case, or {@code defaultValue} when
     * absent.
     */
    public boolean bool(String name, boolean defaultValue) {
        return optional(name).map(v -> parse(name, v, Parameters::bool)).orElse(defaultValue);
    }

    /**
     * Parses one boolean as {@link #bool(String, boolean)} does; anything else throws "must be true
     * or false".
     */
    public static boolean bool(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("yes")) {
            return true;
        }
        if (v.equals("false") || v.equals("no")) {
            return false;
        }
        throw new IllegalArgumentException("must be true or false");
    }

    /** A whole number from {@code min} to {@code max}, or {@code defaultValue} when absent. */
    public long integer(String name, long defaultValue, long min, long max) {
        return optional(name).map(v -> integer(name, v, min, max)).orElse(defaultValue);
    }

    private long integer(String name, String value, long min, long max) {
        try {
            long n = Long.parseLong(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw fail(name, value, "must be a whole number from " + min + " to " + max);
    }

    /**
     * A duration from {@code min} to {@code max}, or {@code defaultValue} when absent: a whole
     * number counts in {@code unit} ({@code 30} with SECONDS is 30 s), anything else is read as
     * ISO-8601 ({@code PT1H}).
     */
    public Duration duration(
            String name, ChronoUnit unit, Duration defaultValue, Duration min, Duration max) {
        return optional(name).map(v -> duration(name, v, unit, min, max)).orElse(defaultValue);
    }

    private Duration duration(
            String name, String value, ChronoUnit unit, Duration min, Duration max) {
        Duration d = null;
        try {
            d =
                    value.matches("-?[0-9]+")
                            ? Duration.of(Long.parseLong(value), unit)
                            : Duration.parse(value);
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            // reported below
        }
        if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw fail(
                    name,
                    value,
                    "must be a duration (a number of "
                            + unit.toString().toLowerCase(Locale.ROOT)
                            + " or ISO-8601 such as PT1H) from "
                            + min
                            + " to "
                            + max);
        }
        return d;
    }

    /** A path under the one path rule ({@link PackPaths}), or empty when absent. */
    public Optional<Path> path(String name) {
        return optional(name, v -> PackPaths.resolve(v));
    }

    /** A path under the one path rule, {@code defaultValue} (also resolved) when absent. */
    public Path path(String name, String defaultValue) {
        return path(name).orElseGet(() -> PackPaths.resolve(defaultValue));
    }

    private <T> T parse(String name, String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            if (engineMessages && !ConfigException.isSecret(name)) {
                String problem =
                        e instanceof NumberFormatException
                                ? "not a number: '" + value + "'"
                                : String.valueOf(e.getMessage()).replaceFirst("^[A-Za-z]+: ", "");
                throw ConfigException.stated(owner, name, value, problem, e);
            }
            if (ConfigException.isSecret(name) || e.getMessage() == null) {
                // the parser's message (and so its cause) may quote the value
                throw fail(name, source.apply(name), "is not valid");
            }
            throw new ConfigException(owner, name, source.apply(name), e.getMessage(), e);
        }
    }

    private ConfigException fail(String name, String value, String problem) {
        return new ConfigException(owner, name, value, problem, null);
    }
}
