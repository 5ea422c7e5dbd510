package dev.mailsec.authres;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One {@code resinfo} of an Authentication-Results field (RFC 8601 section 2.2): a method, its
 * result keyword, an optional reason rendered as a comment, and {@code ptype.property=value} pairs.
 */
public final class MethodResult {

    private final String method;
    private final String result;
    private final String reason;
    private final List<Property> properties;

    private MethodResult(Builder b) {
        this.method = b.method;
        this.result = b.result;
        this.reason = b.reason;
        this.properties = Collections.unmodifiableList(new ArrayList<>(b.properties));
    }

    /** Starts a result, e.g. {@code builder("dkim", "pass")}. Both must be RFC 8601 keywords. */
    public static Builder builder(String method, String result) {
        return new Builder(method, result);
    }

    public String method() {
        return method;
    }

    public String result() {
        return result;
    }

    public String reason() {
        return reason;
    }

    public List<Property> properties() {
        return properties;
    }

    /** A {@code ptype.property=value} pair; the value is quoted on rendering when it has to be. */
    public static final class Property {
        private final String ptype;
        private final String name;
        private final String value;

        Property(String ptype, String name, String value) {
            this.ptype = ptype;
            this.name = name;
            this.value = value;
        }

        public String ptype() {
            return ptype;
        }

        public String name() {
            return name;
        }

        public String value() {
            return value;
        }
    }

    /** Builder; null or empty property values are left out. */
    public static final class Builder {
        private static final Pattern KEYWORD =
                Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?");

        private final String method;
        private final String result;
        private String reason = "";
        private final List<Property> properties = new ArrayList<>();

        private Builder(String method, String result) {
            this.method = keyword(method, "method");
            this.result = keyword(result, "result");
        }

        public Builder reason(String reason) {
            this.reason = reason == null ? "" : reason;
            return this;
        }

        public Builder property(String ptype, String name, String value) {
            if (value != null && !value.isEmpty()) {
                properties.add(
                        new Property(keyword(ptype, "ptype"), keyword(name, "property"), value));
            }
            return this;
        }

        public MethodResult build() {
            return new MethodResult(this);
        }

        private static String keyword(String s, String what) {
            Objects.requireNonNull(s, what);
            if (!KEYWORD.matcher(s).matches()) {
                throw new IllegalArgumentException(what + ": not an RFC 8601 keyword: '" + s + "'");
            }
            return s;
        }
    }
}
