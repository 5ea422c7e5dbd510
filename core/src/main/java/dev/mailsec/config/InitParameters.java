package dev.mailsec.config;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.mail.MessagingException;

/**
 * Refuses init parameters a mailet does not read, so a misspelt one fails the start instead of
 * being ignored in silence. One message for every mailet of the pack: {@code SignDkim: unknown
 * parameter 'selecter'; known: algorithms, dkmConfig, ...}. James's {@code
 * GenericMailet.checkInitParameters} does the same check but its message names neither the mailet
 * nor what it knows. The unknown parameter's value is not shown: a misspelt {@code gatewayPassword}
 * must not reach the log. An owner that takes no parameter says so: {@code RefuseCutMessages:
 * unknown parameter 'x'; it takes none}.
 */
public final class InitParameters {

    /**
     * James's own parameters, which every mailet and matcher takes ({@code GenericMailet} accepts
     * them too).
     */
    public static final Set<String> JAMES = Set.of("onMailetException", "onMatchException");

    private InitParameters() {}

    /**
     * Throws unless every name in {@code given} is in {@code known} or {@link #JAMES}.
     *
     * @param owner the mailet's simple name, which starts the message
     */
    public static void checkKnown(String owner, Iterator<String> given, Set<String> known)
            throws MessagingException {
        checkKnown(owner, given, known, null);
    }

    /**
     * As {@link #checkKnown(String, Iterator, Set)}, also accepting every name that starts with
     * {@code knownPrefix}.
     */
    public static void checkKnown(
            String owner, Iterator<String> given, Set<String> known, String knownPrefix)
            throws MessagingException {
        while (given.hasNext()) {
            String name = given.next();
            if (!known.contains(name)
                    && !JAMES.contains(name)
                    && (knownPrefix == null || !name.startsWith(knownPrefix))) {
                List<String> names = new ArrayList<>(new TreeSet<>(known));
                if (knownPrefix != null) {
                    names.add(knownPrefix + "*");
                }
                throw new MessagingException(
                        owner
                                + ": unknown parameter '"
                                + name
                                + (names.isEmpty()
                                        ? "'; it takes none"
                                        : "'; known: " + String.join(", ", names)));
            }
        }
    }
}
