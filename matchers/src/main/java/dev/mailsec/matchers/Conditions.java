package dev.mailsec.matchers;

import dev.mailsec.config.Condition;
import dev.mailsec.config.ConfigException;
import javax.mail.MessagingException;

/**
 * The matchers' one entry to {@link Condition} (core's condition reader): reads a matcher's
 * condition and turns the reader's {@link ConfigException} into the {@link MessagingException}
 * James's {@code init} declares, with the same message ({@code "Matcher: problem"}).
 */
public final class Conditions {

    /** What a matcher reads from its condition. */
    @FunctionalInterface
    public interface Reader<T> {
        /** Reads {@code condition}; a bad one throws {@link ConfigException}. */
        T read(Condition condition) throws MessagingException;
    }

    private Conditions() {}

    /**
     * Reads {@code condition} (James's {@code getCondition()}, may be null) of the matcher {@code
     * owner} (its simple name) with {@code reader}.
     */
    public static <T> T read(String owner, String condition, Reader<T> reader)
            throws MessagingException {
        try {
            return reader.read(Condition.of(owner, condition));
        } catch (ConfigException e) {
            throw new MessagingException(e.getMessage(), e);
        }
    }
}
