package dev.mailsec.rights;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A named set of rights with an optional expiry, applied to a message when it is protected. The
 * built-ins {@link #ENCRYPT_ONLY} (all six rights) and {@link #DO_NOT_FORWARD} (view, reply,
 * reply-all) exist unless {@code conf/rights.xml} redefines them. {@link Right#VIEW} is always
 * granted. Immutable.
 */
public final class RightsTemplate {
    /** Template names: lower-case letters, digits and dashes. */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    public static final RightsTemplate ENCRYPT_ONLY =
            new RightsTemplate("encrypt-only", EnumSet.allOf(Right.class), null);
    public static final RightsTemplate DO_NOT_FORWARD =
            new RightsTemplate(
                    "do-not-forward", EnumSet.of(Right.VIEW, Right.REPLY, Right.REPLY_ALL), null);

    private final String name;
    private final Set<Right> rights;
    private final Duration expiry;

    private RightsTemplate(String name, EnumSet<Right> rights, Duration expiry) {
        this.name = name;
        EnumSet<Right> r = EnumSet.copyOf(rights);
        r.add(Right.VIEW);
        this.rights = Collections.unmodifiableSet(r);
        this.expiry = expiry;
    }

    /**
     * A template; VIEW is added when missing.
     *
     * @param expiry how long after protection the message can be opened; null for no expiry
     * @throws IllegalArgumentException naming the bad name or expiry
     */
    public static RightsTemplate of(String name, Set<Right> rights, Duration expiry) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "template name: lower-case letters, digits and '-', got '" + name + "'");
        }
        if (expiry != null && (expiry.isNegative() || expiry.isZero())) {
            throw new IllegalArgumentException(
                    "template " + name + " expiry: must be positive, got '" + expiry + "'");
        }
        EnumSet<Right> r = rights.isEmpty() ? EnumSet.noneOf(Right.class) : EnumSet.copyOf(rights);
        return new RightsTemplate(name, r, expiry);
    }

    public String name() {
        return name;
    }

    /** The granted rights; always contains {@link Right#VIEW}. Unmodifiable. */
    public Set<Right> rights() {
        return rights;
    }

    public Optional<Duration> expiry() {
        return Optional.ofNullable(expiry);
    }

    public boolean allows(Right right) {
        return rights.contains(right);
    }

    /** The rights as a comma-separated token list, e.g. {@code view,reply,reply-all}. */
    public String tokens() {
        return Rights.tokens(rights);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RightsTemplate)) {
            return false;
        }
        RightsTemplate t = (RightsTemplate) o;
        return name.equals(t.name) && rights.equals(t.rights) && Objects.equals(expiry, t.expiry);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return "RightsTemplate["
                + name
                + " "
                + tokens()
                + (expiry == null ? "" : " expiry " + expiry)
                + "]";
    }
}
