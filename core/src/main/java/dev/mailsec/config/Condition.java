package dev.mailsec.config;

import dev.mailsec.mail.DomainName;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Typed reading of a matcher's condition (the text after {@code =} in {@code
 * match="Matcher=CONDITION"}), the counterpart of {@link Parameters} for matchers, so that core
 * knows no James class: a matcher passes its simple name and {@code getCondition()}. Every bad
 * condition throws a {@link ConfigException} ({@link ConfigException#parameter()} is {@code
 * condition}) whose message has one form, {@code "Matcher: problem"}, the problem quoting the bad
 * value:
 *
 * <ul>
 *   <li>a required condition that is absent or blank ({@link #required(String, String)}): {@code
 *       FromDomainIs: the condition must list domains, e.g. FromDomainIs=bank.test; got ''};
 *   <li>lists ({@link #items()}, {@link #values(String)}) are split on commas, each item trimmed:
 *       {@code SubjectHasTag: empty tag in '[a],,[b]'}, {@code HasSensitivityLabel: not a label:
 *       'a=b' in 'a=b'};
 *   <li>domains go through the one domain rule, {@link DomainName} ({@link #domains}): {@code
 *       IsRecipientOutsideOrganisation: not a domain name: 'bad domain' in 'bad domain'};
 *   <li>one word out of a few ({@link #oneOf}) and any single value ({@link #parse}): {@code
 *       HasAlignedDkimPass: the condition must be 'relaxed' or 'strict', got 'loose'};
 *   <li>result words ({@link #enumSet}) and engine parsers ({@link #engine}) keep the engine's own
 *       message, which already quotes the value: {@code SmimeResultIs: unknown S/MIME result
 *       'broken', expected none, pass, ...}.
 * </ul>
 */
public final class Condition {

    /** The name {@link ConfigException#parameter()} gives a condition. */
    public static final String PARAMETER = "condition";

    private final String owner;
    private final String raw;

    private Condition(String owner, String raw) {
        this.owner = owner;
        this.raw = raw;
    }

    /**
     * The condition {@code condition} (may be {@code null}: none given) of the matcher {@code
     * owner} (its simple name, which starts every message).
     */
    public static Condition of(String owner, String condition) {
        return new Condition(owner, condition);
    }

    /**
     * A part of this condition (e.g. what comes before an {@code @}), read with the same owner; its
     * messages quote the part.
     */
    public Condition part(String text) {
        return new Condition(owner, text);
    }

    /** The matcher's name. */
    public String owner() {
        return owner;
    }

    /** The condition trimmed, {@code ""} when none is given. */
    public String text() {
        return raw == null ? "" : raw.trim();
    }

    /** Whether the condition is absent or blank. */
    public boolean isEmpty() {
        return text().isEmpty();
    }

    /** The trimmed condition, or empty when absent or blank. */
    public Optional<String> optional() {
        return isEmpty() ? Optional.empty() : Optional.of(text());
    }

    /**
     * This condition; absent or blank throws {@code "Owner: the condition must EXPECTED, e.g.
     * Owner=EXAMPLE; got ''"}.
     *
     * @param expected what the condition holds, e.g. {@code list domains}
     * @param example a condition that would do, e.g. {@code bank.test,*.bank.test}
     */
    public Condition required(String expected, String example) {
        if (isEmpty()) {
            throw fail(
                    "the condition must "
                            + expected
                            + ", e.g. "
                            + owner
                            + "="
                            + example
                            + "; got '"
                            + (raw == null ? "" : raw)
                            + "'");
        }
        return this;
    }

    /**
     * This condition; absent or blank throws {@code "Owner: PROBLEM"}, for a matcher whose message
     * for a missing condition is worded otherwise.
     */
    public Condition requiredOr(String problem) {
        if (isEmpty()) {
            throw fail(problem);
        }
        return this;
    }

    /**
     * The comma-separated items of the condition, each trimmed, empty ones kept (for a parser that
     * refuses them in its own words); an absent condition has none.
     */
    public List<String> items() {
        return items(text());
    }

    private static List<String> items(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            out.add(part.trim());
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * The comma-separated values, each trimmed; an empty one throws {@code "Owner: empty WHAT in
     * 'CONDITION'"}.
     */
    public List<String> values(String what) {
        return values(what, v -> true);
    }

    /**
     * As {@link #values(String)}; a value {@code valid} refuses throws {@code "Owner: not a WHAT:
     * 'VALUE' in 'CONDITION'"}.
     */
    public List<String> values(String what, Predicate<String> valid) {
        List<String> out = new ArrayList<>();
        for (String v : items()) {
            if (v.isEmpty()) {
                throw fail("empty " + what + " in '" + text() + "'");
            }
            if (!valid.test(v)) {
                throw bad(what, v);
            }
            out.add(v);
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * One item checked by the one domain rule: its normalised form, or {@code "Owner: not a domain
     * name: 'ITEM' in 'CONDITION'"}.
     */
    public String domain(String item, DomainName.Option... options) {
        return DomainName.normalize(item, options).orElseThrow(() -> bad("domain name", item));
    }

    /**
     * The comma-separated domains, normalised by the one domain rule with {@code options} (lower
     * case, ASCII), in order, without repeats; an empty or bad one throws as {@link #domain(String,
     * DomainName.Option...)}.
     */
    public Set<String> domains(DomainName.Option... options) {
        Set<String> out = new LinkedHashSet<>();
        for (String item : items()) {
            out.add(domain(item, options));
        }
        return Collections.unmodifiableSet(out);
    }

    /**
     * The comma-separated result words, each through {@code parser} (an engine's own keyword
     * parser, e.g. {@code DkimResult::fromKeyword}); a word it refuses throws {@code "Owner:
     * PARSER'S MESSAGE"} followed by {@code hint} (may be empty), e.g. {@code "; use pass, fail or
     * none"}.
     */
    public <E extends Enum<E>> Set<E> enumSet(
            Class<E> type, Function<String, E> parser, String hint) {
        Set<E> out = EnumSet.noneOf(type);
        for (String item : items()) {
            try {
                out.add(parser.apply(item));
            } catch (IllegalArgumentException e) {
                throw fail(e.getMessage() + (hint == null ? "" : hint), e);
            }
        }
        return out;
    }

    /**
     * One word out of {@code words} (keys compared without regard to case), or {@code defaultValue}
     * when the condition is absent or blank; another word throws {@code "Owner: the condition must
     * be 'a' or 'b', got 'x'"}.
     */
    public <T> T oneOf(Map<String, T> words, T defaultValue) {
        if (isEmpty()) {
            return defaultValue;
        }
        Map<String, T> lower = new LinkedHashMap<>();
        words.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        T found = lower.get(text().toLowerCase(Locale.ROOT));
        if (found == null) {
            throw fail(
                    "the condition must be "
                            + quotedChoice(words.keySet())
                            + ", got '"
                            + text()
                            + "'");
        }
        return found;
    }

    private static String quotedChoice(Set<String> words) {
        List<String> quoted = new ArrayList<>();
        for (String w : words) {
            quoted.add("'" + w + "'");
        }
        if (quoted.size() == 1) {
            return quoted.get(0);
        }
        return String.join(", ", quoted.subList(0, quoted.size() - 1))
                + " or "
                + quoted.get(quoted.size() - 1);
    }

    /**
     * The trimmed condition through {@code parser}, or empty when absent or blank; a value it
     * refuses throws {@code "Owner: the condition must be EXPECTED, PARSER'S MESSAGE"}, or {@code
     * "..., got 'VALUE'"} when the parser gives no message.
     */
    public <T> Optional<T> parse(String expected, Function<String, T> parser) {
        if (isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.apply(text()));
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            String detail = e.getMessage() == null ? "got '" + text() + "'" : e.getMessage();
            throw fail("the condition must be " + expected + ", " + detail, e);
        }
    }

    /**
     * The condition as written through an engine's parser whose messages already name the matcher
     * and quote the value (e.g. {@code SmimeSettings.recipientCertificatesFromCondition}): its
     * {@link IllegalArgumentException} becomes a {@link ConfigException} with the same message.
     */
    public <T> T engine(Function<String, T> parser) {
        try {
            return parser.apply(raw);
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw ConfigException.condition(null, raw, String.valueOf(e.getMessage()), e);
        }
    }

    /**
     * A path inside the condition (e.g. the {@code FILE} of {@code config=FILE}) under the one path
     * rule, {@link PackPaths}; one it refuses throws {@code "Owner: NAME: PACKPATHS'S MESSAGE"}.
     */
    public Path path(String name, String configured) {
        try {
            return PackPaths.resolve(configured);
        } catch (IllegalArgumentException e) {
            throw fail(name + ": " + e.getMessage(), e);
        }
    }

    /** {@code "Owner: not a WHAT: 'ITEM' in 'CONDITION'"}. */
    public ConfigException bad(String what, String item) {
        return fail("not a " + what + ": '" + item + "' in '" + text() + "'");
    }

    /** {@code "Owner: PROBLEM"}, for what only the matcher knows (the problem quotes the value). */
    public ConfigException fail(String problem) {
        return fail(problem, null);
    }

    /** As {@link #fail(String)}, with the cause. */
    public ConfigException fail(String problem, Throwable cause) {
        return ConfigException.condition(owner, raw, problem, cause);
    }
}
