package dev.mailsec.authres;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one writer (and reader of the authserv-id) of {@code Authentication-Results} header fields
 * (RFC 8601). Every value that comes from a message is quoted or escaped here, so a hostile tag
 * value cannot inject a result, a comment or a line break.
 */
public final class AuthenticationResults {

    public static final String HEADER_NAME = "Authentication-Results";
    // compiled once: String.matches compiled it for every mail (half of what VerifyDkim allocated)
    private static final Pattern AUTHSERV_ID =
            Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]{0,252}[A-Za-z0-9])?");
    private static final String TSPECIALS = "()<>@,;:\\\"/[]?=";

    private final String authservId;
    private final List<MethodResult> results;

    private AuthenticationResults(String authservId, List<MethodResult> results) {
        this.authservId = authservId;
        this.results = Collections.unmodifiableList(new ArrayList<>(results));
    }

    /**
     * Checks an authserv-id given by an operator (a host name such as {@code mx.example.com}).
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public static String checkAuthservId(String id) {
        if (id == null || !AUTHSERV_ID.matcher(id).matches()) {
            throw new IllegalArgumentException(
                    "must be a host name such as mx.example.com, got '" + id + "'");
        }
        return id;
    }

    public static AuthenticationResults of(String authservId, List<MethodResult> results) {
        return new AuthenticationResults(checkAuthservId(authservId), results);
    }

    public String authservId() {
        return authservId;
    }

    public List<MethodResult> results() {
        return results;
    }

    /** The field value on one line, e.g. {@code mx.example.com; dkim=pass header.d=example.com}. */
    public String value() {
        return render(" ");
    }

    /** The field value folded before each result (CRLF TAB), ready for a message header. */
    public String foldedValue() {
        return render("\r\n\t");
    }

    /** {@code Authentication-Results: } plus {@link #value()}. */
    public String headerLine() {
        return HEADER_NAME + ": " + value();
    }

    /**
     * A field value of ours (written by {@link #foldedValue()} for this authserv-id) with these
     * results added after the ones it holds, so that several of our checks (DKIM, SPF, ARC, DMARC)
     * share one field. A field that says {@code none} is replaced.
     *
     * @throws IllegalArgumentException if the value does not claim this authserv-id
     */
    public String appendedTo(String ourFieldValue) {
        if (!claims(ourFieldValue, authservId)) {
            throw new IllegalArgumentException("not a field of " + authservId);
        }
        String existing = ourFieldValue.stripTrailing();
        if (results.isEmpty()) {
            return existing;
        }
        if (existing.endsWith(";\r\n\tnone") || existing.endsWith("; none")) {
            return foldedValue();
        }
        StringBuilder sb = new StringBuilder(existing);
        appendResults(sb, "\r\n\t");
        return sb.toString();
    }

    private String render(String fold) {
        StringBuilder sb = new StringBuilder(authservId);
        if (results.isEmpty()) {
            return sb.append(';').append(fold).append("none").toString();
        }
        appendResults(sb, fold);
        return sb.toString();
    }

    private void appendResults(StringBuilder sb, String fold) {
        sb.append(';');
        for (int i = 0; i < results.size(); i++) {
            MethodResult r = results.get(i);
            sb.append(fold).append(r.method()).append('=').append(r.result());
            if (!r.reason().isEmpty()) {
                sb.append(" (").append(comment(r.reason())).append(')');
            }
            for (MethodResult.Property p : r.properties()) {
                sb.append(' ')
                        .append(p.ptype())
                        .append('.')
                        .append(p.name())
                        .append('=')
                        .append(value(p.value()));
            }
            if (i < results.size() - 1) {
                sb.append(';');
            }
        }
    }

    /**
     * A token as is; {@code local@domain} as is when both halves are tokens; otherwise a
     * quoted-string.
     */
    static String value(String v) {
        if (isToken(v)) {
            return v;
        }
        int at = v.lastIndexOf('@');
        if (at >= 0 && (at == 0 || isToken(v.substring(0, at))) && isToken(v.substring(at + 1))) {
            return v;
        }
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                continue;
            }
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    private static boolean isToken(String v) {
        if (v.isEmpty()) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c <= 0x20 || c >= 0x7F || TSPECIALS.indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static String comment(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                continue;
            }
            if (c == '(' || c == ')' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /**
     * The authserv-id an existing field claims (RFC 8601 section 2.2: comments and folding skipped,
     * a quoted-string unquoted), lower case; empty if the value does not start with one.
     */
    public static Optional<String> authservIdOf(String fieldValue) {
        String s = fieldValue;
        int i = skipCfws(s, 0);
        if (i >= s.length()) {
            return Optional.empty();
        }
        StringBuilder id = new StringBuilder();
        if (s.charAt(i) == '"') {
            i++;
            while (i < s.length() && s.charAt(i) != '"') {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length()) {
                    c = s.charAt(++i);
                }
                if (c != '\r' && c != '\n') {
                    id.append(c);
                }
                i++;
            }
        } else {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c <= 0x20 || c == ';' || c == '(' || c >= 0x7F || TSPECIALS.indexOf(c) >= 0) {
                    break;
                }
                id.append(c);
                i++;
            }
        }
        String out = id.toString().trim();
        return out.isEmpty() ? Optional.empty() : Optional.of(out.toLowerCase(Locale.ROOT));
    }

    /**
     * True if an existing field value claims this authserv-id (case-insensitive), RFC 8601 section
     * 5.
     */
    public static boolean claims(String fieldValue, String authservId) {
        Objects.requireNonNull(authservId, "authservId");
        return authservIdOf(fieldValue).map(id -> id.equalsIgnoreCase(authservId)).orElse(false);
    }

    private static int skipCfws(String s, int i) {
        int depth = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (depth > 0) {
                if (c == '\\') {
                    i++;
                } else if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                }
            } else if (c == '(') {
                depth++;
            } else if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return i;
            }
            i++;
        }
        return i;
    }
}
